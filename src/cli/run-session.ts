import type { EngineEvent, EventSink, RunStatus } from "../engine/events.ts";
import { RunContext } from "../engine/run-context.ts";
import { LLM_SERVICES, PYTHON_POOL } from "../steps/index.ts";
import type { ConfigSpec } from "../spec/config.ts";
import { llmSettings, type LlmArgs } from "./llm-args.ts";
import { newRunId, progressInterval } from "./run-args.ts";
import { runPipeline } from "../engine/run-pipeline.ts";
import { ExitCode } from "../errors/user-error.ts";
import type { HistoryStore } from "../history/index.ts";
import { redact } from "../history/index.ts";
import type { Secret } from "../history/redact.ts";
import { RunRecorder } from "./run-recorder.ts";
import { roundUsd } from "../model/money.ts";
import { storedInputs } from "./run-fingerprint.ts";
import { stepsWithFlows, type Pipeline } from "../model/pipeline.ts";
import { runDocument, runJson } from "../report/run-json.ts";
import { StepCollector } from "../report/run-steps.ts";
import { RunView } from "../report/run-view.ts";
import { RunLog } from "../report/run-log.ts";
import { aiorchHome } from "../load/config.ts";
import { runLogFolder, verboseFromConfig } from "../load/config-meaning.ts";
import { RunSignals, type RunSignal } from "./run-signals.ts";
import { RunReports } from "./run-reports.ts";
import { followUpOptions } from "./follow-up.ts";
import { runFingerprint, type RunFingerprint } from "./run-fingerprint.ts";
import { masked, printErr, printOut, shownOn, useColor } from "./output.ts";

/** How one run is shown and recorded: what `run` and `resume` share. */
export interface SessionOptions {
  json: boolean;
  /** `-v`; undefined: the config's `logging.level` decides (DEBUG is `-v`). */
  verbose?: boolean | undefined;
  /** `--quiet`: only failures and the final line. */
  quiet?: boolean;
  /** Where the run is recorded; undefined with `--no-history`. */
  history: HistoryStore | undefined;
  /** Masked in everything shown (docs/history.md). */
  secrets: readonly Secret[];
  /** The run this one resumes (`aiorch resume`). */
  resumedFrom?: string;
  /** `--junit FILE`: a JUnit XML report of the run, written when it ends. */
  junit?: string | undefined;
  /** What the run is recorded with for later matching (default: worked out from the pipeline and inputs). */
  fingerprint?: RunFingerprint;
  /** The run whose results this one reuses although they differ (see `RunRow.reusedUnmatched`). */
  reusedUnmatched?: string | undefined;
}

/** What a run needs from the command line to set up its context. */
export interface RunSetup {
  config: ConfigSpec;
  /** The config file that placed the history, named in the commands printed after a failed run ({@link followUpOptions}). */
  configFile?: string | undefined;
  secrets: readonly Secret[];
  args: LlmArgs & { verbose?: boolean; format: string };
}

/**
 * A fresh run: its context (python workers, LLM settings, Ctrl-C signal, a new run id)
 * wired to a session that will show and record it. `run` and `resume` both start here.
 */
export function startRun({ config, configFile, secrets, args }: RunSetup): {
  run: RunContext;
  session: RunSession;
  controller: AbortController;
} {
  const controller = new AbortController();
  const session = new RunSession(config, configFile);
  const run = new RunContext({
    streamAnswers:
      (args.verbose ?? verboseFromConfig(config) ?? false) && args.format !== "json" && process.stdout.isTTY === true,
    liveOutput: (args.verbose ?? verboseFromConfig(config) ?? false) && args.format !== "json",
    runId: newRunId(),
    emit: session.emit,
    signal: controller.signal,
    cwd: process.cwd(),
    env: process.env,
  });
  run.services.configure(PYTHON_POOL, { interpreter: config.python, home: aiorchHome(process.env) });
  run.services.configure(LLM_SERVICES, llmSettings(config, process.env, args, secrets));
  return { run, session, controller };
}

/**
 * The engine's listeners for one run: the live view and the history recorder. The run
 * context is created (and its python workers started) before the pipeline is even
 * validated, so the listeners are attached once the run really starts.
 */
export class RunSession {
  private sinks: EventSink[] = [];

  /** `config`: its `logging:` block (verbosity, run log file); `configFile`: see {@link RunSetup}. */
  constructor(
    private readonly config: ConfigSpec = {},
    private readonly configFile?: string,
  ) {}

  readonly emit = (event: EngineEvent): void => {
    for (const sink of this.sinks) sink(event);
  };

  /**
   * Runs the pipeline: records it (run row, then every step and item as it ends), shows
   * it, handles Ctrl-C, prints the summary or the JSON document. Returns the exit code.
   */
  async execute(
    pipeline: Pipeline,
    inputs: Record<string, unknown>,
    run: RunContext,
    controller: AbortController,
    options: SessionOptions,
  ): Promise<number> {
    const runId = run.options.runId;
    const { history } = options;
    const verbose = options.verbose ?? verboseFromConfig(this.config) ?? false;
    const progress = {
      mode: process.stdout.isTTY ? ("terminal" as const) : ("log" as const),
      intervalMs: progressInterval(process.env),
    };
    const view = options.json
      ? undefined
      : new RunView(
          {
            out: process.stdout,
            verbose,
            quiet: options.quiet === true,
            progress,
            color: useColor(process.stdout),
            mask: shownOn(process.stdout),
          },
          pipeline.steps.map((s) => s.name),
        );
    if (view) this.sinks.push(view.handle);
    for (const [step, why] of run.reuse?.rerun ?? []) view?.note(`re-running \`${step}\`: ${why}`);
    const logFolder = runLogFolder(this.config, aiorchHome());
    const log = logFolder === undefined ? undefined : new RunLog(logFolder, runId, masked);
    if (log) this.sinks.push(log.handle);
    const collector = options.json ? new StepCollector() : undefined;
    if (collector) this.sinks.push(collector.handle);
    const reports = new RunReports(pipeline, {
      junit: options.junit,
      json: options.json,
      env: process.env,
      cwd: process.cwd(),
    });
    this.sinks.push(...reports.sinks);
    const startedAt = Date.now();
    if (history) {
      const { filePath, sources, inputs: stored } = options.fingerprint ?? runFingerprint(pipeline, inputs);
      history.startRun({
        id: runId,
        pipeline: pipeline.name,
        file: pipeline.file,
        inputs: stored,
        pid: process.pid,
        startedAt,
        filePath,
        sources,
        graph: Object.fromEntries(pipeline.steps.map((step) => [step.name, step.depends])),
        ...(options.resumedFrom ? { resumedFrom: options.resumedFrom } : {}),
        ...(options.reusedUnmatched ? { reusedUnmatched: options.reusedUnmatched } : {}),
      });
      this.sinks.push(new RunRecorder(history, runId).handle);
    }
    let endedAt = startedAt;
    const finish = (status: RunStatus, outputError?: string) => {
      endedAt = Date.now();
      quietly(() => reports.finish(outputError));
      history?.finishRun(runId, status, roundUsd(run.cost), endedAt);
    };
    const signals = new RunSignals({
      first: (signal) => {
        view?.interrupted();
        quietly(() =>
          printErr(`\n${SIGNAL_WORDS[signal]}: stopping running steps (press Ctrl-C again to quit at once)`),
        );
        controller.abort(new Error("cancelled"));
      },
      again: (_signal, exitCode) => {
        quietly(() => finish("cancelled"));
        process.exit(exitCode);
      },
    });
    try {
      let result;
      try {
        result = await runPipeline(pipeline, inputs, run);
      } catch (error) {
        finish("failed");
        throw error;
      }
      // A signal after the last step, before this line, still cancels the run: the status written agrees with the exit code.
      const status: RunStatus = signals.received ? "cancelled" : result.status;
      finish(status, result.outputError);
      const code = signals.exitCode(
        status === "success" ? ExitCode.ok : status === "cancelled" ? ExitCode.interrupted : ExitCode.stepFailed,
      );
      signals.settle(code);
      quietly(() => {
        if (collector) {
          const runFacts = {
            runId,
            pipeline: pipeline.name,
            file: pipeline.file,
            startedAt,
            endedAt,
            resumedFrom: options.resumedFrom ?? null,
            inputs: storedInputs(inputs),
            imported: null,
            pid: process.pid,
            recorded: history !== undefined,
          };
          const document = runDocument({ run: runFacts, result: { ...result, status }, steps: collector.steps() });
          printOut(runJson(options.secrets.length ? redact(document, options.secrets) : document));
        } else {
          if (result.outputError) printErr(`error: ${result.outputError}`);
          const declared = pipeline.outputs && !result.outputError ? result.outputs : undefined;
          view!.summary(
            pipeline.name,
            status,
            result.steps.length,
            result.durationMs,
            stepsWithFlows(pipeline).some((s) => s.primitive === "prompt") || result.cost > 0 ? result.cost : undefined,
            declared,
          );
          if (history && status !== "success") {
            const options = followUpOptions(this.configFile, history.file);
            printErr(
              `\n  run ${runId}: \`aiorch trace ${runId}${options}\` shows it, \`aiorch resume ${runId}${options}\` runs what did not succeed`,
            );
          }
        }
      }, signals.received === "SIGHUP");
      // The cleanup (python workers, the LLM cache) runs under the same handlers: a late signal ends it with this code.
      await run.close();
      return code;
    } finally {
      log?.close();
      signals.dispose();
    }
  }
}

/** How the message on the first signal names it. */
const SIGNAL_WORDS: Record<RunSignal, string> = {
  SIGINT: "interrupted",
  SIGTERM: "terminated (SIGTERM)",
  SIGHUP: "hangup (SIGHUP)",
};

/**
 * Runs `print`; after SIGHUP (`hungUp`, or always for the short notices) the terminal may be
 * gone, and a failed write must not turn a cancelled run into an internal error.
 */
function quietly(print: () => void, hungUp = true): void {
  if (!hungUp) return print();
  try {
    print();
  } catch {
    // Nowhere left to print to.
  }
}
