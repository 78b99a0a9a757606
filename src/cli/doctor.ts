import { defineCommand } from "citty";
import { dirname, relative } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { UserError } from "../errors/user-error.ts";
import { probeTimeoutMs } from "../llm/endpoint-probe.ts";
import { COMMON_KEY_VARIABLES } from "../llm/providers.ts";
import { doctorFailed, doctorJson, renderDoctor, type DoctorReport } from "../report/doctor-view.ts";
import { configCheck, historyCheck, needsOf, pythonCheck, shellCheck, type Env } from "./doctor-checks.ts";
import { EndpointProbes, keysCheck, llmChecks } from "./doctor-llm-checks.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, maskSecrets, printJson, printOut } from "./output.ts";
import { runSecrets } from "./run-history.ts";

/** Exit code when something a pipeline needs is missing (docs/cli.md). */
const MISSING = 1;

export const doctorCommand = defineCommand({
  meta: {
    name: "doctor",
    description:
      "Check what pipelines need: python3, /bin/sh, the config file, API keys (names only), the LLM endpoint, the history database. With FILE, check exactly what that pipeline needs. Exit 0 ready, 1 something needed is missing.",
  },
  args: {
    file: {
      type: "positional",
      required: false,
      description:
        "A pipeline: check only what it needs (python3 for python: steps, the key of each prompt: step's model)",
      valueHint: "FILE",
    },
    model: {
      type: "string",
      description: "The model prompt: steps that name none would use (as `run --model`)",
      valueHint: "MODEL",
    },
    config: {
      type: "string",
      alias: "c",
      description:
        "Config file (default: aiorch.yaml next to or above the pipeline or the working directory, else $AIORCH_HOME/config.yaml)",
      valueHint: "FILE",
    },
    ...FORMAT_ARG,
  },
  async run({ args }) {
    const env: Env = process.env;
    const timeoutMs = probeTimeoutMs(env);
    if (timeoutMs === undefined) {
      throw new UserError(`AIORCH_DOCTOR_TIMEOUT=${JSON.stringify(env.AIORCH_DOCTOR_TIMEOUT)} is not a time limit`, {
        hint: "write a duration such as 500ms or 10s (or seconds: 5), or unset it for the default, 3s",
      });
    }
    const pipeline = args.file === undefined ? undefined : await loadValidPipeline(String(args.file));
    const { config, check: configLine } = configCheck(args.config, pipeline ? dirname(pipeline.file) : process.cwd());
    maskSecrets(runSecrets(config, env));
    const needs = pipeline ? needsOf(pipeline) : undefined;
    const shown = pipeline ? relative(process.cwd(), pipeline.file) || pipeline.file : undefined;
    const unneeded = shown ? ` (not needed by ${shown})` : "";
    const keys = Object.fromEntries(COMMON_KEY_VARIABLES.map((n) => [n, Boolean(env[n])]));
    const report: DoctorReport = {
      version: pkg.version,
      platform: `${process.platform}-${process.arch}`,
      bun: Bun.version,
      ...(shown ? { pipeline: shown } : {}),
      checks: [
        pythonCheck(config, env, needs?.python ?? true, unneeded),
        shellCheck(needs?.shell ?? true, unneeded),
        configLine,
        keysCheck(config, env, keys, needs ? needs.prompts.length > 0 : undefined),
        ...(await llmChecks(needs, config, env, args.model, new EndpointProbes(timeoutMs))),
        historyCheck(config, env),
      ],
      keys,
    };
    if (args.format === "json") printJson(doctorJson(report));
    else printOut(renderDoctor(report));
    return doctorFailed(report) ? MISSING : 0;
  },
});
