import type { Database } from "bun:sqlite";
import { resolve } from "node:path";
import { UserError } from "../errors/user-error.ts";
import { openConnection } from "./connection.ts";
import type { GroupCommitOptions } from "./group-commit.ts";
import { HistoryWriter } from "./history-writer.ts";
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
  type ItemRecord,
  type StepRecord,
} from "./row-codec.ts";
import { closestRunIds, exampleRunId, latestRun, listRuns, numericRunIdError, runsOfFile } from "./run-queries.ts";
import { inputsDigest, inputsMatchDigest } from "./inputs-digest.ts";
import { findRun, LAST_RUN } from "./run-id-match.ts";
import { failedItems, itemCounts, stepCounts } from "./summary-queries.ts";
import { dashboardFigures, type DashboardFigures } from "./dashboard-queries.ts";
import { retryBusy, toUserError } from "./sqlite-errors.ts";
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
  private readonly writer: HistoryWriter;
  private closed = false;

  private constructor(
    private readonly db: Database,
    /** The database file. */
    readonly file: string,
    private readonly readonly: boolean,
    private readonly secrets: readonly Secret[],
    options: GroupCommitOptions,
  ) {
    this.writer = new HistoryWriter(db, file, options);
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
    this.writer.commitWith(() => {
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
    this.writer.addStep(stepParams(hidden, Date.now()));
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
    this.writer.addItem(itemParams(hidden));
  }

  /** Marks a run finished, committed at once after every buffered row. */
  finishRun(id: string, status: Exclude<RunStatus, "running">, totalCost: number, finishedAt: number): void {
    this.writable();
    let changes = 0;
    this.writer.commitWith(() => {
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
    this.writer.flush();
  }

  /** Flushes and closes the database; calling it again does nothing. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.writer.stop();
      openStores.delete(this);
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
}
