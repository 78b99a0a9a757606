import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../errors/user-error.ts";
import type { ResumeBlock, RunRow } from "../history/index.ts";
import { loadCliConfig } from "./cli-config.ts";
import { applyStepDefaults } from "../load/step-defaults.ts";
import { resolveInputs } from "../load/inputs.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, maskSecrets } from "./output.ts";
import { runFingerprint, type RunFingerprint } from "./run-fingerprint.ts";
import { concurrencyArg, JUNIT_ARG, QUIET_ARG, VERBOSE_ARG, viewArgs } from "./run-args.ts";
import { addPipelineSecrets, openHistoryForRun, runSecrets } from "./run-history.ts";
import { startRun } from "./run-session.ts";
import { resumePlan } from "./reuse-plans.ts";
import { checkLlmKeys, LLM_ARGS } from "./llm-args.ts";
import { LLM_SERVICES } from "../steps/index.ts";

export const resumeCommand = defineCommand({
  meta: {
    name: "resume",
    description:
      "Run again what did not succeed in a failed, cancelled or crashed run, reusing every step and foreach item that succeeded. Exit codes as `run`.",
  },
  args: {
    run_id: {
      type: "positional",
      description:
        "The run to resume: an id from `aiorch history`, any part of one (4+ characters, e.g. its last 4) that no other id has, or `last` (the newest run)",
      required: true,
    },
    verbose: VERBOSE_ARG,
    quiet: QUIET_ARG,
    ...LLM_ARGS,
    junit: JUNIT_ARG,
    concurrency: {
      type: "string",
      description: "Cap on steps (and foreach items) in flight across the run (default: unlimited)",
      valueHint: "N",
    },
    config: {
      type: "string",
      alias: "c",
      description: "Config file (default: aiorch.yaml in or above the current folder, else $AIORCH_HOME/config.yaml)",
      valueHint: "FILE",
    },
    ...FORMAT_ARG,
  },
  async run({ args }) {
    viewArgs(args);
    const { config: home, file: homeFile } = loadCliConfig({ explicit: args.config, pipelineDir: process.cwd() });
    const secrets = runSecrets(home, process.env);
    maskSecrets(secrets);
    const history = openHistoryForRun(home, process.env, secrets);
    try {
      const origin = resumable(history.requireRun(String(args.run_id)));
      // The absolute path (schema 7), so that a resume from another folder finds the file; older runs: as recorded.
      const file = origin.filePath ?? origin.file;
      const { config } = loadCliConfig({ explicit: args.config, pipelineDir: dirname(file) });
      const { run, session, controller } = startRun({ config, configFile: homeFile, secrets, args });
      const resumeRun = run.options.runId;
      const blocked = history.lockResume(origin.id, resumeRun);
      if (blocked) throw resumeBlocked(origin, blocked);
      try {
        const pipeline = await loadValidPipeline(file);
        applyStepDefaults(pipeline, config.defaults);
        addPipelineSecrets(secrets, pipeline, config, process.env);
        const concurrency = concurrencyArg(args.concurrency);
        if (concurrency !== undefined) run.limitConcurrency(concurrency);
        const inputs = await resolveInputs(pipeline.inputs, pipeline.declaresInputs, {
          pairs: [],
          values: (origin.inputs ?? {}) as Record<string, unknown>,
          valuesSource: `the inputs of run ${origin.id}`,
          cwd: run.options.cwd,
          defaultsDir: dirname(pipeline.file),
        });
        checkLlmKeys(pipeline, run.services.settingsOf(LLM_SERVICES)!);
        run.reuseResults(resumePlan(history, origin, pipeline));
        const fingerprint = runFingerprint(pipeline, inputs);
        const unmatched = editedSince(origin, fingerprint);
        return await session.execute(pipeline, inputs, run, controller, {
          json: args.format === "json",
          ...viewArgs(args),
          history,
          secrets,
          resumedFrom: origin.id,
          junit: args.junit,
          fingerprint,
          reusedUnmatched: unmatched,
        });
      } finally {
        history.unlockResume(origin.id, resumeRun);
        await run.close();
      }
    } finally {
      history.close();
    }
  },
});

/**
 * A resume re-reads the file, edited or not (fixing the step that failed and resuming is what
 * it is for). When the file (or a flow file) changed since `origin`, the new run holds results
 * its file did not make: it is recorded as such, so that `run --step/--from` never takes them
 * automatically. Returns the run to record: `origin`, or the one `origin` itself took such results from.
 */
function editedSince(origin: RunRow, current: RunFingerprint): string | undefined {
  if (origin.reusedUnmatched !== null) return origin.reusedUnmatched;
  const changed =
    origin.sources === null ||
    Object.keys(current.sources).some((path) => origin.sources![path] !== current.sources[path]);
  return changed ? origin.id : undefined;
}

/** Another process resumes `origin` now, or an earlier resume already completed it (issue 12 item 6). */
function resumeBlocked(origin: RunRow, blocked: ResumeBlock): UserError {
  if (blocked.kind === "locked") {
    return new UserError(
      `run ${origin.id} is being resumed by process ${blocked.pid} (resume run ${blocked.resumeRun})`,
      {
        hint: `wait for it to end (\`aiorch history\` shows it), or stop it (Ctrl-C there, or kill ${blocked.pid}); then \`aiorch resume ${blocked.resumeRun}\` continues it if it did not succeed`,
      },
    );
  }
  return new UserError(
    `run ${origin.id} was already resumed by run ${blocked.by}, which succeeded: nothing is left to resume`,
    {
      hint: `\`aiorch trace ${blocked.by}\` shows that run; \`aiorch run ${origin.file}\` runs the pipeline again`,
    },
  );
}

/** The run, if it can be resumed: not successful, not still running, its file still there. */
function resumable(run: RunRow): RunRow {
  if (run.imported) {
    throw new UserError(
      `run ${run.id} is run #${run.imported.id} of the Python aiorch, imported from its history: it kept no inputs or results to resume from`,
      {
        hint: `\`aiorch run ${run.file || "FILE"}\` runs the pipeline again`,
      },
    );
  }
  if (run.status === "success") {
    throw new UserError(`run ${run.id} succeeded: there is nothing to resume`, {
      hint: `\`aiorch run ${run.file}\` runs the pipeline again`,
    });
  }
  if (run.status === "running") {
    throw new UserError(`run ${run.id} is still running (pid ${run.pid})`, {
      hint: "wait for it to end, or stop it (Ctrl-C, or kill that pid), then resume it",
    });
  }
  if (!existsSync(run.filePath ?? run.file)) {
    throw new UserError(`run ${run.id} ran ${run.filePath ?? run.file}, which no longer exists`, {
      hint: "restore the file (resume re-reads it), or start a new run with `aiorch run`",
    });
  }
  return run;
}
