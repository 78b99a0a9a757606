/**
 * The write side of the run history: step and item rows buffered and committed in groups
 * (`group-commit.ts`), a run row committed at once with the rows waiting, the rows the
 * database refuses left out of their batch, and on a full disk the batch kept without its
 * large values; both reported by the next flush.
 */
import type { Database, Statement } from "bun:sqlite";
import { SQLiteError } from "bun:sqlite";
import { UserError } from "../errors/user-error.ts";
import { GroupCommit, type GroupCommitOptions } from "./group-commit.ts";
import { PendingRows, slimmed, type Batch } from "./pending-rows.ts";
import type { Bound } from "./row-codec.ts";
import { isDiskFull, retryBusy, toUserError } from "./sqlite-errors.ts";

const STEP_UPSERT = `
  INSERT INTO steps (run_id, name, primitive, status, attempts, started_at, recorded_at, duration_ms, input, output,
                     error, reason, model, prompt_tokens, completion_tokens, cost, cached, items_total, items_done, items_failed, log, masked,
                     failed_attempts, cache_hits, llm_requests, reasks)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (run_id, name) DO UPDATE SET
    primitive = excluded.primitive, status = excluded.status, attempts = excluded.attempts,
    started_at = excluded.started_at, duration_ms = excluded.duration_ms, input = excluded.input,
    output = excluded.output, error = excluded.error, reason = excluded.reason, model = excluded.model,
    prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens, cost = excluded.cost,
    cached = excluded.cached, items_total = excluded.items_total, items_done = excluded.items_done,
    items_failed = excluded.items_failed, log = excluded.log, masked = excluded.masked, failed_attempts = excluded.failed_attempts,
    cache_hits = excluded.cache_hits, llm_requests = excluded.llm_requests, reasks = excluded.reasks`;

const ITEM_UPSERT = `
  INSERT INTO items (run_id, step, idx, status, output, error, duration_ms, masked, input, cached, failed_attempts, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (run_id, step, idx) DO UPDATE SET
    status = excluded.status, output = excluded.output, error = excluded.error, duration_ms = excluded.duration_ms,
    masked = excluded.masked, input = excluded.input, cached = excluded.cached, failed_attempts = excluded.failed_attempts,
    ended_at = excluded.ended_at`;

/** Buffers a store's step and item rows and commits them, within 50 ms or at 500 rows. */
export class HistoryWriter {
  private readonly rows = new PendingRows();
  private readonly buffer: GroupCommit<Batch>;
  private readonly writeBatch: (batch: Batch, also?: () => void) => string[];
  private statements: { step: Statement; item: Statement } | undefined;
  private rejected: string[] = [];
  /** A commit met a full disk and kept its rows without their large values: reported by the next flush. */
  private diskFull: unknown;

  constructor(
    private readonly db: Database,
    /** The database file, named in errors. */
    private readonly file: string,
    options: GroupCommitOptions,
  ) {
    this.buffer = new GroupCommit(this.rows, (batch) => this.commit(batch), options);
    this.writeBatch = db.transaction((batch: Batch, also?: () => void) => this.writeRows(batch, also)).immediate;
  }

  /** Buffers a step row (the parameters of its upsert). */
  addStep(params: Bound[]): void {
    this.rows.addStep(params);
    this.buffer.added();
  }

  /** Buffers an item row (the parameters of its upsert). */
  addItem(params: Bound[]): void {
    this.rows.addItem(params);
    this.buffer.added();
  }

  /** Commits every buffered row now. Throws what a background commit met since the last flush. */
  flush(): void {
    try {
      this.buffer.flush();
    } catch (error) {
      throw toUserError(error, this.file);
    }
    this.throwRejected();
    if (this.diskFull !== undefined) {
      this.diskFull = undefined;
      throw new UserError(
        `the disk holding the history database ${this.file} is full: the run's steps and statuses are recorded, but large results, inputs and logs were replaced by a note`,
        {
          hint: "free some space, or delete old runs with `aiorch history prune`",
        },
      );
    }
  }

  /** Stops the timer and forgets the prepared statements (the database is being closed). */
  stop(): void {
    this.buffer.stop();
    this.statements = undefined;
  }

  /** Commits the buffered rows and `also` in one transaction; the rows stay buffered if it fails. */
  commitWith(also: () => void): void {
    const batch = this.buffer.take();
    try {
      this.commit(batch, also);
    } catch (error) {
      this.buffer.restore(batch);
      throw toUserError(error, this.file);
    }
  }

  private commit(batch: Batch, also?: () => void): void {
    try {
      this.rejected.push(...retryBusy(() => this.writeBatch(batch, also)));
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      // A full disk: keep what fits — every row, with its large values replaced by a note —
      // so the run's steps and statuses stay on record; the caller still hears of the full disk.
      this.rejected.push(...retryBusy(() => this.writeBatch(slimmed(batch), also)));
      this.diskFull = error;
    }
  }

  /** Writes a batch inside the transaction; returns the rows the database refused. */
  private writeRows(batch: Batch, also: (() => void) | undefined): string[] {
    const statements = (this.statements ??= {
      step: this.db.prepare(STEP_UPSERT),
      item: this.db.prepare(ITEM_UPSERT),
    });
    const refused: string[] = [];
    for (const params of batch.steps) upsert(statements.step, params, refused);
    for (const params of batch.items) upsert(statements.item, params, refused);
    also?.();
    return refused;
  }

  /** Rows refused since the last flush: an engine bug, reported as an internal error. */
  private throwRejected(): void {
    if (this.rejected.length === 0) return;
    const rejected = this.rejected;
    this.rejected = [];
    throw new Error(`history: ${rejected.length} row(s) were refused: ${rejected.slice(0, 3).join("; ")}`);
  }
}

/**
 * A row the database refuses (a step of a run that was never started: an engine bug) is
 * left out so that the rest of its batch is kept; the next `flush()` reports it.
 */
function upsert(statement: Statement, params: Bound[], refused: string[]): void {
  try {
    statement.run(...params);
  } catch (error) {
    if (!(error instanceof SQLiteError && error.code?.startsWith("SQLITE_CONSTRAINT"))) throw error;
    refused.push(`${error.message} (run ${String(params[0])}, ${String(params[1])})`);
  }
}
