/**
 * The LLM response cache (docs/llm.md): answers by SHA-256 of everything that shapes them, in the
 * `llm_cache` table of the history database. Reads are direct; new answers and hit counts
 * are written in one transaction when the run ends (or every 200 answers), by the history's
 * group commit, so a cached re-run of thousands of items does no write per item.
 */
import type { Database, Statement } from "bun:sqlite";
import { createHash } from "node:crypto";
import { openConnection } from "../history/connection.ts";
import { GroupCommit, type PendingWrites } from "../history/group-commit.ts";
import { retryBusy, toUserError } from "../history/sqlite-errors.ts";
import { isEmptyAnswer } from "./unfinished-answer.ts";

/** Everything that shapes an answer: the cache key is the hash of these. */
export interface CacheKeyParts {
  endpoint: string;
  model: string;
  system: string | undefined;
  prompt: string;
  temperature: number | undefined;
  maxTokens: number | undefined;
  format: string;
  schema: unknown;
}

export interface CachedAnswer {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** What the answer cost when it was fetched: the saving of every hit. */
  cost: number;
}

export interface CacheStats {
  entries: number;
  hits: number;
  /** Sum over entries of hits × the cost of the original call. */
  savedUsd: number;
  oldest: number | null;
  newest: number | null;
}

const FLUSH_AT = 200;

interface PendingPut {
  endpoint: string;
  model: string;
  answer: CachedAnswer;
}

/** New answers and hit counts not yet written. */
interface AnswerWrites {
  puts: Map<string, PendingPut>;
  hits: Map<string, number>;
}

/** The cache's writes waiting for their commit: answers count towards a batch, hit counts ride along. */
class PendingAnswers implements PendingWrites<AnswerWrites> {
  private puts = new Map<string, PendingPut>();
  private hits = new Map<string, number>();

  get size(): number {
    return this.puts.size;
  }

  get waiting(): boolean {
    return this.puts.size > 0 || this.hits.size > 0;
  }

  /** An answer stored in this run and not written yet. */
  answerFor(key: string): CachedAnswer | undefined {
    return this.puts.get(key)?.answer;
  }

  put(key: string, put: PendingPut): void {
    this.puts.set(key, put);
  }

  hit(key: string): void {
    this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
  }

  take(): AnswerWrites {
    const batch = { puts: this.puts, hits: this.hits };
    this.puts = new Map();
    this.hits = new Map();
    return batch;
  }

  restore(batch: AnswerWrites): void {
    this.puts = new Map([...batch.puts, ...this.puts]);
    for (const [key, count] of batch.hits) this.hits.set(key, (this.hits.get(key) ?? 0) + count);
  }
}

/** SHA-256 (hex) of the key parts, in a fixed order. */
export function cacheKey(parts: CacheKeyParts): string {
  const ordered = [
    parts.endpoint,
    parts.model,
    parts.system ?? null,
    parts.prompt,
    parts.temperature ?? null,
    parts.maxTokens ?? null,
    parts.format,
    parts.schema ?? null,
  ];
  return createHash("sha256").update(JSON.stringify(ordered)).digest("hex");
}

export class ResponseCache {
  private readonly pending = new PendingAnswers();
  /** No timer: the answers are written at the end of the run, or as soon as 200 are waiting. */
  private readonly commits = new GroupCommit(this.pending, (batch) => this.write(batch), {
    maxDelayMs: Infinity,
    maxRows: FLUSH_AT,
  });
  private statements?: { get: Statement; insert: Statement; hit: Statement };

  private constructor(
    private readonly db: Database,
    readonly file: string,
  ) {}

  /** Opens the cache in the history database at `path` (created and migrated if needed). */
  static open(path: string, options: { readonly?: boolean } = {}): ResponseCache {
    const { db, file } = openConnection(path, options);
    return new ResponseCache(db, file);
  }

  /**
   * The stored answer for `key` (counted as a hit), or undefined. An entry with no text is
   * no answer (earlier builds stored empty streamed answers): it is a miss, and the next
   * `put` of the key replaces it.
   */
  get(key: string): CachedAnswer | undefined {
    let answer = this.pending.answerFor(key);
    if (!answer) {
      const row = this.prepared().get.get(key) as {
        response: string;
        prompt_tokens: number | null;
        completion_tokens: number | null;
        cost: number;
      } | null;
      if (!row) return undefined;
      answer = {
        text: row.response,
        promptTokens: row.prompt_tokens ?? 0,
        completionTokens: row.completion_tokens ?? 0,
        cost: row.cost,
      };
    }
    if (isEmptyAnswer(answer.text)) return undefined;
    this.pending.hit(key);
    return answer;
  }

  /** Stores a successful (and valid) answer; an empty one never. */
  put(key: string, endpoint: string, model: string, answer: CachedAnswer): void {
    if (isEmptyAnswer(answer.text)) return;
    this.pending.put(key, { endpoint, model, answer });
    this.commits.added();
  }

  /** Writes the new answers and hit counts (kept for the next flush when the write fails). */
  flush(): void {
    this.commits.flush();
  }

  /** One transaction of new answers and hit counts. */
  private write({ puts, hits }: AnswerWrites): void {
    const now = Date.now();
    const { insert, hit } = this.prepared();
    const transaction = this.db.transaction(() => {
      for (const [key, { endpoint, model, answer }] of puts)
        insert.run(key, endpoint, model, answer.text, answer.promptTokens, answer.completionTokens, answer.cost, now);
      for (const [key, count] of hits) hit.run(count, now, key);
    });
    try {
      retryBusy(() => transaction.immediate());
    } catch (error) {
      throw toUserError(error, this.file);
    }
  }

  private prepared(): { get: Statement; insert: Statement; hit: Statement } {
    return (this.statements ??= {
      get: this.db.prepare("SELECT response, prompt_tokens, completion_tokens, cost FROM llm_cache WHERE key = ?"),
      insert: this.db.prepare(
        `INSERT INTO llm_cache (key, endpoint, model, response, prompt_tokens, completion_tokens, cost, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET response = excluded.response, prompt_tokens = excluded.prompt_tokens,
           completion_tokens = excluded.completion_tokens, cost = excluded.cost, created_at = excluded.created_at
         WHERE trim(llm_cache.response, ' ' || char(9, 10, 13)) = ''`,
      ),
      hit: this.db.prepare("UPDATE llm_cache SET hits = hits + ?, last_hit_at = ? WHERE key = ?"),
    });
  }

  /** Entries, hits and dollars saved. */
  stats(): CacheStats {
    const row = this.db
      .query(
        "SELECT COUNT(*) AS entries, COALESCE(SUM(hits), 0) AS hits, COALESCE(SUM(hits * cost), 0) AS saved, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM llm_cache",
      )
      .get() as { entries: number; hits: number; saved: number; oldest: number | null; newest: number | null };
    return { entries: row.entries, hits: row.hits, savedUsd: row.saved, oldest: row.oldest, newest: row.newest };
  }

  /** Deletes every entry, or those not used for `olderThanMs`; returns how many. */
  clear(olderThanMs?: number, now = Date.now()): number {
    this.flush();
    const changes =
      olderThanMs === undefined
        ? this.db.run("DELETE FROM llm_cache").changes
        : this.db.run("DELETE FROM llm_cache WHERE COALESCE(last_hit_at, created_at) < ?", [now - olderThanMs]).changes;
    this.db.run("VACUUM");
    return changes;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      this.db.close();
    }
  }
}
