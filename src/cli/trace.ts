import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { documentJson } from "../report/history-format.ts";
import { traceData } from "./trace-data-reader.ts";
import { traceJson } from "../report/trace-json.ts";
import { renderTrace } from "../report/trace-view.ts";
import { locateHistory, noRunsYet, readHistory } from "./history.ts";
import { FORMAT_ARG, printOut } from "./output.ts";

export const traceCommand = defineCommand({
  meta: {
    name: "trace",
    description: "A recorded run step by step: status, attempts, start offset, duration on a common timeline, cost, tokens, cache hits, foreach item counts and failures, errors, rendered input and output (one line each; whole with -v).",
  },
  args: {
    run_id: { type: "positional", required: true, description: "A run id from `aiorch history`, any part of one (4+ characters, e.g. its last 4) that no other id has, or `last` (the newest run)" },
    verbose: { type: "boolean", alias: "v", description: "Inputs, outputs and errors whole, every failed foreach item; with --format json, every item" },
    config: { type: "string", alias: "c", description: "Config file (default: aiorch.yaml in or above the current folder, else $AIORCH_HOME/config.yaml); its storage.path says where the history is", valueHint: "FILE" },
    ...FORMAT_ARG,
  },
  run({ args }) {
    const file = locateHistory(args.config);
    const id = String(args.run_id);
    if (!existsSync(file)) throw noRunsYet(file, id);
    const verbose = Boolean(args.verbose);
    const json = args.format === "json";
    readHistory(file, (store) => {
      const run = store.requireRun(id);
      const data = traceData(store, run, { allFailures: verbose, allItems: verbose && json });
      if (json) printOut(documentJson(traceJson(data, store.stepCounts([run.id]).get(run.id))));
      else printOut(renderTrace(data, { verbose, ...(process.stdout.isTTY ? { columns: process.stdout.columns || 80 } : {}) }));
    });
  },
});

