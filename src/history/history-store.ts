import type { Database, Statement } from "bun:sqlite";
import { SQLiteError } from "bun:sqlite";
import { resolve } from "node:path";
import { UserError } from "../errors/user-error.ts";
import { openConnection } from "./connection.ts";
import { GroupCommit, type GroupCommitOptions } from "./group-commit.ts";
import { PendingRows, slimmed, type Batch } from "./pending-rows.ts";
import { markFinishedHere, markStartedHere } from "./liveness.ts";
import { ownProcessStart, processStart } from "./process-identity.ts";
import { pruneRuns } from "./prune.ts";
import { releaseResumeLock, takeResumeLock, type ResumeBlock } from "./resume-lock.ts";
import { redact, type Secret } from "./redact.ts";
import {
  encodeJson,
  itemParams,
  stepParams,
  toItemRow,
  toStepRow,
  type Bound,
  type ItemRecord,
  type StepRecord,
} from "./row-codec.ts";
import { closestRunIds, exampleRunId, latestRun, listRuns, numericRunIdError, runsOfFile } from "./run-queries.ts";
import { inputsDigest, inputsMatchDigest } from "./inputs-digest.ts";
import { findRun, LAST_RUN } from "./run-id-match.ts";
import { failedItems, itemCounts, stepCounts } from "./summary-queries.ts";
import { dashboardFigures, type DashboardFigures } from "./dashboard-queries.ts";
import { isDiskFull, retryBusy, toUserError } from "./sqlite-errors.ts";
import type {
  ItemCounts,
  ItemRow,
  PruneOptions,
  PruneResult,
  RunFilter,
  RunRow,
  RunStart,
  RunStatus,
  ShownStatus,
  StepCounts,
  StepRow,
} from "./types.ts";

/** Options of {@link HistoryStore.open}. */
export interface HistoryOptions extends GroupCommitOptions {
  /** Open for reading only: no folder or file is created, writes throw (default false). */
  readonly?: boolean;
  /**
   * Strings masked as `***` in everything written (inputs, commands, outputs, errors):
   * usually {@link secretsFrom}`(process.env, [apiKey])`. Default none.
   */
  secrets?: readonly Secret[];
}

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

/** Stores still open, flushed when the process exits without closing them. */
const openStores = new Set<HistoryStore>();
let exitHookInstalled = false;

function flushOpenStores(): void {
  for (const store of openStores) {
    try {
      store.flush();
    } catch {
      // The process is ending: nothing left to report to.
    }
  }
}

/**
 * The run history in one SQLite file (WAL mode; several processes may write it at once).
 * Runs are committed at once; step and item rows are buffered and committed together
 * within 50 ms (or at 500 rows), so a killed process loses at most the last 50 ms.
 */
export class HistoryStore {
  private readonly rows = new PendingRows();
  private readonly buffer: GroupCommit<Batch>;
  private readonly writeBatch: (batch: Batch, also?: () => void) => string[];
  private statements: { step: Statement; item: Statement } | undefined;
  private rejected: string[] = [];
  /** A commit met a full disk and kept its rows without their large values: reported by the next flush. */
  private diskFull: unknown;
  private closed = false;

  private constructor(
    private readonly db: Database,
    /** The database file. */
    readonly file: string,
    private readonly readonly: boolean,
    private readonly secrets: readonly Secret[],
    options: GroupCommitOptions,
  ) {
    this.buffer = new GroupCommit(this.rows, (batch) => this.commit(batch), options);
    this.writeBatch = db.transaction((batch: Batch, also?: () => void) => this.writeRows(batch, also)).immediate;
  }

  /**
   * Opens `path` (creating its folder and the file unless `readonly`): WAL, a busy timeout
   * of 5 s, foreign keys on, older schemas upgraded in place. UserErrors for a corrupt or
   * unwritable file and for a database written by a newer aiorch.
   */
  static open(path: string, options: HistoryOptions = {}): HistoryStore {
    const { db, file, readonly } = openConnection(path, { readonly: options.readonly });
    const store = new HistoryStore(db, file, readonly, options.secrets ?? [], options);
    if (!readonly) {
      openStores.add(store);
      if (!exitHookInstalled) process.on("exit", flushOpenStores);
      exitHookInstalled = true;
    }
    return store;
  }

  /** Records a new run as `running`, committed at once (with any buffered rows). */
  startRun(run: RunStart): void {
    this.writable();
    const pidStart = run.pidStart ?? (run.pid === process.pid ? ownProcessStart() : processStart(run.pid)) ?? null;
    this.commitWith(() => {
      this.db
        .query(
          `INSERT INTO runs (id, pipeline, file, inputs, status, started_at, pid, pid_start, resumed_from, file_path, sources, inputs_digest, reused_unmatched, graph)
           VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          run.id,
          run.pipeline,
          run.file,
          encodeJson(this.hide(run.inputs)),
          run.startedAt,
          run.pid,
          pidStart,
          run.resumedFrom ?? null,
          run.filePath ?? resolve(run.file),
          run.sources ? encodeJson(run.sources) : null,
          inputsDigest(run.inputs, this.secrets, run.id),
          run.reusedUnmatched ?? null,
          run.graph ? encodeJson(run.graph) : null,
        );
    });
    if (run.pid === process.pid) markStartedHere(run.id);
  }

  /**
   * Upserts a step's result by (run, name); durable within 50 ms, or on `flush()`. The row
   * is marked `masked` when a secret was masked in its input or output (redaction copies
   * only what it changes), or when the caller says so.
   */
  recordStep(row: StepRow): void {
    this.writable();
    let hidden = row;
    if (this.secrets.length > 0) {
      hidden = {
        ...row,
        input: this.hide(row.input),
        output: this.hide(row.output),
        error: this.hide(row.error),
        reason: this.hide(row.reason),
        log: this.hide(row.log),
        failedAttempts: this.hide(row.failedAttempts ?? null),
      };
      hidden.masked = Boolean(row.masked) || hidden.input !== row.input || hidden.output !== row.output;
    }
    this.rows.addStep(stepParams(hidden, Date.now()));
    this.buffer.added();
  }

  /** Upserts a foreach item by (run, step, index); durable within 50 ms, or on `flush()`. Marked `masked` as steps are. */
  recordItem(row: ItemRow): void {
    this.writable();
    let hidden = row;
    if (this.secrets.length > 0) {
      hidden = {
        ...row,
        output: this.hide(row.output),
        error: this.hide(row.error),
        input: this.hide(row.input),
        failedAttempts: this.hide(row.failedAttempts ?? null),
      };
      hidden.masked = Boolean(row.masked) || hidden.output !== row.output;
    }
    this.rows.addItem(itemParams(hidden));
    this.buffer.added();
  }

  /** Marks a run finished, committed at once after every buffered row. */
  finishRun(id: string, status: Exclude<RunStatus, "running">, totalCost: number, finishedAt: number): void {
    this.writable();
    let changes = 0;
    this.commitWith(() => {
      changes = this.db
        .query("UPDATE runs SET status = ?, total_cost = ?, finished_at = ? WHERE id = ?")
        .run(status, totalCost, finishedAt, id).changes;
    });
    markFinishedHere(id);
    if (changes === 0) throw new Error(`history: finishRun of run ${id}, which was never started`);
  }

  /**
   * Takes the lock on resuming run `runId` for the new run `resumeRun` (see resume-lock.ts);
   * returns what blocks it instead: a live resume of it, or one that already completed it.
   */
  lockResume(runId: string, resumeRun: string): ResumeBlock | undefined {
    this.writable();
    return this.read(() => retryBusy(() => takeResumeLock(this.db, runId, resumeRun)));
  }

  /** Gives back the lock taken by {@link lockResume}. */
  unlockResume(runId: string, resumeRun: string): void {
    if (this.closed || this.readonly) return;
    this.read(() => releaseResumeLock(this.db, runId, resumeRun));
  }

  /** Commits every buffered row now. Throws what a background commit met since the last flush. */
  flush(): void {
    if (this.closed || this.readonly) return;
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

  /** Flushes and closes the database; calling it again does nothing. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.buffer.stop();
      openStores.delete(this);
      this.statements = undefined;
      this.db.close();
    }
  }

  /** Runs of the pipeline file at `filePath` (absolute), newest first: at most `limit`. Runs recorded before schema 7 have no path. */
  runsOfFile(filePath: string, limit: number): RunRow[] {
    return this.read(() => runsOfFile(this.db, filePath, limit));
  }

  /**
   * Whether `inputs` (as they are, unmasked) are the inputs `run` was given, by its digest
   * (see inputs-digest.ts: a masked secret is compared too). A run without a digest: false.
   */
  inputsMatch(run: RunRow, inputs: unknown): boolean {
    return run.inputsDigest !== null && inputsMatchDigest(run.inputsDigest, inputs, run.id);
  }

  /** The inputs as this store records them: every secret masked. */
  masked<T>(value: T): T {
    return this.hide(value);
  }

  /** Runs newest first: at most `limit` (default 20), of one pipeline and/or status. */
  listRuns(filter?: RunFilter): RunRow[] {
    return this.read(() => listRuns(this.db, filter));
  }

  /**
   * The run `id` names: `last` (the newest run), an exact id, or the one run whose id holds
   * `id` (4 characters or more) — see `run-id-match.ts`; undefined when none matches. A
   * part that several ids hold is a UserError listing them.
   */
  getRun(id: string): RunRow | undefined {
    return this.read(() => findRun(this.db, id));
  }

  /** Like `getRun`, but a run that is not found is a UserError naming the closest ids (for a number: how ids look here). */
  requireRun(id: string): RunRow {
    const run = this.getRun(id);
    if (run) return run;
    if (id === LAST_RUN)
      throw new UserError(`no run is "last": no runs in the history (${this.file})`, {
        hint: "`aiorch run FILE` records runs there",
      });
    if (/^\d+$/.test(id))
      throw numericRunIdError(
        id,
        this.file,
        this.read(() => exampleRunId(this.db)),
      );
    const close = this.read(() => closestRunIds(this.db, id));
    throw new UserError(`no run "${id}" in the history (${this.file})`, {
      hint: close.length > 0 ? `did you mean ${close.join(", ")}?` : "`aiorch history` lists the recent runs",
    });
  }

  /** The steps of a run, in the order they started (steps that never started where they were recorded). */
  getSteps(runId: string): StepRow[] {
    return this.read(() =>
      this.db
        .query<StepRecord, [string]>(
          "SELECT * FROM steps WHERE run_id = ? ORDER BY COALESCE(started_at, recorded_at), rowid",
        )
        .all(runId)
        .map(toStepRow),
    );
  }

  /** The foreach items of one step, by index. */
  getItems(runId: string, step: string): ItemRow[] {
    return this.read(() =>
      this.db
        .query<ItemRecord, [string, string]>("SELECT * FROM items WHERE run_id = ? AND step = ? ORDER BY idx")
        .all(runId, step)
        .map(toItemRow),
    );
  }

  /** How the top-level steps of each of these runs ended (one query); runs without steps are absent. */
  stepCounts(runIds: readonly string[]): Map<string, StepCounts> {
    return this.read(() => stepCounts(this.db, runIds));
  }

  /** The recorded foreach items of each step of a run, counted by status (one query). */
  itemCounts(runId: string): Map<string, ItemCounts> {
    return this.read(() => itemCounts(this.db, runId));
  }

  /** The first `limit` failed foreach items of one step, by index (a negative `limit`: all of them). */
  failedItems(runId: string, step: string, limit: number): ItemRow[] {
    return this.read(() => failedItems(this.db, runId, step, limit));
  }

  /** The figures of `aiorch dashboard` (see {@link dashboardFigures}). */
  dashboard(options: { now: number; since: number; top: number }): DashboardFigures {
    return this.read(() => dashboardFigures(this.db, options));
  }

  /** The newest run of `pipeline` (with that shown status, if given). */
  latestRun(pipeline: string, options: { status?: ShownStatus } = {}): RunRow | undefined {
    return this.read(() => latestRun(this.db, pipeline, options.status));
  }

  /**
   * Deletes runs, with their steps and items, matching every option given: older than
   * `olderThanMs` (measured from `now`, default the clock) and not among the newest
   * `keep`; then gives the space back (VACUUM). Runs still in progress are kept.
   */
  prune(options: PruneOptions): PruneResult {
    this.writable();
    this.flush();
    return this.read(() => pruneRuns(this.db, this.file, options));
  }

  private hide<T>(value: T): T {
    return this.secrets.length === 0 ? value : redact(value, this.secrets);
  }

  private writable(): void {
    if (this.closed) throw new Error(`history: ${this.file} is closed`);
    if (this.readonly) throw new Error(`history: ${this.file} was opened read-only`);
  }

  private read<T>(query: () => T): T {
    if (this.closed) throw new Error(`history: ${this.file} is closed`);
    try {
      return query();
    } catch (error) {
      throw toUserError(error, this.file);
    }
  }

  /** Commits the buffered rows and `also` in one transaction; the rows stay buffered if it fails. */
  private commitWith(also: () => void): void {
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
