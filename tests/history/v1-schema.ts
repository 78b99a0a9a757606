/** The first schema, as aiorch wrote it at version 1: a fixture, deliberately not imported from src. */
export const V1_SCHEMA = `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, file TEXT NOT NULL, inputs TEXT, status TEXT NOT NULL,
    started_at INTEGER NOT NULL, finished_at INTEGER, total_cost REAL NOT NULL DEFAULT 0, pid INTEGER NOT NULL,
    resumed_from TEXT
  );
  CREATE INDEX runs_by_started_at ON runs (started_at);
  CREATE INDEX runs_by_pipeline ON runs (pipeline, started_at);
  CREATE INDEX runs_by_status ON runs (status, started_at);
  CREATE TABLE steps (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE, name TEXT NOT NULL, primitive TEXT NOT NULL,
    status TEXT NOT NULL, attempts INTEGER NOT NULL, started_at INTEGER, recorded_at INTEGER NOT NULL,
    duration_ms REAL NOT NULL, input TEXT, output TEXT, error TEXT, model TEXT, prompt_tokens INTEGER,
    completion_tokens INTEGER, cost REAL NOT NULL DEFAULT 0, cached INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, name)
  );
  CREATE TABLE items (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE, step TEXT NOT NULL, idx INTEGER NOT NULL,
    status TEXT NOT NULL, output TEXT, error TEXT, duration_ms REAL NOT NULL, PRIMARY KEY (run_id, step, idx)
  );
  CREATE TABLE llm_cache (
    key TEXT PRIMARY KEY, endpoint TEXT NOT NULL, model TEXT NOT NULL, response TEXT NOT NULL,
    prompt_tokens INTEGER, completion_tokens INTEGER, cost REAL NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0, last_hit_at INTEGER
  );
  CREATE INDEX llm_cache_by_last_use ON llm_cache (COALESCE(last_hit_at, created_at));
  PRAGMA user_version = 1;
`;

/** Migration 2 as aiorch applied it: a fixture too, so that a version-2 file can be written by hand. */
export const V2_MIGRATION = `
  ALTER TABLE steps ADD COLUMN reason TEXT;
  ALTER TABLE steps ADD COLUMN items_total INTEGER;
  ALTER TABLE steps ADD COLUMN items_done INTEGER;
  ALTER TABLE steps ADD COLUMN items_failed INTEGER;
  PRAGMA user_version = 2;
`;
