import { defineCommand } from "citty";
import { dirname } from "node:path";
import { ExitCode } from "../errors/user-error.ts";
import type { EngineEvent } from "../engine/events.ts";
import { RunContext } from "../engine/run-context.ts";
import { runPipeline } from "../engine/run-pipeline.ts";
import { resolveInputs } from "../load/inputs.ts";
import { renderPlan } from "../report/plan-view.ts";
import { runJson } from "../report/run-json.ts";
import { RunView } from "../report/run-view.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, printErr, printOut, useColor } from "./output.ts";
import { concurrencyArg, inputPairs, newRunId } from "./run-args.ts";

export const runCommand = defineCommand({
  meta: { name: "run", description: "Run a pipeline: validate it, resolve its inputs, execute the DAG. Exit 0 success, 1 a step failed, 2 invalid pipeline/inputs/usage, 130 interrupted." },
  args: {
    file: { type: "positional", description: "Pipeline file", required: true },
    i: { type: "string", description: "An input, KEY=VALUE or KEY=@path (a file, parsed by its extension); repeatable", valueHint: "KEY=VALUE" },
    input: { type: "string", description: "All inputs at once: a JSON/YAML file, or inline JSON '{\"key\": 1}'", valueHint: "FILE|JSON" },
    dry: { type: "boolean", description: "Validate, resolve inputs and print the plan; run nothing" },
    verbose: { type: "boolean", alias: "v", description: "Show each step's rendered command/prompt and its full result" },
    concurrency: { type: "string", description: "Cap on steps (and foreach items) in flight across the run (default: unlimited)", valueHint: "N" },
    ...FORMAT_ARG,
  },
  async run({ args, rawArgs }) {
    const json = args.format === "json";
    const pipeline = await loadValidPipeline(args.file, args.format);
    const concurrency = concurrencyArg(args.concurrency);
    const cwd = process.cwd();
    const inputs = await resolveInputs(pipeline.inputs, pipeline.declaresInputs, {
      pairs: inputPairs(rawArgs),
      ...(args.input !== undefined ? { input: args.input } : {}),
      cwd,
      defaultsDir: dirname(pipeline.file),
    });
    if (args.dry) {
      printOut(renderPlan(pipeline, inputs));
      return ExitCode.ok;
    }
    const runId = newRunId();
    const view = json ? undefined : new RunView({ verbose: Boolean(args.verbose), color: useColor(process.stdout) }, pipeline.steps.map((s) => s.name));
    const controller = new AbortController();
    let interrupted = false;
    const onSignal = () => {
      if (interrupted) process.exit(ExitCode.interrupted);
      interrupted = true;
      printErr("\ninterrupted: stopping running steps (press Ctrl-C again to quit at once)");
      controller.abort(new Error("cancelled"));
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const run = new RunContext({
      runId,
      emit: (event: EngineEvent) => view?.handle(event),
      signal: controller.signal,
      cwd,
      env: process.env,
      ...(concurrency !== undefined ? { concurrency } : {}),
    });
    try {
      const result = await runPipeline(pipeline, inputs, run);
      if (json) printOut(runJson(runId, result));
      else {
        if (result.outputError) printErr(`error: ${result.outputError}`);
        view!.summary(pipeline.name, result.status, result.steps.length, result.durationMs, 0);
      }
      return result.status === "success" ? ExitCode.ok : result.status === "cancelled" ? ExitCode.interrupted : ExitCode.stepFailed;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await run.close();
    }
  },
});
