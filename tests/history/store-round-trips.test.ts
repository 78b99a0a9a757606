/** `HistoryStore` round trips: what is written (runs, steps, items, outputs, secrets) is what is read back. */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import type { StepRow } from "../../src/history/index.ts";
import { IntegralFloat } from "../../src/model/py-value.ts";
import { itemRow, removeTempDirs, stepRow, tempDb } from "./helpers.ts";
import { closeOpenStores, openStore, start } from "./store-setup.ts";

afterAll(removeTempDirs);
afterEach(closeOpenStores);

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
