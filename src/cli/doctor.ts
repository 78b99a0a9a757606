import { defineCommand } from "citty";
import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import { dirname, relative } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { UserError } from "../errors/user-error.ts";
import { HistoryStore } from "../history/index.ts";
import { listsModel, modelsUrl, probeEndpoint, probeTimeoutMs, type ProbeOutcome } from "../llm/endpoint-probe.ts";
import { DEFAULT_MODEL, firstSetName, keyVariableOf, missingKey, routeModel, type Route } from "../llm/provider.ts";
import { COMMON_KEY_VARIABLES, CONFIGURED_BASE_VARIABLES, CONFIGURED_KEY_VARIABLES } from "../llm/providers.ts";
import { loadCliConfig } from "./cli-config.ts";
import { stepsWithFlows, type Pipeline } from "../model/pipeline.ts";
import { doctorFailed, doctorJson, renderDoctor, type DoctorCheck, type DoctorReport } from "../report/doctor-view.ts";
import type { ConfigSpec } from "../spec/config.ts";
import { findPython } from "../steps/python/interpreter.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, maskSecrets, printJson, printOut } from "./output.ts";
import { historyDisabled, historyFile, runSecrets } from "./run-history.ts";

type Env = Record<string, string | undefined>;

/** Only the names of the key variables (COMMON_KEY_VARIABLES) are ever shown. */
const [OPENAI_KEY] = CONFIGURED_KEY_VARIABLES;
const BASE_URL = CONFIGURED_BASE_VARIABLES.at(-1)!;

/** Exit code when something a pipeline needs is missing (docs/cli.md). */
const MISSING = 1;

/** What a pipeline (and the sub-pipelines it calls) needs from the machine. */
interface Needs {
  python: boolean;
  shell: boolean;
  prompts: { step: string; model: string | undefined }[];
}

function needsOf(pipeline: Pipeline): Needs {
  const steps = stepsWithFlows(pipeline);
  return {
    python: steps.some((s) => s.primitive === "python"),
    shell: steps.some((s) => s.primitive === "run"),
    prompts: steps.filter((s) => s.primitive === "prompt").map((s) => ({ step: s.name, model: s.prompt.model })),
  };
}

/** A missing thing is a failure when it is needed, a warning otherwise. */
const severity = (needed: boolean) => (needed ? "fail" : "warn");

function configCheck(explicit: string | undefined, dir: string): { config: ConfigSpec; check: DoctorCheck } {
  try {
    const { file, config } = loadCliConfig({ explicit, pipelineDir: dir });
    const detail = file
      ? `${file}`
      : "none found (optional: aiorch.yaml next to or above a pipeline, or $AIORCH_HOME/config.yaml)";
    return { config, check: { name: "config", status: "ok", detail } };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const detail = error.message.replace(/\n+\d+ errors?\s*$/, "").trimEnd();
    return {
      config: {},
      check: {
        name: "config",
        status: "fail",
        detail,
        hint: `${error.hint ?? "fix the file"}; every run reads it, so every run stops on it`,
      },
    };
  }
}

function pythonCheck(config: ConfigSpec, env: Env, needed: boolean, unneeded: string): DoctorCheck {
  const source = env.AIORCH_PYTHON
    ? `AIORCH_PYTHON=${env.AIORCH_PYTHON}`
    : config.python
      ? `python: ${config.python} in the config`
      : "PATH";
  const hint =
    "install Python 3 (e.g. `apt install python3`, `brew install python`), or point AIORCH_PYTHON (or `python:` in aiorch.yaml) at a python3; in Docker, use the aiorch:python image (Dockerfile.python)";
  const missing = (detail: string): DoctorCheck => ({
    name: "python3",
    status: severity(needed),
    detail: `${detail}${needed ? "; python: steps cannot run" : unneeded}`,
    hint,
  });
  const python = findPython(config.python);
  if (!python) return missing(source === "PATH" ? "not found on PATH" : `${source} is not found`);
  if (!existsSync(python)) return missing(`${python} (from ${source}) does not exist`);
  let probe;
  try {
    probe = Bun.spawnSync([python, "-c", "import sys; print('.'.join(map(str, sys.version_info[:3])))"], {
      stdout: "pipe",
      stderr: "pipe",
      timeout: 15_000,
    });
  } catch (error) {
    return missing(`${python} (from ${source}) cannot be started: ${(error as Error).message}`);
  }
  const version = probe.stdout.toString().trim();
  if (probe.exitCode !== 0)
    return missing(
      `${python} (from ${source}) does not run: ${probe.stderr.toString().trim().split("\n").pop() ?? `exit ${probe.exitCode}`}`,
    );
  if (!version.startsWith("3.")) return missing(`${python} (from ${source}) is Python ${version}, not Python 3`);
  return { name: "python3", status: "ok", detail: `${python} (Python ${version}, from ${source})` };
}

function shellCheck(needed: boolean, unneeded: string): DoctorCheck {
  if (process.platform === "win32") {
    const sh = Bun.which("sh");
    return sh
      ? { name: "shell", status: "ok", detail: sh }
      : {
          name: "shell",
          status: "warn",
          detail: "no sh on PATH: run: steps use cmd.exe",
          hint: "install Git for Windows (its sh) for POSIX commands",
        };
  }
  try {
    accessSync("/bin/sh", constants.X_OK);
    const real = realpathSync("/bin/sh");
    return { name: "shell", status: "ok", detail: real === "/bin/sh" ? "/bin/sh" : `/bin/sh → ${real}` };
  } catch {
    return {
      name: "shell",
      status: severity(needed),
      detail: `/bin/sh is missing or not executable${needed ? "; run: steps cannot run" : unneeded}`,
      hint: "install a POSIX shell at /bin/sh (e.g. dash or bash); in Docker, use the aiorch:python image (Dockerfile.python)",
    };
  }
}

function keysCheck(
  config: ConfigSpec,
  env: Env,
  keys: Record<string, boolean>,
  needed: boolean | undefined,
): DoctorCheck {
  const set = COMMON_KEY_VARIABLES.filter((n) => keys[n]);
  const unset = COMMON_KEY_VARIABLES.filter((n) => !keys[n]);
  const configKey = Boolean(config.llm?.api_key);
  const parts = [
    set.length ? `set: ${set.join(", ")}` : "none set",
    ...(unset.length && set.length ? [`not set: ${unset.join(", ")}`] : []),
    ...(configKey ? ["llm.api_key in the config"] : []),
  ];
  const baseUrl = config.llm?.base_url ?? config.llm?.api_base ?? firstSetName(env, CONFIGURED_BASE_VARIABLES);
  if (set.length || configKey || baseUrl || needed === false)
    return {
      name: "API keys",
      status: "ok",
      detail: `${parts.join("; ")}${needed === false && !set.length ? " (this pipeline has no prompt: steps)" : ""}`,
    };
  return {
    name: "API keys",
    status: "warn",
    detail: `none set (${COMMON_KEY_VARIABLES.join(", ")}): prompt: steps need one`,
    hint: `export ${OPENAI_KEY}=… (or the key of your provider), or set ${BASE_URL} / llm.base_url for a local OpenAI-compatible server`,
  };
}

function endpointSource(config: ConfigSpec, env: Env): string {
  if (config.llm?.base_url) return "llm.base_url";
  if (config.llm?.api_base) return "llm.api_base";
  return firstSetName(env, CONFIGURED_BASE_VARIABLES) ?? BASE_URL;
}

/** One `GET /models` per endpoint and key, however many models go there. */
class EndpointProbes {
  private readonly asked = new Map<string, Promise<ProbeOutcome>>();
  constructor(private readonly timeoutMs: number) {}
  ask(route: Route): Promise<ProbeOutcome> {
    const id = `${route.baseURL}\n${route.apiKey ?? ""}`;
    let outcome = this.asked.get(id);
    if (!outcome) this.asked.set(id, (outcome = probeEndpoint(route.baseURL, route.apiKey, this.timeoutMs)));
    return outcome;
  }
}

/** At most 8 names, then how many more. */
function someOf(ids: readonly string[]): string {
  return ids.length <= 8 ? ids.join(", ") : `${ids.slice(0, 8).join(", ")} and ${ids.length - 8} more`;
}

/** What the endpoint's answer to `GET /models` says about `route`; `head` is the route line. */
function probeCheck(outcome: ProbeOutcome, route: Route, head: string, keySource: string | undefined): DoctorCheck {
  const asked = `GET ${modelsUrl(route.baseURL)}`;
  const check = (status: DoctorCheck["status"], said: string, hint?: string): DoctorCheck => ({
    name: "LLM",
    status,
    detail: `${head}\n${said}`,
    ...(hint ? { hint } : {}),
  });
  switch (outcome.kind) {
    case "models":
      if (listsModel(outcome.ids, route.model)) return check("ok", `answers; lists ${route.model}`);
      return check(
        "warn",
        outcome.ids.length
          ? `answers, but does not list ${route.model}; it lists ${someOf(outcome.ids)}`
          : `answers, but lists no models (${asked})`,
        "check the model name (the step's model:, --model, llm.model); on a local server, pull or load it first (e.g. `ollama pull NAME`)",
      );
    case "not-a-list":
      return check("ok", `answers (its ${asked} is not a model list, so the model name is not checked)`);
    case "status":
      if (outcome.status === 401 || outcome.status === 403) {
        // The body is left out: some endpoints quote part of the key in it.
        const hint = keySource
          ? `check the key in ${keySource}: it is sent as \`Authorization: Bearer …\`; a key of another provider, or a revoked one, is refused`
          : `this endpoint wants a key: set llm.api_key (e.g. \${${OPENAI_KEY}}) in aiorch.yaml, or export ${OPENAI_KEY}`;
        return check(
          "fail",
          `${asked}: HTTP ${outcome.status}: the endpoint refused ${keySource ? "the key" : "a request without a key"}`,
          hint,
        );
      }
      if (outcome.status === 404) {
        return check(
          "warn",
          `answers, but ${asked} is HTTP 404`,
          "check that the base URL ends where the API starts, often /v1 (e.g. http://localhost:11434/v1); a server without /models can be ignored here",
        );
      }
      return check(
        "warn",
        `answers, but ${asked} is HTTP ${outcome.status}${outcome.message ? `: ${outcome.message}` : ""}`,
        outcome.status === 429
          ? "it is rate limiting: runs wait and retry (Retry-After)"
          : "see the server's log; a run may fail the same way",
      );
    case "unreachable":
      return check("fail", `${asked}: ${outcome.reason}`, `check ${outcome.check}`);
  }
}

async function llmCheck(
  model: string,
  steps: string[],
  config: ConfigSpec,
  env: Env,
  needed: boolean,
  probes: EndpointProbes,
): Promise<DoctorCheck> {
  const route = routeModel(model, config.llm ?? {}, env);
  const who = steps.length
    ? `${model} (step${steps.length === 1 ? "" : "s"} ${steps.join(", ")})`
    : `${model} (for prompt steps that name no model)`;
  const where = `${who} → ${route.provider === "configured" ? `${route.baseURL} (from ${endpointSource(config, env)})` : `${route.provider} (${route.baseURL})`}`;
  const missing = missingKey(route, model);
  if (missing && route.proxyOnly)
    return {
      name: "LLM",
      status: severity(needed),
      detail: `${who} → ${route.provider}: no OpenAI-compatible API, only a LiteLLM proxy reaches it`,
      hint: missing.hint,
    };
  if (missing)
    return {
      name: "LLM",
      status: severity(needed),
      detail: `${where}: ${route.keyVariables.join(" or ")} is not set`,
      hint: missing.hint,
    };
  const configKey = Boolean(config.llm?.api_key);
  const keyFrom = keyVariableOf(route, env);
  const keySource = configKey ? "llm.api_key" : keyFrom;
  const head = `${where}, ${keySource ? `key from ${keySource}` : "no key needed"}`;
  return probeCheck(await probes.ask(route), route, head, keySource);
}

async function llmChecks(
  needs: Needs | undefined,
  config: ConfigSpec,
  env: Env,
  modelOverride: string | undefined,
  probes: EndpointProbes,
): Promise<DoctorCheck[]> {
  const fallback = modelOverride || config.llm?.model || DEFAULT_MODEL;
  if (!needs) return [await llmCheck(fallback, [], config, env, false, probes)];
  if (needs.prompts.length === 0) return [{ name: "LLM", status: "ok", detail: "not needed (no prompt: steps)" }];
  const byModel = new Map<string, string[]>();
  const templated: string[] = [];
  for (const { step, model } of needs.prompts) {
    if (model?.includes("{{")) templated.push(step);
    else byModel.set(model || fallback, [...(byModel.get(model || fallback) ?? []), step]);
  }
  const checks = await Promise.all(
    [...byModel].map(([model, steps]) => llmCheck(model, steps, config, env, true, probes)),
  );
  if (templated.length)
    checks.push({
      name: "LLM",
      status: "warn",
      detail: `[${templated.join(", ")}]: the model is a template, known only when the step runs`,
      hint: "make sure the key of every model it can name is set",
    });
  return checks;
}

/** The nearest folder that exists at or above `path`, or undefined when a file is in the way. */
function nearestFolder(path: string): string | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    if (existsSync(dir)) return statSync(dir).isDirectory() ? dir : undefined;
    if (dirname(dir) === dir) return undefined;
  }
}

const writable = (path: string) => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

function historyCheck(config: ConfigSpec, env: Env): DoctorCheck {
  if (historyDisabled(false, env))
    return { name: "history", status: "ok", detail: "off (AIORCH_NO_HISTORY is set): runs are not recorded" };
  const file = historyFile(config, env);
  const hint =
    "make it writable, or set AIORCH_HOME (or storage.path in aiorch.yaml) to a writable folder; or run with --no-history (AIORCH_NO_HISTORY=1)";
  if (!existsSync(file)) {
    const folder = nearestFolder(dirname(file));
    if (folder && writable(folder))
      return { name: "history", status: "ok", detail: `${file} (not created yet; the first run creates it)` };
    return {
      name: "history",
      status: "fail",
      detail: `${file} cannot be created: ${folder ? `${folder} is not writable` : "a file is in the way of its folder"}`,
      hint,
    };
  }
  if (!writable(file) || !writable(dirname(file)))
    return { name: "history", status: "fail", detail: `${file} is not writable (runs record their steps there)`, hint };
  try {
    HistoryStore.open(file, { readonly: true }).close();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { name: "history", status: "fail", detail: `${file}: ${error.message}`, hint: error.hint ?? hint };
  }
  return {
    name: "history",
    status: "ok",
    detail: `${file} (writable, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB)`,
  };
}

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
