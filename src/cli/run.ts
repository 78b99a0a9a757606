import { defineCommand } from "citty";
import { dirname, resolve } from "node:path";
import type { EngineEvent } from "../engine/events.ts";
import { RunContext } from "../engine/run-context.ts";
import { runPipeline } from "../engine/run-pipeline.ts";
import { ExitCode } from "../errors/user-error.ts";
import { loadConfig } from "../load/config.ts";
import { resolveInputs } from "../load/inputs.ts";
import { planLayers, renderPlan } from "../report/plan-view.ts";
import { runJson } from "../report/run-json.ts";
import { RunView } from "../report/run-view.ts";
import { PYTHON_CHECK_SCRIPT, type BodyReport, type PythonChecker, type ValidateOptions } from "../validate/index.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, printErr, printJson, printOut, useColor } from "./output.ts";
import { concurrencyArg, inputPairs, newRunId } from "./run-args.ts";

interface RunArgs {
  file: string;
  format: string;
  input?: string;
  dry?: boolean;
  verbose?: boolean;
  concurrency?: string;
  config?: string;
}

export const runCommand = defineCommand({
  meta: { name: "run", description: "Run a pipeline: validate it, resolve its inputs, execute the DAG. Exit 0 success, 1 a step failed, 2 invalid pipeline/inputs/usage, 130 interrupted." },
  args: {
    file: { type: "positional", description: "Pipeline file", required: true },
    i: { type: "string", description: "An input, KEY=VALUE or KEY=@path (a file, parsed by its extension); repeatable", valueHint: "KEY=VALUE" },
    input: { type: "string", description: "All inputs at once: a JSON/YAML file, or inline JSON '{\"key\": 1}'", valueHint: "FILE|JSON" },
    dry: { type: "boolean", description: "Validate, resolve inputs and print the plan; run nothing" },
    verbose: { type: "boolean", alias: "v", description: "Show each step's rendered command/prompt and its full result" },
    concurrency: { type: "string", description: "Cap on steps (and foreach items) in flight across the run (default: unlimited)", valueHint: "N" },
    config: { type: "string", description: "Config file (default: aiorch.yaml next to or above the pipeline, else $AIORCH_HOME/config.yaml)", valueHint: "FILE" },
    ...FORMAT_ARG,
  },
  async run({ args, rawArgs }) {
    const controller = new AbortController();
    let view: RunView | undefined;
    const { config } = loadConfig({ ...(args.config !== undefined ? { explicit: args.config } : {}), pipelineDir: dirname(resolve(args.file)) });
    const run = new RunContext({
      ...(config.python ? { python: config.python } : {}),
      runId: newRunId(),
      emit: (event: EngineEvent) => view?.handle(event),
      signal: controller.signal,
      cwd: process.cwd(),
      env: process.env,
    });
    try {
      return await execute(args, rawArgs, run, controller, (v) => (view = v));
    } finally {
      await run.close();
    }
  },
});

/**
 * For pipelines with python: steps, the workers start at once and compile the bodies during
 * validation themselves: one interpreter start-up instead of two (a pyenv shim takes ~0.15 s).
 */
async function pythonOptions(file: string, run: RunContext): Promise<ValidateOptions> {
  const handle = Bun.file(file);
  if (!(await handle.exists()) || !/^\s*python\s*:/m.test(await handle.text()) || !run.warmPython()) return {};
  const pythonChecker: PythonChecker = async (bodies) => {
    const outcome = await run.python().run({ step: "aiorch-check", body: PYTHON_CHECK_SCRIPT, context: { bodies } });
    return outcome.ok ? (outcome.value as BodyReport[]) : undefined;
  };
  return { pythonChecker };
}

async function execute(args: RunArgs, rawArgs: string[], run: RunContext, controller: AbortController, setView: (view: RunView) => void): Promise<number> {
  const json = args.format === "json";
  const pipeline = await loadValidPipeline(args.file, args.format, args.dry ? {} : await pythonOptions(args.file, run));
  const concurrency = concurrencyArg(args.concurrency);
  if (concurrency !== undefined) run.limitConcurrency(concurrency);
  const inputs = await resolveInputs(pipeline.inputs, pipeline.declaresInputs, {
    pairs: inputPairs(rawArgs),
    ...(args.input !== undefined ? { input: args.input } : {}),
    cwd: run.options.cwd,
    defaultsDir: dirname(pipeline.file),
  });
  if (args.dry) {
    if (json) printJson({ pipeline: pipeline.name, dry: true, inputs: Object.keys(inputs), ...planLayers(pipeline, inputs) });
    else printOut(renderPlan(pipeline, inputs));
    return ExitCode.ok;
  }
  const view = json ? undefined : new RunView({ verbose: Boolean(args.verbose), color: useColor(process.stdout) }, pipeline.steps.map((s) => s.name));
  if (view) setView(view);
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(ExitCode.interrupted);
    interrupted = true;
    printErr("\ninterrupted: stopping running steps (press Ctrl-C again to quit at once)");
    controller.abort(new Error("cancelled"));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const result = await runPipeline(pipeline, inputs, run);
    if (json) printOut(runJson(run.options.runId, result));
    else {
      if (result.outputError) printErr(`error: ${result.outputError}`);
      view!.summary(pipeline.name, result.status, result.steps.length, result.durationMs, 0);
    }
    return result.status === "success" ? ExitCode.ok : result.status === "cancelled" ? ExitCode.interrupted : ExitCode.stepFailed;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
