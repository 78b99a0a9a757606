import type { Database } from "bun:sqlite";
import { UserError } from "../errors/user-error.ts";

/**
 * The schema, one migration per version. Never edit a migration that has shipped: add the
 * next one. Each runs inside the upgrade transaction, so a failure leaves the older schema.
 */
const MIGRATIONS: readonly string[] = [
  // 1: runs, steps, items, llm_cache.
  `
  CREATE TABLE runs (
    id           TEXT PRIMARY KEY,
    pipeline     TEXT NOT NULL,
    file         TEXT NOT NULL,
    inputs       TEXT,
    status       TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    total_cost   REAL NOT NULL DEFAULT 0,
    pid          INTEGER NOT NULL,
    resumed_from TEXT
  );
  CREATE INDEX runs_by_started_at ON runs (started_at);
  CREATE INDEX runs_by_pipeline ON runs (pipeline, started_at);
  CREATE INDEX runs_by_status ON runs (status, started_at);

  CREATE TABLE steps (
    run_id            TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    primitive         TEXT NOT NULL,
    status            TEXT NOT NULL,
    attempts          INTEGER NOT NULL,
    started_at        INTEGER,
    recorded_at       INTEGER NOT NULL,
    duration_ms       REAL NOT NULL,
    input             TEXT,
    output            TEXT,
    error             TEXT,
    model             TEXT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    cost              REAL NOT NULL DEFAULT 0,
    cached            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, name)
  );

  CREATE TABLE items (
    run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    step        TEXT NOT NULL,
    idx         INTEGER NOT NULL,
    status      TEXT NOT NULL,
    output      TEXT,
    error       TEXT,
    duration_ms REAL NOT NULL,
    PRIMARY KEY (run_id, step, idx)
  );

  CREATE TABLE llm_cache (
    key               TEXT PRIMARY KEY,
    endpoint          TEXT NOT NULL,
    model             TEXT NOT NULL,
    response          TEXT NOT NULL,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    cost              REAL NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    hits              INTEGER NOT NULL DEFAULT 0,
    last_hit_at       INTEGER
  );
  CREATE INDEX llm_cache_by_last_use ON llm_cache (COALESCE(last_hit_at, created_at));
  `,
  // 2: why a step was skipped, and the foreach counters, for `trace` without reading every item.
  `
  ALTER TABLE steps ADD COLUMN reason TEXT;
  ALTER TABLE steps ADD COLUMN items_total INTEGER;
  ALTER TABLE steps ADD COLUMN items_done INTEGER;
  ALTER TABLE steps ADD COLUMN items_failed INTEGER;
  `,
  // 3: what a step wrote besides its result (run: stderr, python: print() and stderr), for `trace`.
  `
  ALTER TABLE steps ADD COLUMN log TEXT;
  `,
  // 4: runs imported from the Python aiorch's history: the file they came from and their integer id there,
  // so that \`aiorch trace 12\` still finds run #12.
  `
  ALTER TABLE runs ADD COLUMN imported_from TEXT;
  ALTER TABLE runs ADD COLUMN imported_id INTEGER;
  CREATE INDEX runs_by_imported_id ON runs (imported_id) WHERE imported_id IS NOT NULL;
  `,
  // 5: whether a secret was masked in a step's recorded input or result (an item's result), so that
  // resume and run --step/--from run it again instead of replaying `***`. Rows recorded before are
  // judged by their text: any `***` counts (a needless re-run is safe, a replayed mask is not).
  `
  ALTER TABLE steps ADD COLUMN masked INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE items ADD COLUMN masked INTEGER NOT NULL DEFAULT 0;
  UPDATE steps SET masked = 1 WHERE instr(output, '***') > 0 OR instr(input, '***') > 0;
  UPDATE items SET masked = 1 WHERE instr(output, '***') > 0;
  `,
  // 6: when a run's process started, besides its pid: a pid reused by another process no longer keeps a
  // crashed run "running". And the resume locks: one process at a time resumes a run (holder's pid and start).
  `
  ALTER TABLE runs ADD COLUMN pid_start TEXT;
  CREATE INDEX runs_by_resumed_from ON runs (resumed_from) WHERE resumed_from IS NOT NULL;
  CREATE TABLE resume_locks (
    run_id     TEXT PRIMARY KEY,
    pid        INTEGER NOT NULL,
    pid_start  TEXT,
    resume_run TEXT NOT NULL,
    taken_at   INTEGER NOT NULL
  );
  `,
  // 7: what `run --step/--from` matches an earlier run on (issue 13 item 4): the pipeline file's absolute path,
  // the SHA-256 of it and of every flow file under it (JSON: path → hash), a digest of the resolved inputs (the
  // recorded inputs are masked, the digest is of the real values: see inputs-digest.ts), and the run whose
  // results this one reused although its pipeline or inputs differed (`--reuse`, or a resume of an edited
  // file): such a run is never matched automatically. Older rows have none of them and match only by --reuse.
  `
  ALTER TABLE runs ADD COLUMN file_path TEXT;
  ALTER TABLE runs ADD COLUMN sources TEXT;
  ALTER TABLE runs ADD COLUMN inputs_digest TEXT;
  ALTER TABLE runs ADD COLUMN reused_unmatched TEXT;
  CREATE INDEX runs_by_file_path ON runs (file_path, started_at) WHERE file_path IS NOT NULL;
  `,
  // 8: every failed attempt of a step or foreach item: its error and the end of what it printed
  // (stdout and stderr tails), as JSON, for \`trace\`.
  `
  ALTER TABLE steps ADD COLUMN failed_attempts TEXT;
  ALTER TABLE items ADD COLUMN failed_attempts TEXT;
  `,
  // 9: a prompt step's questions answered from the LLM cache, requests made and JSON re-asks (a partly cached
  // foreach shows hits/total); each foreach item's own rendered input and whether the cache answered it.
  `
  ALTER TABLE steps ADD COLUMN cache_hits INTEGER;
  ALTER TABLE steps ADD COLUMN llm_requests INTEGER;
  ALTER TABLE steps ADD COLUMN reasks INTEGER;
  ALTER TABLE items ADD COLUMN input TEXT;
  ALTER TABLE items ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;
  `,
  // 10: when each foreach item ended (its start is that less its duration), for the item timeline of
  // \`aiorch ui\`; and a run's top-level DAG (each step's dependencies, as JSON) as it was when it ran.
  `
  ALTER TABLE items ADD COLUMN ended_at INTEGER;
  ALTER TABLE runs ADD COLUMN graph TEXT;
  `,
];

/** The schema version this aiorch writes (`PRAGMA user_version`). */
export const SCHEMA_VERSION: number = MIGRATIONS.length;

/** `PRAGMA user_version`: 0 for a new file. */
export function schemaVersion(db: Database): number {
  const row = db.query<{ user_version: number }, []>("PRAGMA user_version").get();
  return row?.user_version ?? 0;
}

/** Refuses a database written by a newer aiorch: its tables may mean something this one does not know. */
export function checkNotNewer(version: number, file: string): void {
  if (version > SCHEMA_VERSION) {
    throw new UserError(
      `history database ${file} was written by a newer aiorch (schema ${version}, this one knows ${SCHEMA_VERSION})`,
      { hint: "upgrade aiorch, or set AIORCH_HOME (or storage.path in the config) elsewhere" },
    );
  }
}

/**
 * Brings the schema up to {@link SCHEMA_VERSION} in one IMMEDIATE transaction. The version
 * is read again inside the transaction because another process may have upgraded the file
 * while this one waited for the lock.
 */
export function migrate(db: Database, file: string): void {
  const current = schemaVersion(db);
  checkNotNewer(current, file);
  if (current === SCHEMA_VERSION) return;
  db.transaction(() => {
    const from = schemaVersion(db);
    checkNotNewer(from, file);
    for (let version = from + 1; version <= SCHEMA_VERSION; version++) {
      db.run(MIGRATIONS[version - 1]!);
    }
    // PRAGMA takes no bound parameters; the value is our own integer.
    db.run(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
