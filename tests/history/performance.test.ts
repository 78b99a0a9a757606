import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { HistoryStore } from "../../src/history/index.ts";
import { deadPid, itemRow, removeTempDirs, stepRow, tempDb } from "./helpers.ts";

afterAll(removeTempDirs);

/** Figures are printed, not asserted: machines differ. */
function timeIt(fn: () => void, repeat = 1): number {
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) fn();
  return (performance.now() - t0) / repeat;
}

test("recording cost per item and per step, amortised over the group commits", () => {
  const { path } = tempDb("perf-write");
  const store = HistoryStore.open(path);
  store.startRun({ id: "r", pipeline: "p", file: "/p.yaml", inputs: {}, pid: process.pid, startedAt: 1 });
  const items = 100_000;
  const perItem =
    timeIt(() => {
      for (let i = 0; i < items; i++) store.recordItem(itemRow("r", `step${i % 10}`, i, { output: { index: i, text: `line ${i} of the output` } }));
      store.flush();
    }) / items;
  const steps = 20_000;
  const perStep =
    timeIt(() => {
      for (let i = 0; i < steps; i++) store.recordStep(stepRow("r", `s${i}`, { output: { value: i, text: "some output text" } }));
      store.flush();
    }) / steps;
  const runs = 1_000;
  const perRun = timeIt(() => {
    for (let i = 0; i < runs; i++) {
      store.startRun({ id: `x${i}`, pipeline: "p", file: "/p.yaml", inputs: { i }, pid: process.pid, startedAt: i });
      store.finishRun(`x${i}`, "success", 0, i + 1);
    }
  }) / runs;
  store.close();
  console.log(
    `recording: ${(perItem * 1000).toFixed(2)} µs per item, ${(perStep * 1000).toFixed(2)} µs per step, ` +
      `${(perRun * 1000).toFixed(0)} µs per startRun+finishRun (two commits)`,
  );
  expect(perItem).toBeGreaterThan(0);
});

test("reading: listRuns over 10,000 runs, getItems of 10,000 items", async () => {
  const { path } = tempDb("perf-read");
  const gone = await deadPid();
  HistoryStore.open(path).close();
  const raw = new Database(path);
  raw.transaction(() => {
    const insert = raw.prepare("INSERT INTO runs (id, pipeline, file, inputs, status, started_at, finished_at, total_cost, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const statuses = ["success", "failed", "cancelled", "success"];
    for (let i = 0; i < 10_000; i++) {
      // Every 500th run is a "running" run of a long-gone pid: shown as crashed.
      const status = i % 500 === 0 ? "running" : statuses[i % 4]!;
      insert.run(`run-${String(i).padStart(5, "0")}-x`, `pipeline-${i % 25}`, "/p.yaml", JSON.stringify({ i }), status, i * 1000, i * 1000 + 500, 0.01, gone);
    }
    insert.finalize();
  })();
  raw.close();

  const store = HistoryStore.open(path);
  store.startRun({ id: "big", pipeline: "big", file: "/b.yaml", inputs: {}, pid: process.pid, startedAt: 20_000_000 });
  for (let i = 0; i < 10_000; i++) store.recordItem(itemRow("big", "each", i, { output: { index: i, text: `result ${i}` } }));
  for (let i = 0; i < 200; i++) store.recordStep(stepRow("big", `step${i}`, { startedAt: 20_000_000 + i }));
  store.flush();

  store.listRuns(); // warm the statement cache
  const figures = {
    "listRuns()": timeIt(() => store.listRuns(), 200),
    "listRuns({ pipeline })": timeIt(() => store.listRuns({ pipeline: "pipeline-7" }), 200),
    "listRuns({ status: failed })": timeIt(() => store.listRuns({ status: "failed" }), 200),
    "listRuns({ status: crashed })": timeIt(() => store.listRuns({ status: "crashed" }), 200),
    "listRuns({ limit: 1000 })": timeIt(() => store.listRuns({ limit: 1000 }), 20),
    "getRun(prefix)": timeIt(() => store.getRun("run-01234"), 200),
    "latestRun": timeIt(() => store.latestRun("pipeline-3"), 200),
    "getItems (10,000 items)": timeIt(() => store.getItems("big", "each"), 10),
    "getSteps (200 steps)": timeIt(() => store.getSteps("big"), 50),
    "requireRun miss (closest ids over 10,000)": timeIt(() => {
      try {
        store.requireRun("run-x9999");
      } catch {
        // expected
      }
    }, 5),
  };
  expect(store.listRuns({ status: "crashed", limit: 100 })).toHaveLength(20);
  expect(store.getItems("big", "each")).toHaveLength(10_000);
  store.close();
  console.log(
    "reading over 10,000 runs:\n" +
      Object.entries(figures)
        .map(([name, ms]) => `  ${name.padEnd(44)} ${ms.toFixed(3)} ms`)
        .join("\n"),
  );
});
