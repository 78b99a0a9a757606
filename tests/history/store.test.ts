import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HistoryStore, historyPath, type RunRow, type StepRow } from "../../src/history/index.ts";
import { IntegralFloat } from "../../src/model/py-value.ts";
import { deadPid, itemRow, removeTempDirs, stepRow, tempDb, caughtUserError } from "./helpers.ts";

afterAll(removeTempDirs);

const open: HistoryStore[] = [];
function openStore(path: string, options?: Parameters<typeof HistoryStore.open>[1]): HistoryStore {
  const store = HistoryStore.open(path, options);
  open.push(store);
  return store;
}
afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

function start(
  store: HistoryStore,
  id: string,
  overrides: Partial<Parameters<HistoryStore["startRun"]>[0]> = {},
): void {
  store.startRun({
    id,
    pipeline: "demo",
    file: "/p/demo.yaml",
    inputs: { n: 1 },
    pid: process.pid,
    startedAt: 1_000,
    ...overrides,
  });
}

const thrown = caughtUserError;

describe("round trips", () => {
  test("every field of a run, a step and an item comes back as written", () => {
    const { path } = tempDb();
    const store = openStore(path);
    const inputs = { text: "héllo \u{1F600}", list: [1, 2.5, null, true], nested: { deep: ["x"] } };
    store.startRun({
      id: "run-1",
      pipeline: "demo",
      file: "/p/demo.yaml",
      inputs,
      pid: process.pid,
      startedAt: 1_700_000_000_123,
      resumedFrom: "run-0",
    });
    const step: StepRow = {
      runId: "run-1",
      name: "flow/child",
      primitive: "prompt",
      status: "cached",
      attempts: 3,
      startedAt: 1_700_000_000_200,
      durationMs: 1234.5,
      input: "Summarise: 'quotes' \"and\" \\ backslashes",
      output: { answer: "42", tokens: [1, 2] },
      error: "first attempt failed",
      reason: "retried",
      log: "warning: slow answer\nsecond line",
      model: "gpt-4o-mini",
      promptTokens: 120,
      completionTokens: 30,
      cost: 0.00123,
      cached: true,
      cacheHits: 7,
      llmRequests: 4,
      reasks: 1,
      itemsTotal: 10,
      itemsDone: 9,
      itemsFailed: 1,
      masked: true,
      failedAttempts: [
        {
          attempt: 1,
          error: "first attempt failed",
          output: { stdout: "partial", stderr: "rate limited\nretry later" },
        },
        { attempt: 2, error: "second attempt failed" },
      ],
    };
    store.recordStep(step);
    const item = itemRow("run-1", "flow/child", 7, {
      status: "failed",
      output: ["a", { b: null }],
      error: "boom",
      durationMs: 8.25,
      input: "Summarise: item 7",
      cached: true,
      endedAt: 1_700_000_000_123,
      failedAttempts: [{ attempt: 1, item: 7, error: "boom", output: { stdout: "", stderr: "boom!" } }],
    });
    store.recordItem(item);
    store.flush();

    const reader = openStore(path, { readonly: true });
    const run = reader.getRun("run-1");
    expect(run).toEqual({
      id: "run-1",
      pipeline: "demo",
      file: "/p/demo.yaml",
      inputs,
      status: "running",
      startedAt: 1_700_000_000_123,
      finishedAt: null,
      totalCost: 0.00123,
      pid: process.pid,
      resumedFrom: "run-0",
      imported: null,
      filePath: "/p/demo.yaml",
      sources: null,
      inputsDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      reusedUnmatched: null,
    });
    expect(reader.getSteps("run-1")).toEqual([step]);
    expect(reader.getItems("run-1", "flow/child")).toEqual([item]);

    store.finishRun("run-1", "failed", 0.5, 1_700_000_009_000);
    expect(reader.getRun("run-1")).toMatchObject({ status: "failed", totalCost: 0.5, finishedAt: 1_700_000_009_000 });
  });

  test("null, undefined, strings and numbers as outputs stay apart", () => {
    const { path } = tempDb();
    const store = openStore(path);
    start(store, "r");
    const outputs: unknown[] = [null, undefined, "null", 0, "", false, [], {}];
    outputs.forEach((output, i) => store.recordStep(stepRow("r", `s${i}`, { output, startedAt: 1_000 + i })));
    store.recordStep(
      stepRow("r", "big", {
        output: { n: 10n, big: 2n ** 64n + 1n, f: new IntegralFloat(40), g: 0.5 },
        startedAt: 2_000,
      }),
    );
    store.flush();
    const steps = store.getSteps("r");
    expect(steps.slice(0, outputs.length).map((s) => s.output)).toEqual(outputs);
    // Python-exact: a bigint that fits is read back as a number, a big one keeps every digit, 40.0 stays a float.
    expect(steps.at(-1)?.output).toEqual({ n: 10, big: 2n ** 64n + 1n, f: new IntegralFloat(40), g: 0.5 });
  });

  test("a cyclic output is stored instead of failing the batch", () => {
    const { path } = tempDb();
    const store = openStore(path);
    start(store, "r");
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    store.recordStep(stepRow("r", "s", { output: cyclic }));
    store.flush();
    expect(store.getSteps("r")[0]?.output).toEqual({ a: 1, self: "[Circular]" });
  });

  test("upserts: a step and an item recorded twice keep the last version", () => {
    const { path } = tempDb();
    const store = openStore(path);
    start(store, "r");
    store.recordStep(stepRow("r", "s", { status: "failed", attempts: 1, error: "x" }));
    store.recordItem(itemRow("r", "s", 0, { status: "failed", error: "x" }));
    store.flush();
    store.recordStep(stepRow("r", "s", { status: "success", attempts: 2, error: null }));
    store.recordStep(stepRow("r", "s", { status: "success", attempts: 3, error: null }));
    store.recordItem(itemRow("r", "s", 0, { status: "success", output: "ok" }));
    store.flush();
    expect(store.getSteps("r")).toEqual([stepRow("r", "s", { status: "success", attempts: 3 })]);
    expect(store.getItems("r", "s")).toEqual([itemRow("r", "s", 0, { output: "ok" })]);
  });

  test("steps come in start order, never-started ones where they were recorded; items by index", () => {
    const { path } = tempDb();
    const store = openStore(path);
    start(store, "r");
    store.recordStep(stepRow("r", "b", { startedAt: 3_000 }));
    store.recordStep(stepRow("r", "a", { startedAt: 2_000 }));
    store.recordStep(stepRow("r", "flow", { startedAt: 1_000 }));
    store.recordStep(stepRow("r", "skipped", { startedAt: null, status: "skipped", reason: "condition is false" }));
    for (const index of [3, 0, 2, 1]) store.recordItem(itemRow("r", "a", index));
    store.flush();
    expect(store.getSteps("r").map((s) => s.name)).toEqual(["flow", "a", "b", "skipped"]);
    expect(store.getItems("r", "a").map((i) => i.index)).toEqual([0, 1, 2, 3]);
    expect(store.getItems("r", "b")).toEqual([]);
  });

  test("a running run's total is the sum of its steps so far", () => {
    const { path } = tempDb();
    const store = openStore(path);
    start(store, "r");
    store.recordStep(stepRow("r", "a", { cost: 0.25 }));
    store.recordStep(stepRow("r", "b", { cost: 0.5 }));
    store.flush();
    expect(store.getRun("r")?.totalCost).toBe(0.75);
    store.finishRun("r", "success", 2, 5_000);
    expect(store.getRun("r")?.totalCost).toBe(2);
  });

  test("a step of a run that was never started is refused on flush, the rest is kept", () => {
    const { path } = tempDb();
    const store = openStore(path);
    start(store, "r");
    store.recordStep(stepRow("r", "good"));
    store.recordStep(stepRow("ghost", "bad"));
    expect(() => store.flush()).toThrow(/refused/);
    expect(store.getSteps("r").map((s) => s.name)).toEqual(["good"]);
    expect(() => store.finishRun("ghost", "success", 0, 1)).toThrow(/never started/);
  });

  test("secrets given to open are masked in everything written", () => {
    const { path } = tempDb();
    const store = openStore(path, { secrets: ["sk-verysecret"] });
    start(store, "r", { inputs: { key: "sk-verysecret", list: ["x sk-verysecret y"] } });
    store.recordStep(
      stepRow("r", "s", {
        input: "curl -H 'Bearer sk-verysecret'",
        output: { o: "sk-verysecret" },
        error: "bad sk-verysecret",
      }),
    );
    store.recordItem(itemRow("r", "s", 0, { output: "sk-verysecret", error: "sk-verysecret!" }));
    store.close();
    for (const file of [path, `${path}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes("sk-verysecret")).toBe(false);
    }
    const reader = openStore(path, { readonly: true });
    expect(reader.getRun("r")?.inputs).toEqual({ key: "***", list: ["x *** y"] });
    expect(reader.getSteps("r")[0]).toMatchObject({
      input: "curl -H 'Bearer ***'",
      output: { o: "***" },
      error: "bad ***",
    });
    expect(reader.getItems("r", "s")[0]).toMatchObject({ output: "***", error: "***!" });
  });
});

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
    const raw = new Database(path);
    raw.transaction(() => {
      const insert = raw.prepare(
        "INSERT INTO runs (id, pipeline, file, inputs, status, started_at, finished_at, total_cost, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      );
      const statuses = ["success", "failed", "cancelled", "success"];
      for (let i = 0; i < 10_000; i++) {
        // Every 500th run is a "running" run of a long-gone pid: shown as crashed.
        const status = i % 500 === 0 ? "running" : statuses[i % 4]!;
        insert.run(
          `run-${String(i).padStart(5, "0")}-x`,
          `pipeline-${i % 25}`,
          "/p.yaml",
          JSON.stringify({ i }),
          status,
          i * 1000,
          i * 1000 + 500,
          0.01,
          gone,
        );
      }
      insert.finalize();
    })();
    raw.close();
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
