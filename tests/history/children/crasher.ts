/** Child process: starts run ID in DB, then records one step every 120 ms (never flushing by hand), forever. */
import { HistoryStore } from "../../../src/history/index.ts";

const [path, runId] = process.argv.slice(2);
if (!path || !runId) throw new Error("usage: crasher.ts DB RUN_ID");
const store = HistoryStore.open(path);
store.startRun({ id: runId, pipeline: "crashy", file: "/c.yaml", inputs: {}, pid: process.pid, startedAt: Date.now() });
for (let k = 0; ; k++) {
  store.recordStep({
    runId,
    name: `s${k}`,
    primitive: "run",
    status: "success",
    attempts: 1,
    startedAt: Date.now(),
    durationMs: 1,
    input: null,
    output: k,
    error: null,
    reason: null,
    model: null,
    promptTokens: null,
    completionTokens: null,
    cost: 0,
    cached: false,
    itemsTotal: 3,
    itemsDone: 3,
    itemsFailed: 0,
  });
  for (let i = 0; i < 3; i++)
    store.recordItem({ runId, step: `s${k}`, index: i, status: "success", output: i, error: null, durationMs: 0 });
  await Bun.sleep(120);
  console.log(`recorded ${k}`);
}
