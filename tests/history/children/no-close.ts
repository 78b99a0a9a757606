/** Child process: starts run ID, records one step, and ends without flush or close. */
import { HistoryStore } from "../../../src/history/index.ts";

const [path, runId] = process.argv.slice(2);
if (!path || !runId) throw new Error("usage: no-close.ts DB RUN_ID");
const store = HistoryStore.open(path);
store.startRun({ id: runId, pipeline: "p", file: "/p.yaml", inputs: {}, pid: process.pid, startedAt: Date.now() });
store.recordStep({
  runId,
  name: "last",
  primitive: "run",
  status: "success",
  attempts: 1,
  startedAt: Date.now(),
  durationMs: 1,
  input: null,
  output: "kept",
  error: null,
  reason: null,
  model: null,
  promptTokens: null,
  completionTokens: null,
  cost: 0,
  cached: false,
  itemsTotal: null,
  itemsDone: null,
  itemsFailed: null,
});
store.finishRun(runId, "success", 0, Date.now());
store.recordItem({
  runId,
  step: "last",
  index: 0,
  status: "success",
  output: "after finish",
  error: null,
  durationMs: 0,
});
