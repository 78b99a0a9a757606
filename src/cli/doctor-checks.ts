/**
 * `aiorch doctor`'s checks of the machine: python3, /bin/sh, the config file, the history
 * database; what a pipeline needs of them decides whether a missing one fails or warns.
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../errors/user-error.ts";
import { HistoryStore } from "../history/index.ts";
import { stepsWithFlows, type Pipeline } from "../model/pipeline.ts";
import type { DoctorCheck } from "../report/doctor-view.ts";
import type { ConfigSpec } from "../spec/config.ts";
import { findPython } from "../steps/python/interpreter.ts";
import { loadCliConfig } from "./cli-config.ts";
import { historyDisabled, historyFile } from "./run-history.ts";

export type Env = Record<string, string | undefined>;

/** What a pipeline (and the sub-pipelines it calls) needs from the machine. */
export interface Needs {
  python: boolean;
  shell: boolean;
  prompts: { step: string; model: string | undefined }[];
}

export function needsOf(pipeline: Pipeline): Needs {
  const steps = stepsWithFlows(pipeline);
  return {
    python: steps.some((s) => s.primitive === "python"),
    shell: steps.some((s) => s.primitive === "run"),
    prompts: steps.filter((s) => s.primitive === "prompt").map((s) => ({ step: s.name, model: s.prompt.model })),
  };
}

/** A missing thing is a failure when it is needed, a warning otherwise. */
export const severity = (needed: boolean) => (needed ? "fail" : "warn");

export function configCheck(explicit: string | undefined, dir: string): { config: ConfigSpec; check: DoctorCheck } {
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

export function pythonCheck(config: ConfigSpec, env: Env, needed: boolean, unneeded: string): DoctorCheck {
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

export function shellCheck(needed: boolean, unneeded: string): DoctorCheck {
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

export function historyCheck(config: ConfigSpec, env: Env): DoctorCheck {
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
