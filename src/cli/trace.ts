import { defineCommand } from "citty";
import { existsSync, writeFileSync } from "node:fs";
import { UserError } from "../errors/user-error.ts";
import { documentJson } from "../report/history-format.ts";
import { traceData } from "../report/trace-data-reader.ts";
import { traceJson } from "../report/trace-json.ts";
import { renderTrace } from "../report/trace-view.ts";
import { locateHistory, noRunsYet, readHistory } from "./history.ts";
import { FORMAT_ARG, masked, printErr, printOut } from "./output.ts";

export const traceCommand = defineCommand({
  meta: {
    name: "trace",
    description:
      "A recorded run step by step: status, attempts, start offset, duration on a common timeline, cost, tokens, cache hits, foreach item counts and failures, errors, rendered input and output (one line each; whole with -v).",
  },
  args: {
    run_id: {
      type: "positional",
      required: true,
      description:
        "A run id from `aiorch history`, any part of one (4+ characters, e.g. its last 4) that no other id has, or `last` (the newest run)",
    },
    verbose: {
      type: "boolean",
      alias: "v",
      description: "Inputs, outputs and errors whole, every failed foreach item; with --format json, every item",
    },
    config: {
      type: "string",
      alias: "c",
      description:
        "Config file (default: aiorch.yaml in or above the current folder, else $AIORCH_HOME/config.yaml); its storage.path says where the history is",
      valueHint: "FILE",
    },
    html: {
      type: "string",
      description:
        "Write the run's page of `aiorch ui` to FILE instead: one self-contained HTML file (data inlined, nothing fetched) for a CI artifact or a bug report",
      valueHint: "FILE",
    },
    ...FORMAT_ARG,
  },
  async run({ args }) {
    const file = locateHistory(args.config);
    const id = String(args.run_id);
    if (!existsSync(file)) throw noRunsYet(file, id);
    if (args.html !== undefined) return writeHtml(file, id, args.html, args);
    const verbose = Boolean(args.verbose);
    const json = args.format === "json";
    readHistory(file, (store) => {
      const run = store.requireRun(id);
      const data = traceData(store, run, { allFailures: verbose, allItems: verbose && json });
      if (json) printOut(documentJson(traceJson(data, store.stepCounts([run.id]).get(run.id))));
      else
        printOut(
          renderTrace(data, { verbose, ...(process.stdout.isTTY ? { columns: process.stdout.columns || 80 } : {}) }),
        );
    });
  },
});

/** `trace RUN_ID --html FILE`: the UI's modules load only here. */
async function writeHtml(
  file: string,
  id: string,
  out: string,
  args: { verbose?: boolean; format?: string },
): Promise<void> {
  if (args.verbose || args.format === "json")
    throw new UserError("--html writes the run's page: it takes neither -v nor --format json", {
      hint: "drop -v and --format; the page shows every input, output and item whole",
    });
  if (out.trim() === "") throw new UserError("--html needs a file name", { hint: "e.g. --html run.html" });
  const { HistoryBrowser } = await import("../history/history-browser.ts");
  const { runHtml } = await import("../ui/html-export.ts");
  const browser = HistoryBrowser.open(file);
  let html: string;
  try {
    html = await runHtml(browser, browser.runs.requireRun(id).id, masked);
  } finally {
    browser.close();
  }
  try {
    writeFileSync(out, html);
  } catch (error) {
    throw new UserError(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: "give a file in a folder that exists and that you may write",
    });
  }
  printErr(`wrote ${out} (${Math.round(html.length / 1024)} KB): open it in a browser, no server or network needed`);
}
