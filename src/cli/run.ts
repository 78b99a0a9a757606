import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { RunContext } from "../engine/run-context.ts";
import { LLM_SERVICES, warmPython } from "../steps/index.ts";
import { ExitCode, UserError } from "../errors/user-error.ts";
import { HistoryStore } from "../history/index.ts";
import { loadCliConfig } from "./cli-config.ts";
import { applyStepDefaults } from "../load/step-defaults.ts";
import { resolveInputs } from "../load/inputs.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { planLayers, renderPlan } from "../report/plan-view.ts";
import type { ConfigSpec } from "../spec/config.ts";
import type { Secret } from "../history/redact.ts";
import { PYTHON_CHECK_SCRIPT, type BodyReport, type PythonChecker, type ValidateOptions } from "../validate/index.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, maskSecrets, PIPELINE_ARG, printErr, printJson, printOut } from "./output.ts";
import { reportUserError } from "./failure-report.ts";
import { concurrencyArg, inputPairs, JUNIT_ARG, QUIET_ARG, SET_ARG, VERBOSE_ARG, viewArgs } from "./run-args.ts";
import { addPipelineSecrets, historyDisabled, historyFile, openHistoryForRun, runSecrets } from "./run-history.ts";
import { startRun, type RunSession } from "./run-session.ts";
import { checkLlmKeys, estimatesFor, LLM_ARGS, type LlmArgs } from "./llm-args.ts";
import { requireStep, type Selection } from "./reuse-plans.ts";
import { chooseReuse, type ReuseChoice } from "./reuse-source.ts";
import { runFingerprint, type RunFingerprint } from "./run-fingerprint.ts";
import { pipelineFileArg } from "../load/pipeline-file.ts";
import { watchRuns, type WatchedRun } from "./run-watch.ts";

interface RunArgs extends LlmArgs {
  file: string;
  format: string;
  input?: string;
  dry?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  concurrency?: string;
  config?: string;
  step?: string;
  from?: string;
  reuse?: string;
  history?: boolean;
  watch?: boolean;
  junit?: string;
}

export const runCommand = defineCommand({
  meta: {
    name: "run",
    description:
      "Run a pipeline: validate it, resolve its inputs, execute the DAG, record it in the history. Exit 0 success, 1 a step failed, 2 invalid pipeline/inputs/usage, 130/143/129 interrupted (SIGINT/SIGTERM/SIGHUP).",
  },
  args: {
    ...PIPELINE_ARG,
    i: {
      type: "string",
      description: "An input, KEY=VALUE or KEY=@path (a file, parsed by its extension); repeatable",
      valueHint: "KEY=VALUE",
    },
    set: SET_ARG,
    input: {
      type: "string",
      description: "All inputs at once: a JSON/YAML file, or inline JSON '{\"key\": 1}'",
      valueHint: "FILE|JSON",
    },
    dry: { type: "boolean", description: "Validate, resolve inputs and print the plan; run nothing" },
    verbose: VERBOSE_ARG,
    quiet: QUIET_ARG,
    step: {
      type: "string",
      description:
        "Run only this step; its dependencies' results come from the newest recorded run of this file, unchanged, with the same inputs, that has them all",
      valueHint: "NAME",
    },
    from: {
      type: "string",
      description:
        "Run this step and everything downstream of it; the other results come from the newest recorded run of this file, unchanged, with the same inputs",
      valueHint: "NAME",
    },
    reuse: {
      type: "string",
      description:
        "The run whose results --step/--from reuse; also one whose file or inputs differ (a warning says how). An id, any 4+ characters of one, or `last`",
      valueHint: "RUN_ID",
    },
    concurrency: {
      type: "string",
      description: "Cap on steps (and foreach items) in flight across the run (default: unlimited)",
      valueHint: "N",
    },
    watch: {
      type: "boolean",
      description:
        "Run again whenever the pipeline, one of its flow files or one of its input files changes; Ctrl-C stops (exit 130)",
    },
    ...LLM_ARGS,
    junit: JUNIT_ARG,
    history: {
      type: "boolean",
      default: true,
      description: "Record the run in the history (--no-history, or AIORCH_NO_HISTORY=1: record nothing)",
    },
    config: {
      type: "string",
      alias: "c",
      description: "Config file (default: aiorch.yaml next to or above the pipeline, else $AIORCH_HOME/config.yaml)",
      valueHint: "FILE",
    },
    ...FORMAT_ARG,
  },
  async run({ args, rawArgs }) {
    const options: RunArgs = { ...args, file: pipelineFileArg(args.file) };
    if (!args.watch) return runOnce(options, rawArgs);
    const inputs = {
      pairs: inputPairs(rawArgs),
      ...(args.input !== undefined ? { input: args.input } : {}),
      cwd: process.cwd(),
    };
    return watchRuns(options.file, inputs, () => watchedRun(options, rawArgs));
  },
});

/** One run of `--watch`: its exit code and the pipeline it loaded, for the files to watch. */
async function watchedRun(args: RunArgs, rawArgs: string[]): Promise<WatchedRun> {
  let pipeline: Pipeline | undefined;
  try {
    return { code: await runOnce(args, rawArgs, (loaded) => (pipeline = loaded)), ...(pipeline ? { pipeline } : {}) };
  } catch (error) {
    if (error instanceof UserError)
      return { code: reportUserError(error, args.format === "json"), ...(pipeline ? { pipeline } : {}) };
    throw error;
  }
}

/** A whole `aiorch run`: config, run context, the run itself; `loaded` is told the pipeline once it is valid. */
async function runOnce(args: RunArgs, rawArgs: string[], loaded?: (pipeline: Pipeline) => void): Promise<number> {
  viewArgs(args);
  const { config, file: configFile } = loadCliConfig({
    explicit: args.config,
    pipelineDir: dirname(resolve(args.file)),
  });
  const secrets = runSecrets(config, process.env);
  maskSecrets(secrets);
  const { run, session, controller } = startRun({ config, configFile, secrets, args });
  try {
    return await execute(args, rawArgs, { run, config, secrets, session, controller, ...(loaded ? { loaded } : {}) });
  } finally {
    await run.close();
  }
}

interface RunParts {
  run: RunContext;
  config: ConfigSpec;
  secrets: Secret[];
  session: RunSession;
  controller: AbortController;
  /** Told the pipeline once it is valid (`--watch` watches its flow files). */
  loaded?: (pipeline: Pipeline) => void;
}

/**
 * For pipelines with python: steps, the workers start at once and compile the bodies during
 * validation themselves: one interpreter start-up instead of two (a pyenv shim takes ~0.15 s).
 */
async function pythonOptions(file: string, run: RunContext): Promise<ValidateOptions> {
  const handle = Bun.file(file);
  if (!(await handle.exists()) || !/^\s*python\s*:/m.test(await handle.text())) return {};
  const pool = await warmPython(run.services);
  if (!pool) return {};
  const pythonChecker: PythonChecker = async (bodies) => {
    const outcome = await pool.run({ step: "aiorch-check", body: PYTHON_CHECK_SCRIPT, context: { bodies } });
    return outcome.ok ? (outcome.value as BodyReport[]) : undefined;
  };
  return { pythonChecker };
}

async function execute(args: RunArgs, rawArgs: string[], parts: RunParts): Promise<number> {
  const { run, config, secrets } = parts;
  const json = args.format === "json";
  const selection = selectionArg(args);
  if (args.reuse !== undefined && !selection) {
    throw new UserError(
      `--reuse ${args.reuse} needs --step NAME or --from NAME: it says which run their results come from`,
      { hint: "`aiorch resume RUN_ID` runs again what did not succeed in a run" },
    );
  }
  const pipeline = await loadValidPipeline(args.file, args.dry ? {} : await pythonOptions(args.file, run));
  if (selection) requireStep(pipeline, selection);
  applyStepDefaults(pipeline, config.defaults);
  addPipelineSecrets(secrets, pipeline, config, process.env);
  parts.loaded?.(pipeline);
  const concurrency = concurrencyArg(args.concurrency);
  if (concurrency !== undefined) run.limitConcurrency(concurrency);
  const inputs = await resolveInputs(pipeline.inputs, pipeline.declaresInputs, {
    pairs: inputPairs(rawArgs),
    ...(args.input !== undefined ? { input: args.input } : {}),
    cwd: run.options.cwd,
    defaultsDir: dirname(pipeline.file),
  });
  if (args.dry) {
    const estimates = estimatesFor(pipeline, inputs, config, args.model);
    if (json)
      printJson({
        pipeline: pipeline.name,
        dry: true,
        inputs: Object.keys(inputs),
        ...planLayers(pipeline, inputs, estimates),
      });
    else printOut(renderPlan(pipeline, inputs, estimates));
    return ExitCode.ok;
  }
  checkLlmKeys(pipeline, run.services.settingsOf(LLM_SERVICES)!);
  const history = historyDisabled(args.history === false || config.storage?.type === "memory", process.env)
    ? undefined
    : openHistoryForRun(config, process.env, secrets);
  try {
    const fingerprint = runFingerprint(pipeline, inputs);
    const choice = selection
      ? chooseFromHistory(pipeline, selection, fingerprint, { history, config, secrets, reuse: args.reuse })
      : undefined;
    if (choice) run.reuseResults(choice.plan);
    if (choice?.warning) printErr(`warning: ${choice.warning}`);
    return await parts.session.execute(pipeline, inputs, run, parts.controller, {
      json,
      ...viewArgs(args),
      history,
      secrets,
      junit: args.junit,
      fingerprint,
      reusedUnmatched: choice?.unmatched,
    });
  } finally {
    history?.close();
  }
}

/** `--step NAME` or `--from NAME`, not both; undefined when neither is given. */
function selectionArg(args: RunArgs): Selection | undefined {
  if (args.step !== undefined && args.from !== undefined) {
    throw new UserError("--step and --from cannot be used together", {
      hint: "--step NAME runs one step; --from NAME runs it and everything downstream",
    });
  }
  if (args.step !== undefined) return { flag: "--step", name: args.step };
  return args.from !== undefined ? { flag: "--from", name: args.from } : undefined;
}

/** The results `--step`/`--from` reuse, read from the history (read-only when the run itself is not recorded). */
function chooseFromHistory(
  pipeline: Pipeline,
  selection: Selection,
  fingerprint: RunFingerprint,
  options: { history: HistoryStore | undefined; config: ConfigSpec; secrets: Secret[]; reuse: string | undefined },
): ReuseChoice {
  const { history, config, secrets, reuse } = options;
  const file = historyFile(config, process.env);
  const reader = history ?? (existsSync(file) ? HistoryStore.open(file, { readonly: true, secrets }) : undefined);
  try {
    return chooseReuse(pipeline, selection, fingerprint, { store: reader, historyFile: file, reuse });
  } finally {
    if (reader !== history) reader?.close();
  }
}
