/**
 * `aiorch __complete steps [FILE]` and `aiorch __complete runs [--config FILE]`: the values
 * the completion scripts (`aiorch completion bash|zsh|fish`) cannot know by themselves —
 * the step names of a pipeline, the run ids of the history. Hidden from help and from the
 * completions. The shell calls it at every TAB, so it must be quick and must never get in
 * the way: whatever goes wrong (no file, a broken YAML, no history, an unreadable
 * database), it prints nothing and exits 0.
 */
import { defineCommand } from "citty";
import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { findPipelineFile } from "../load/pipeline-file.ts";

/** Run ids offered: the newest this many (the history can hold thousands). */
const RUNS_OFFERED = 100;

/**
 * The step names of `file` (default: the pipeline of the current folder), in file order.
 * Only the YAML is read — no validation — so a pipeline being edited still completes.
 */
export function stepNames(file: string | undefined): string[] {
  const path = file ?? findPipelineFile();
  const doc = parse(readFileSync(path, "utf8")) as { steps?: unknown } | null;
  const steps = doc?.steps;
  if (steps === null || typeof steps !== "object" || Array.isArray(steps)) return [];
  return Object.keys(steps).filter((name) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name));
}

/** `ID<TAB>pipeline status`, newest first: the description after the tab is for zsh and fish. */
async function runLines(config: string | undefined): Promise<string[]> {
  const { locateHistory, readHistory } = await import("./history.ts");
  const file = locateHistory(config);
  if (!existsSync(file)) return [];
  return readHistory(file, (store) =>
    store.listRuns({ limit: RUNS_OFFERED }).map((r) => `${r.id}\t${r.pipeline} ${r.status}`),
  );
}

export const completeValuesCommand = defineCommand({
  meta: { name: "__complete", description: "Values for the completion scripts: `steps [FILE]` or `runs` (hidden)" },
  args: {
    what: { type: "positional", required: false, description: "steps or runs" },
    file: { type: "positional", required: false, description: "The pipeline file, for steps" },
    config: { type: "string", alias: "c", description: "Config file, for runs", valueHint: "FILE" },
  },
  async run({ args }) {
    let lines: string[] = [];
    try {
      if (args.what === "steps")
        lines = stepNames(args.file === undefined || args.file === "" ? undefined : String(args.file));
      else if (args.what === "runs") lines = await runLines(args.config);
    } catch {
      // A TAB must never print an error into the command line being typed.
    }
    if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
  },
});
