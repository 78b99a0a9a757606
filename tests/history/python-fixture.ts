/**
 * A history database as the Python aiorch leaves it at ~/.aiorch/history.db: its tables
 * and columns (integer run ids, times in seconds, `step_runs`), written here by hand from
 * a file that tool made, so the suite needs neither Python nor the tool.
 */
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";

export const PYTHON_SCHEMA = `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, file TEXT, status TEXT NOT NULL DEFAULT 'running',
    started_at REAL NOT NULL, finished_at REAL, total_cost REAL DEFAULT 0, org_id TEXT, workspace_id TEXT,
    pipeline_version_id TEXT, triggered_by TEXT, log_level TEXT, heartbeat_at REAL, claim_token TEXT
  );
  CREATE TABLE step_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL, step_name TEXT NOT NULL, primitive TEXT,
    status TEXT NOT NULL, started_at REAL, finished_at REAL, duration_ms REAL DEFAULT 0, cost REAL DEFAULT 0,
    output_preview TEXT, error TEXT, error_type TEXT, traceback TEXT, model TEXT, prompt_tokens INTEGER DEFAULT 0,
    completion_tokens INTEGER DEFAULT 0, provider_name TEXT, step_output_json TEXT,
    FOREIGN KEY (run_id) REFERENCES runs (id)
  );
  CREATE TABLE llm_cache (cache_key TEXT PRIMARY KEY, model TEXT, response_json TEXT, cost REAL DEFAULT 0, created_at REAL, hit_count INTEGER DEFAULT 0);
  CREATE INDEX idx_step_runs_run_id ON step_runs (run_id);
  CREATE INDEX idx_runs_started_at ON runs (started_at);
`;

/** Seconds since the epoch of run #1's start: 2026-03-01 10:00:00 UTC. */
export const PY_T0 = 1_772_359_200;

/**
 * Three Python runs: #1 failed (a shell step that succeeded, one that failed with a
 * traceback), #2 a success with an LLM step (model, tokens, cost) and #12 still `running`
 * (its process long gone). WAL mode, as the Python tool sets it; `killed`: the commits
 * are left in the -wal file, as when the Python process was killed.
 */
export function writePythonHistory(path: string, options: { killed?: boolean } = {}): void {
  const db = new Database(path, { create: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run(PYTHON_SCHEMA);
  const run = db.prepare(
    "INSERT INTO runs (id, name, file, status, started_at, finished_at, total_cost) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  run.run(1, "nightly", "pipe.yaml", "failed", PY_T0, PY_T0 + 0.5, 0);
  run.run(2, "summarise", "/srv/sum.yaml", "success", PY_T0 + 60, PY_T0 + 62.25, 0.0042);
  run.run(12, "slow", "slow.yaml", "running", PY_T0 + 120, null, 0);
  const step = db.prepare(
    `INSERT INTO step_runs (run_id, step_name, primitive, status, started_at, finished_at, duration_ms, cost, output_preview,
       error, error_type, traceback, model, prompt_tokens, completion_tokens, step_output_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  step.run(
    1,
    "hello",
    "run",
    "success",
    PY_T0 + 0.01,
    PY_T0 + 0.03,
    20,
    0,
    "hello",
    null,
    null,
    null,
    null,
    0,
    0,
    '"hello"',
  );
  step.run(
    1,
    "boom",
    "run",
    "failed",
    PY_T0 + 0.04,
    PY_T0 + 0.05,
    7,
    0,
    null,
    "Command failed (exit 3): exit 3",
    "command_error",
    "Traceback (most recent call last):\n  RuntimeError",
    null,
    0,
    0,
    null,
  );
  step.run(
    2,
    "ask",
    "prompt",
    "success",
    PY_T0 + 60.1,
    PY_T0 + 62,
    1900,
    0.0042,
    "A short summary",
    null,
    null,
    null,
    "gpt-4o-mini",
    120,
    30,
    '{"summary": "A short summary", "n": 3}',
  );
  db.run("INSERT INTO llm_cache VALUES ('k1', 'gpt-4o-mini', '\"x\"', 0.001, 1, 4)");
  // A killed Python process leaves its last commits in the -wal file; Bun does not checkpoint on close either.
  if (options.killed) {
    db.close();
    return;
  }
  db.run("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  // Python's sqlite3 removes them when its last connection closes; Bun keeps them.
  for (const suffix of ["-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
}
