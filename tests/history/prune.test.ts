import { Database } from "bun:sqlite";
import { afterAll, afterEach, expect, test } from "bun:test";
import { statSync, existsSync } from "node:fs";
import { UserError } from "../../src/errors/user-error.ts";
import { HistoryStore, type PruneOptions } from "../../src/history/index.ts";
import { deadPid, itemRow, removeTempDirs, stepRow, tempDb } from "./helpers.ts";

afterAll(removeTempDirs);

const DAY = 86_400_000;
const stores: HistoryStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** Ten finished runs, one a day (run `d0` on day 0 … `d9` on day 9), each with 2 steps × 50 items of 2 KB. */
function seeded(): { store: HistoryStore; path: string } {
  const { path } = tempDb("prune");
  const store = HistoryStore.open(path);
  stores.push(store);
  for (let day = 0; day < 10; day++) {
    const id = `d${day}`;
    store.startRun({ id, pipeline: "p", file: "/p.yaml", inputs: {}, pid: process.pid, startedAt: day * DAY });
    for (const step of ["a", "b"]) {
      store.recordStep(stepRow(id, step));
      for (let i = 0; i < 50; i++) store.recordItem(itemRow(id, step, i, { output: "x".repeat(2_048) }));
    }
    store.finishRun(id, "success", 0, day * DAY + 1);
  }
  return { store, path };
}

function ids(store: HistoryStore): string[] {
  return store
    .listRuns({ limit: 100 })
    .map((r) => r.id)
    .sort();
}

function onDisk(path: string): number {
  return [path, `${path}-wal`].reduce((sum, file) => sum + (existsSync(file) ? statSync(file).size : 0), 0);
}

test("by age: deletes runs older than the cutoff with their steps and items, and gives the space back", () => {
  const { store, path } = seeded();
  const result = store.prune({ olderThanMs: 5 * DAY, now: 10 * DAY });
  expect(result.runs).toBe(5);
  expect(ids(store)).toEqual(["d5", "d6", "d7", "d8", "d9"]);
  console.log(`prune: ${result.bytesBefore} bytes before, ${result.bytesAfter} after`);
  expect(result.bytesAfter).toBeLessThan(result.bytesBefore * 0.75);
  expect(result.bytesAfter).toBe(onDisk(path));
  const raw = new Database(path, { readonly: true });
  expect(raw.query("SELECT COUNT(*) AS n FROM steps").get()).toEqual({ n: 10 });
  expect(raw.query("SELECT COUNT(*) AS n FROM items").get()).toEqual({ n: 500 });
  expect(raw.query("SELECT COUNT(*) AS n FROM items WHERE run_id = 'd0'").get()).toEqual({ n: 0 });
  raw.close();
});

test("by count: keeps the newest N", () => {
  const { store } = seeded();
  expect(store.prune({ keep: 3 }).runs).toBe(7);
  expect(ids(store)).toEqual(["d7", "d8", "d9"]);
  expect(store.prune({ keep: 3 }).runs).toBe(0);
  expect(store.prune({ keep: 0 }).runs).toBe(3);
  expect(ids(store)).toEqual([]);
});

test("both: only runs that are old AND beyond the newest N", () => {
  const { store } = seeded();
  expect(store.prune({ olderThanMs: 3 * DAY, keep: 8, now: 10 * DAY }).runs).toBe(2);
  expect(ids(store)).toEqual(["d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"]);
  expect(store.prune({ olderThanMs: 8 * DAY, keep: 1, now: 10 * DAY }).runs).toBe(0);
});

test("a run still in progress is kept; a crashed one is deleted", async () => {
  const { store } = seeded();
  store.startRun({ id: "live", pipeline: "p", file: "/p.yaml", inputs: {}, pid: process.pid, startedAt: 0 });
  store.startRun({ id: "crashed", pipeline: "p", file: "/p.yaml", inputs: {}, pid: await deadPid(), startedAt: 0 });
  store.prune({ keep: 0 });
  expect(ids(store)).toEqual(["live"]);
  store.recordStep(stepRow("live", "still-writable"));
  store.flush();
});

test("bad arguments are UserErrors that say what to pass", () => {
  const { store } = seeded();
  const bad: PruneOptions[] = [
    {},
    { keep: -1 },
    { keep: 1.5 },
    { olderThanMs: Number.NaN },
    { olderThanMs: -5 },
    { keep: 1, now: Number.POSITIVE_INFINITY },
  ];
  for (const options of bad) {
    let error: unknown;
    try {
      store.prune(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).hint).toContain("--keep");
  }
  expect(ids(store)).toHaveLength(10);
});
