/** Child process: writes RUNS runs × STEPS steps × ITEMS items into DB, run ids prefixed by TAG. */
import { HistoryStore } from "../../../src/history/index.ts";

const [path, tag, runs, steps, items] = process.argv.slice(2);
if (!path || !tag) throw new Error("usage: writer.ts DB TAG RUNS STEPS ITEMS");
const store = HistoryStore.open(path);
for (let r = 0; r < Number(runs); r++) {
  const runId = `${tag}-${r}`;
  store.startRun({
    id: runId,
    pipeline: `p-${tag}`,
    file: "/p.yaml",
    inputs: { r },
    pid: process.pid,
    startedAt: Date.now(),
  });
  for (let s = 0; s < Number(steps); s++) {
    const name = `step${s}`;
    for (let i = 0; i < Number(items); i++) {
      store.recordItem({
        runId,
        step: name,
        index: i,
        status: "success",
        output: { r, s, i },
        error: null,
        durationMs: 1,
      });
    }
    store.recordStep({
      runId,
      name,
      primitive: "run",
      status: "success",
      attempts: 1,
      startedAt: Date.now(),
      durationMs: 1,
      input: "echo",
      output: s,
      error: null,
      reason: null,
      model: null,
      promptTokens: null,
      completionTokens: null,
      cost: 0.001,
      cached: false,
      itemsTotal: Number(items),
      itemsDone: Number(items),
      itemsFailed: 0,
    });
  }
  store.finishRun(runId, "success", 0.001 * Number(steps), Date.now());
}
store.close();
console.log("done");
