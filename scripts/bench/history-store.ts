/**
 * The history store in process (no CLI): what recording costs per foreach item, per step
 * and per run (amortised over the group commits), and the read queries over 10,000 runs.
 * Figures only, for `bun run bench` (they were printed by the test suite before).
 */
import { join } from "node:path";
import { HistoryStore } from "../../src/history/index.ts";
import { deadPid, itemRow, seedManyRuns, stepRow } from "../../tests/history/helpers.ts";

/** Mean milliseconds of `fn` over `repeat` calls. */
function timeIt(fn: () => void, repeat = 1): number {
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) fn();
  return (performance.now() - t0) / repeat;
}

function recording(work: string): string {
  const store = HistoryStore.open(join(work, "store-write.db"));
  store.startRun({ id: "r", pipeline: "p", file: "/p.yaml", inputs: {}, pid: process.pid, startedAt: 1 });
  const items = 100_000;
  const perItem =
    timeIt(() => {
      for (let i = 0; i < items; i++)
        store.recordItem(itemRow("r", `step${i % 10}`, i, { output: { index: i, text: `line ${i} of the output` } }));
      store.flush();
    }) / items;
  const steps = 20_000;
  const perStep =
    timeIt(() => {
      for (let i = 0; i < steps; i++)
        store.recordStep(stepRow("r", `s${i}`, { output: { value: i, text: "some output text" } }));
      store.flush();
    }) / steps;
  const runs = 1_000;
  const perRun =
    timeIt(() => {
      for (let i = 0; i < runs; i++) {
        store.startRun({ id: `x${i}`, pipeline: "p", file: "/p.yaml", inputs: { i }, pid: process.pid, startedAt: i });
        store.finishRun(`x${i}`, "success", 0, i + 1);
      }
    }) / runs;
  store.close();
  return `  store, in process: ${(perItem * 1000).toFixed(2)} µs per item, ${(perStep * 1000).toFixed(2)} µs per step, ${(perRun * 1000).toFixed(0)} µs per startRun+finishRun (two commits)`;
}

async function reading(work: string): Promise<string[]> {
  const path = join(work, "store-read.db");
  const gone = await deadPid();
  HistoryStore.open(path).close();
  seedManyRuns(path, gone);
  const store = HistoryStore.open(path);
  store.startRun({ id: "big", pipeline: "big", file: "/b.yaml", inputs: {}, pid: process.pid, startedAt: 20_000_000 });
  for (let i = 0; i < 10_000; i++)
    store.recordItem(itemRow("big", "each", i, { output: { index: i, text: `result ${i}` } }));
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
    latestRun: timeIt(() => store.latestRun("pipeline-3"), 200),
    "getItems (10,000 items)": timeIt(() => store.getItems("big", "each"), 10),
    "getSteps (200 steps)": timeIt(() => store.getSteps("big"), 50),
    "requireRun miss (closest ids over 10,000)": timeIt(() => {
      try {
        store.requireRun("run-x9999");
      } catch {
        // expected: no such run
      }
    }, 5),
  };
  store.close();
  return [
    "  store, in process, reading over 10,000 runs:",
    ...Object.entries(figures).map(([name, ms]) => `    ${name.padEnd(44)} ${ms.toFixed(3)} ms`),
  ];
}

/** The report lines of the in-process store figures, from databases under `work`. */
export async function benchHistoryStore(work: string): Promise<string[]> {
  return [recording(work), ...(await reading(work))];
}
