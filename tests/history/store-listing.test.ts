/**
 * Finding runs in a `HistoryStore`: listing (order, filters, crashed runs, volume) and run ids
 * (exact, prefixes, the closest ones when unknown).
 */
import { Database } from "bun:sqlite";
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { HistoryStore, type RunRow } from "../../src/history/index.ts";
import { caughtUserError, deadPid, itemRow, removeTempDirs, tempDb, seedManyRuns } from "./helpers.ts";
import { closeOpenStores, openStore, start } from "./store-setup.ts";

afterAll(removeTempDirs);
afterEach(closeOpenStores);

const thrown = caughtUserError;

describe("listing", () => {
  function seed(store: HistoryStore): void {
    start(store, "r1", { pipeline: "a", startedAt: 1_000 });
    start(store, "r2", { pipeline: "b", startedAt: 2_000 });
    start(store, "r3", { pipeline: "a", startedAt: 3_000 });
    start(store, "r4", { pipeline: "a", startedAt: 3_000 });
    store.finishRun("r1", "success", 0, 1_500);
    store.finishRun("r2", "failed", 0, 2_500);
    store.finishRun("r3", "cancelled", 0, 3_500);
  }

  test("newest first, ties in insertion order reversed, default limit 20", () => {
    const { path } = tempDb();
    const store = openStore(path);
    seed(store);
    expect(store.listRuns().map((r) => r.id)).toEqual(["r4", "r3", "r2", "r1"]);
    for (let i = 0; i < 30; i++) start(store, `x${i}`, { startedAt: 10_000 + i });
    expect(store.listRuns()).toHaveLength(20);
    expect(store.listRuns({ limit: 2 }).map((r) => r.id)).toEqual(["x29", "x28"]);
  });

  test("filters by pipeline and status, and latestRun", () => {
    const { path } = tempDb();
    const store = openStore(path);
    seed(store);
    expect(store.listRuns({ pipeline: "a" }).map((r) => r.id)).toEqual(["r4", "r3", "r1"]);
    expect(store.listRuns({ status: "failed" }).map((r) => r.id)).toEqual(["r2"]);
    expect(store.listRuns({ pipeline: "a", status: "success" }).map((r) => r.id)).toEqual(["r1"]);
    expect(store.listRuns({ status: "running" }).map((r) => r.id)).toEqual(["r4"]);
    expect(store.latestRun("a")?.id).toBe("r4");
    expect(store.latestRun("a", { status: "success" })?.id).toBe("r1");
    expect(store.latestRun("nope")).toBeUndefined();
    expect(thrown(() => store.listRuns({ limit: 0 })).message).toContain("limit");
    expect(thrown(() => store.listRuns({ status: "weird" as RunRow["status"] })).hint).toContain("crashed");
  });

  test("a running run whose process is gone shows as crashed", async () => {
    const { path } = tempDb();
    const store = openStore(path);
    const gone = await deadPid();
    start(store, "dead", { pid: gone, startedAt: 1_000 });
    start(store, "alive", { pid: process.pid, startedAt: 2_000 });
    start(store, "done", { pid: gone, startedAt: 3_000 });
    store.finishRun("done", "success", 0, 4_000);
    expect(store.getRun("dead")?.status).toBe("crashed");
    expect(store.getRun("alive")?.status).toBe("running");
    expect(store.getRun("done")?.status).toBe("success");
    expect(store.listRuns({ status: "crashed" }).map((r) => r.id)).toEqual(["dead"]);
    expect(store.listRuns({ status: "running" }).map((r) => r.id)).toEqual(["alive"]);
    expect(store.latestRun("demo", { status: "crashed" })?.id).toBe("dead");
  });

  test("over 10,000 runs the running ones of a long-gone pid are listed as crashed; 10,000 items are read back", async () => {
    const { path } = tempDb("volume");
    const gone = await deadPid();
    HistoryStore.open(path).close();
    seedManyRuns(path, gone);
    const store = openStore(path);
    store.startRun({
      id: "big",
      pipeline: "big",
      file: "/b.yaml",
      inputs: {},
      pid: process.pid,
      startedAt: 20_000_000,
    });
    for (let i = 0; i < 10_000; i++)
      store.recordItem(itemRow("big", "each", i, { output: { index: i, text: `result ${i}` } }));
    store.flush();
    expect(store.listRuns({ status: "crashed", limit: 100 })).toHaveLength(20);
    expect(store.getItems("big", "each")).toHaveLength(10_000);
  });

  test("a run recorded with this process's pid that this process did not start has crashed (pid reuse)", () => {
    const { path } = tempDb();
    const writer = openStore(path);
    const db = new Database(path);
    db.run(
      "INSERT INTO runs (id, pipeline, file, inputs, status, started_at, pid) VALUES ('old', 'p', 'f', NULL, 'running', 1, ?)",
      [process.pid],
    );
    db.close();
    expect(writer.getRun("old")?.status).toBe("crashed");
  });
});

describe("run ids", () => {
  test("an exact id or a unique prefix of 4+ characters finds a run; an ambiguous one lists the matches", () => {
    const { path } = tempDb();
    const store = openStore(path);
    start(store, "abcd1234", { startedAt: 1_000 });
    start(store, "abcd5678", { startedAt: 2_000 });
    start(store, "abce0000", { startedAt: 3_000 });
    start(store, "abc", { startedAt: 4_000 });
    expect(store.getRun("abcd1")?.id).toBe("abcd1234");
    expect(store.getRun("abce")?.id).toBe("abce0000");
    expect(store.getRun("abc")?.id).toBe("abc");
    expect(store.getRun("ab")).toBeUndefined();
    expect(store.getRun("zzzz")).toBeUndefined();
    const error = thrown(() => store.getRun("abcd"));
    expect(error.message).toContain("abcd1234");
    expect(error.message).toContain("abcd5678");
    expect(error.message).not.toContain("abce0000");
    expect(error.hint).toContain("more characters");
  });

  test("a prefix with LIKE wildcards is taken literally", () => {
    const { path } = tempDb();
    const store = openStore(path);
    start(store, "ab_d1234");
    start(store, "abxd1234");
    expect(store.getRun("ab_d")?.id).toBe("ab_d1234");
    expect(store.getRun("ab%d")).toBeUndefined();
  });

  test("an unknown id is a UserError naming the closest ids", () => {
    const { path } = tempDb();
    const store = openStore(path);
    start(store, "20250101-aaaa", { startedAt: 1_000 });
    start(store, "20250101-bbbb", { startedAt: 2_000 });
    start(store, "zzzzzzzz", { startedAt: 3_000 });
    const error = thrown(() => store.requireRun("20250101-aaab"));
    expect(error.message).toContain("20250101-aaab");
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain("20250101-aaaa");
    expect(error.hint).not.toContain("zzzzzzzz");
    expect(thrown(() => store.requireRun("qqqqqqqqqqqqq")).hint).toContain("aiorch history");
    expect(store.requireRun("zzzz").id).toBe("zzzzzzzz");
  });
});
