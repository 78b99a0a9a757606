/**
 * The Python aiorch kept its history at `~/.aiorch/history.db` too — our default path —
 * in its own schema (tables `runs` with integer ids and a `name` column, and `step_runs`).
 * Our first open of such a file would refuse to upgrade it. Instead: recognise it, move it
 * aside unchanged (renaming is not writing), start our own file in its place and copy its
 * runs and steps in, each marked with where it came from and its integer id there.
 */
import { Database } from "bun:sqlite";
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { encodeJson, type Bound } from "./row-codec.ts";

/** The name the Python file takes beside ours (`-2`, `-3`… if that one is taken already). */
export const PYTHON_HISTORY_NAME = "history.aiorch-python.db";

type Row = Record<string, unknown>;

/**
 * The database at `file`, read without touching it or its folder. With no pending WAL, the
 * file holds everything: it is read into memory (the header's WAL flags set back to the
 * rollback journal, which an in-memory copy needs), so SQLite creates no -wal/-shm beside
 * it. With a WAL (the Python process was killed), a read-only open reads both.
 */
function openSnapshot(file: string): Database {
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) return new Database(file, { readonly: true, strict: true });
  const bytes = new Uint8Array(readFileSync(file));
  if (bytes.length > 19) bytes[18] = bytes[19] = 1;
  return Database.deserialize(bytes, { strict: true });
}

function columnsOf(db: Database, table: string): Set<string> {
  return new Set(
    db
      .query<{ name: string }, []>(`PRAGMA table_info(${table})`)
      .all()
      .map((c) => c.name),
  );
}

/**
 * Whether `file` is a Python aiorch history: schema version 0 (the Python tool never set
 * one) and a `runs` table with a `name` column where ours has `pipeline`. Opened read-only;
 * anything unreadable is "no", and the normal open reports it.
 */
export function isPythonHistory(file: string): boolean {
  if (!existsSync(file)) return false;
  let db: Database;
  try {
    db = openSnapshot(file);
  } catch {
    return false;
  }
  try {
    if ((db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version ?? 0) !== 0) return false;
    const runs = columnsOf(db, "runs");
    return runs.has("name") && runs.has("started_at") && !runs.has("pipeline");
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/** How long a process waits for another one's import before taking its lock as left by a crash. */
const LOCK_WAIT_MS = 10_000;

/**
 * Runs `work` holding `FILE.import-lock` (created exclusively): two first runs started
 * together must not both move files, or the second would move the history the first has
 * just created. The loser waits for the lock to go, then does its own check again.
 */
export function underImportLock<T>(file: string, work: () => T): T {
  const lock = `${file}.import-lock`;
  let deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      break;
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
    }
    if (Date.now() > deadline) {
      rmSync(lock, { force: true });
      deadline = Date.now() + LOCK_WAIT_MS;
    } else Bun.sleepSync(50);
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

/**
 * Renames the Python file (with its `-wal` and `-shm`, which belong to it) to
 * {@link PYTHON_HISTORY_NAME} beside it. Undefined when another process moved it first.
 */
export function movePythonHistoryAside(file: string): string | undefined {
  const folder = dirname(file);
  let target = join(folder, PYTHON_HISTORY_NAME);
  for (let n = 2; existsSync(target); n++) target = join(folder, PYTHON_HISTORY_NAME.replace(/\.db$/, `-${n}.db`));
  try {
    renameSync(file, target);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  for (const suffix of ["-wal", "-shm"]) {
    try {
      renameSync(`${file}${suffix}`, `${target}${suffix}`);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  return target;
}

/** Python stored seconds as REAL; we store epoch milliseconds. */
function ms(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? Math.round(value * 1000) : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** Our id for Python run #n: its start time as in our ids, then `py` and n (`20261206-202457-py12`); never a random id's 4 hex. */
export function importedRunId(startedAtMs: number, pythonId: number): string {
  const stamp = new Date(startedAtMs).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-py${pythonId}`;
}

/** Python run statuses as ours: `pending` never started, so it is `cancelled`; an unfinished run shows as crashed (pid 0 is never alive). */
function runStatus(status: unknown): string {
  if (status === "success" || status === "failed" || status === "cancelled" || status === "running") return status;
  if (status === "pending") return "cancelled";
  return "failed";
}

function stepStatus(status: unknown): string {
  if (
    status === "success" ||
    status === "failed" ||
    status === "skipped" ||
    status === "cancelled" ||
    status === "running"
  )
    return status;
  if (status === "started") return "running";
  return "failed";
}

/** The output: the JSON Python saved for resume when there is one (already JSON text), else the preview it showed. */
function stepOutput(row: Row): string | null {
  const saved = text(row.step_output_json);
  if (saved !== null) return saved;
  const preview = text(row.output_preview);
  return preview === null ? null : encodeJson(preview);
}

/** The error as Python showed it, with its type when it recorded one (`command_error: …`). */
function stepError(row: Row): string | null {
  const message = text(row.error);
  const kind = text(row.error_type);
  if (message === null) return kind;
  return kind === null ? message : `${kind}: ${message}`;
}

const RUN_INSERT = `
  INSERT INTO runs (id, pipeline, file, inputs, status, started_at, finished_at, total_cost, pid, resumed_from, imported_from, imported_id)
  VALUES (?, ?, ?, NULL, ?, ?, ?, ?, 0, NULL, ?, ?)
  ON CONFLICT (id) DO NOTHING`;

const STEP_INSERT = `
  INSERT INTO steps (run_id, name, primitive, status, attempts, started_at, recorded_at, duration_ms, input, output,
                     error, reason, model, prompt_tokens, completion_tokens, cost, cached, log)
  VALUES (?, ?, ?, ?, 1, ?, ?, ?, NULL, ?, ?, NULL, ?, ?, ?, ?, 0, ?)
  ON CONFLICT (run_id, name) DO UPDATE SET
    primitive = excluded.primitive, status = excluded.status, started_at = excluded.started_at,
    recorded_at = excluded.recorded_at, duration_ms = excluded.duration_ms, output = excluded.output,
    error = excluded.error, model = excluded.model, prompt_tokens = excluded.prompt_tokens,
    completion_tokens = excluded.completion_tokens, cost = excluded.cost, log = excluded.log`;

/**
 * Copies the runs and steps of the Python history at `source` (opened read-only) into `db`
 * in one transaction: all or nothing. Python kept no inputs and no foreach items; a step
 * logged twice keeps its last row; its traceback becomes the step's log. Returns the counts.
 */
export function importPythonHistory(db: Database, source: string): { runs: number; steps: number } {
  const python = openSnapshot(source);
  try {
    const runs = python.query<Row, []>("SELECT * FROM runs ORDER BY id").all();
    const hasSteps =
      python
        .query<{ n: number }, []>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'step_runs'")
        .get()!.n > 0;
    const steps = hasSteps ? python.query<Row, []>("SELECT * FROM step_runs ORDER BY run_id, id").all() : [];
    const stepsByRun = new Map<unknown, Row[]>();
    for (const step of steps) stepsByRun.set(step.run_id, [...(stepsByRun.get(step.run_id) ?? []), step]);
    const counts = { runs: 0, steps: 0 };
    db.transaction(() => {
      const insertRun = db.prepare(RUN_INSERT);
      const insertStep = db.prepare(STEP_INSERT);
      for (const run of runs) {
        const pythonId = num(run.id);
        const startedAt = ms(run.started_at);
        if (pythonId === null || startedAt === null) continue;
        const id = importedRunId(startedAt, pythonId);
        const params: Bound[] = [
          id,
          text(run.name) ?? "(unnamed)",
          text(run.file) ?? "",
          runStatus(run.status),
          startedAt,
          ms(run.finished_at),
          num(run.total_cost) ?? 0,
          source,
          pythonId,
        ];
        if (insertRun.run(...params).changes === 0) continue;
        counts.runs++;
        for (const step of stepsByRun.get(run.id) ?? []) {
          const name = text(step.step_name);
          if (name === null) continue;
          const stepStart = ms(step.started_at);
          const model = text(step.model);
          // Python wrote 0 tokens for every step; without a model they mean "not an LLM call".
          const tokens = (value: unknown) => (model === null && num(value) === 0 ? null : num(value));
          insertStep.run(
            id,
            name,
            text(step.primitive) ?? "unknown",
            stepStatus(step.status),
            stepStart,
            ms(step.finished_at) ?? stepStart ?? startedAt,
            num(step.duration_ms) ?? 0,
            stepOutput(step),
            stepError(step),
            model,
            tokens(step.prompt_tokens),
            tokens(step.completion_tokens),
            num(step.cost) ?? 0,
            text(step.traceback),
          );
          counts.steps++;
        }
      }
    }).immediate();
    return counts;
  } finally {
    python.close();
  }
}
