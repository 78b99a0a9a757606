/** Child process: opens DB (read-only with "readonly"), records a run, and prints what happened as JSON. */
import { UserError } from "../../../src/errors/user-error.ts";
import { HistoryStore } from "../../../src/history/index.ts";

const [path, mode] = process.argv.slice(2);
if (!path) throw new Error("usage: open-store.ts DB [readonly]");
try {
  const store = HistoryStore.open(path, { readonly: mode === "readonly" });
  if (mode !== "readonly")
    store.startRun({ id: "r", pipeline: "p", file: "/p.yaml", inputs: {}, pid: process.pid, startedAt: 1 });
  console.log(JSON.stringify({ ok: true, runs: store.listRuns().length }));
  store.close();
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  console.log(JSON.stringify({ ok: false, message: error.message, hint: error.hint, exitCode: error.exitCode }));
}
