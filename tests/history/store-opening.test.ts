/** Opening a `HistoryStore`: where the file goes, read-only opening, WAL mode, the tables. */
import { Database } from "bun:sqlite";
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { historyPath } from "../../src/history/index.ts";
import { removeTempDirs, tempDb } from "./helpers.ts";
import { closeOpenStores, openStore, start } from "./store-setup.ts";

afterAll(removeTempDirs);
afterEach(closeOpenStores);

describe("opening", () => {
  test("creates missing folders; historyPath follows AIORCH_HOME and storage.path", () => {
    const { dir } = tempDb();
    const path = join(dir, "a", "b", "history.db");
    openStore(path);
    expect(existsSync(path)).toBe(true);
    expect(historyPath({ env: { AIORCH_HOME: "/h" } })).toBe("/h/history.db");
    expect(historyPath({ storagePath: "/s/x.db", env: { AIORCH_HOME: "/h" } })).toBe("/s/x.db");
  });

  test("read-only: a missing file is an empty history and nothing is created; writes are refused", () => {
    const { path } = tempDb();
    const reader = openStore(path, { readonly: true });
    expect(reader.listRuns()).toEqual([]);
    expect(existsSync(path)).toBe(false);
    expect(() => start(reader, "r")).toThrow(/read-only/);
  });

  test("the file is in WAL mode (foreign keys: see the refused step; busy timeout: the concurrency tests)", () => {
    const { path } = tempDb();
    openStore(path);
    const db = new Database(path);
    expect(db.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
    db.close();
  });

  test("the llm_cache table exists", () => {
    const { path } = tempDb();
    openStore(path);
    const db = new Database(path);
    const columns = db
      .query<{ name: string }, []>("PRAGMA table_info(llm_cache)")
      .all()
      .map((c) => c.name);
    db.close();
    expect(columns).toEqual([
      "key",
      "endpoint",
      "model",
      "response",
      "prompt_tokens",
      "completion_tokens",
      "cost",
      "created_at",
      "hits",
      "last_hit_at",
    ]);
  });
});
