import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { absolutePaths, applyConfigEnv, checkLogLevel, ignoredBlocksWarning } from "./config-meaning.ts";
import { formatDiagnostics, hasErrors, type Diagnostic } from "../errors/diagnostic.ts";
import { parseDuration } from "../model/duration.ts";
import { UserError } from "../errors/user-error.ts";
import { expandEnvValue } from "./env-expand.ts";
import type { ConfigSpec } from "../spec/config.ts";
import { ConfigSchema } from "../spec/config.ts";
import { checkAgainst } from "../validate/structure.ts";
import { isPipelineFile } from "./pipeline-file.ts";
import { parseYaml, type SourceFile } from "./yaml-source.ts";

const NAMES = ["aiorch.yaml", "aiorch.yml", ".aiorch.yaml"];

/** `$AIORCH_HOME`, default `~/.aiorch`: history, cache and the user's config live there. */
export function aiorchHome(env: Record<string, string | undefined> = process.env): string {
  return env.AIORCH_HOME || join(homedir(), ".aiorch");
}

export interface LoadedConfig {
  /** The file read, or undefined when none was found. */
  file?: string;
  config: ConfigSpec;
  /** Said once by the command (stderr): the blocks accepted but ignored. */
  warnings: string[];
}

/**
 * The config file: `--config FILE` if given, else the first `aiorch.yaml`, `aiorch.yml` or
 * `.aiorch.yaml` in the pipeline's folder or above it (a file with a top-level `steps:` is a
 * pipeline of that name and is passed over), else `$AIORCH_HOME/config.yaml`.
 */
export function findConfigFile(pipelineDir: string, env: Record<string, string | undefined> = process.env): string | undefined {
  for (let dir = resolve(pipelineDir); ; dir = dirname(dir)) {
    for (const name of NAMES) {
      const candidate = join(dir, name);
      // A pipeline may be called aiorch.yaml too (src/load/pipeline-file.ts): one with steps: is not a config.
      if (existsSync(candidate) && !isPipelineFile(candidate)) return candidate;
    }
    if (dirname(dir) === dir) break;
  }
  const home = join(aiorchHome(env), "config.yaml");
  return existsSync(home) ? home : undefined;
}

/** The longest `llm.timeout` / `defaults.timeout`: a timer past ~24.8 days fires at once (Bun and Node), so a day it is. */
const MAX_TIMEOUT_MS = 86_400_000;

/**
 * `llm.timeout` and `defaults.timeout` of 0 (or under a millisecond) would end every request
 * or step at once, and one too long for a timer likewise: both are mistakes with a position.
 */
function timeoutProblems(source: SourceFile): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const fields = [
    { path: ["llm", "timeout"], each: "request", without: "leave it out and a request may take up to 10 minutes" },
    { path: ["defaults", "timeout"], each: "step", without: "leave it out and steps have no time limit" },
  ];
  for (const { path, each, without } of fields) {
    const node = source.doc.getIn(path, true) as { value?: unknown; range?: [number, number, number] } | undefined;
    const ms = parseDuration(node?.value);
    if (node === undefined || ms === undefined || (ms > 0 && ms <= MAX_TIMEOUT_MS)) continue;
    const field = path.join(".");
    const what = ms === 0 ? `is 0: every ${each} would time out at once` : "is longer than 24h, the most it may be";
    problems.push(source.at(node.range?.[0] ?? 0, { field, message: `\`${field}\` ${what}`, hint: `write a limit such as 60s or 10m, or ${without}` }));
  }
  return problems;
}

/** Replaces `${VAR}` / `${VAR:-default}` in every string of the config. */
function expand(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === "string") return expandEnvValue(value, env);
  if (Array.isArray(value)) return value.map((v) => expand(v, env));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, env)]));
  return value;
}

/**
 * Reads and checks the config (exit 2 with positions when it is wrong); `python:`,
 * `storage.path` and log sink paths are made absolute (`~` is the home folder). Its
 * `env:` block is merged into `env` (default: the process environment) before the rest is
 * expanded, as the Python tool does: see {@link applyConfigEnv}.
 */
export function loadConfig(options: { explicit?: string | undefined; pipelineDir: string; env?: Record<string, string | undefined> }): LoadedConfig {
  const env = options.env ?? process.env;
  const file = options.explicit ?? findConfigFile(options.pipelineDir, env);
  if (!file) return { config: {}, warnings: [] };
  if (!existsSync(file)) throw new UserError(`config file ${file} not found`, { hint: "check the path given to --config" });
  if (isPipelineFile(file)) throw new UserError(`${file} is a pipeline (it has steps:), not a config file`, { hint: "--config takes a config file (llm:, storage:, …); a pipeline is the FILE argument" });
  const { source, diagnostics } = parseYaml(file, readFileSync(file, "utf8"));
  if (source && !hasErrors(diagnostics)) diagnostics.push(...checkAgainst(source, ConfigSchema, "the config file"));
  if (source && !hasErrors(diagnostics)) diagnostics.push(...timeoutProblems(source));
  if (hasErrors(diagnostics)) {
    throw new UserError(`invalid config file ${file}:\n${formatDiagnostics(diagnostics)}`, { hint: "the keys and what they take: docs/config.md#keys" });
  }
  const raw = (source?.value ?? {}) as Record<string, unknown>;
  applyConfigEnv(raw.env, env);
  const config = (expand(raw, env) ?? {}) as ConfigSpec;
  checkLogLevel(config.logging?.level, file);
  if (config.python && !isAbsolute(config.python) && /[\\/]/.test(config.python)) config.python = resolve(dirname(file), config.python);
  absolutePaths(config, file);
  const warning = ignoredBlocksWarning(config, file);
  return { file, config, warnings: warning ? [warning] : [] };
}
