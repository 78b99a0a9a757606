/**
 * The config file read and checked: its structure against the config schema (positions
 * and "did you mean" as for a pipeline), the timeouts, then its meaning (`env:`, paths,
 * the blocks this build ignores). Where the file is: `load/config.ts`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { formatDiagnostics, hasErrors, type Diagnostic } from "../errors/diagnostic.ts";
import { UserError } from "../errors/user-error.ts";
import { findConfigFile } from "../load/config.ts";
import { absolutePaths, applyConfigEnv, checkLogLevel, ignoredBlocksWarning } from "../load/config-meaning.ts";
import { expandEnvValue } from "../load/env-expand.ts";
import { isPipelineFile } from "../load/pipeline-file.ts";
import { parseYaml, type SourceFile } from "../load/yaml-source.ts";
import { parseDuration } from "../model/duration.ts";
import { ConfigSchema, type ConfigSpec } from "../spec/config.ts";
import { checkAgainst } from "./structure.ts";

export interface LoadedConfig {
  /** The file read, or undefined when none was found. */
  file?: string;
  config: ConfigSpec;
  /** Said once by the command (stderr): the blocks accepted but ignored. */
  warnings: string[];
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
    problems.push(
      source.at(node.range?.[0] ?? 0, {
        field,
        message: `\`${field}\` ${what}`,
        hint: `write a limit such as 60s or 10m, or ${without}`,
      }),
    );
  }
  return problems;
}

/** Replaces `${VAR}` / `${VAR:-default}` in every string of the config. */
function expand(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === "string") return expandEnvValue(value, env);
  if (Array.isArray(value)) return value.map((v) => expand(v, env));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, env)]));
  return value;
}

/**
 * Reads and checks the config (exit 2 with positions when it is wrong); `python:`,
 * `storage.path` and log sink paths are made absolute (`~` is the home folder). Its
 * `env:` block is merged into `env` (default: the process environment) before the rest is
 * expanded, as the Python tool does: see {@link applyConfigEnv}.
 */
export function loadConfig(options: {
  explicit?: string | undefined;
  pipelineDir: string;
  env?: Record<string, string | undefined>;
}): LoadedConfig {
  const env = options.env ?? process.env;
  const file = options.explicit ?? findConfigFile(options.pipelineDir, env);
  if (!file) return { config: {}, warnings: [] };
  if (!existsSync(file))
    throw new UserError(`config file ${file} not found`, { hint: "check the path given to --config" });
  if (isPipelineFile(file))
    throw new UserError(`${file} is a pipeline (it has steps:), not a config file`, {
      hint: "--config takes a config file (llm:, storage:, …); a pipeline is the FILE argument",
    });
  const { source, diagnostics } = parseYaml(file, readFileSync(file, "utf8"));
  if (source && !hasErrors(diagnostics)) diagnostics.push(...checkAgainst(source, ConfigSchema, "the config file"));
  if (source && !hasErrors(diagnostics)) diagnostics.push(...timeoutProblems(source));
  if (hasErrors(diagnostics)) {
    throw new UserError(`invalid config file ${file}:\n${formatDiagnostics(diagnostics)}`, {
      hint: "the keys and what they take: docs/config.md#keys",
    });
  }
  const raw = (source?.value ?? {}) as Record<string, unknown>;
  applyConfigEnv(raw.env, env);
  const config = (expand(raw, env) ?? {}) as ConfigSpec;
  checkLogLevel(config.logging?.level, file);
  if (config.python && !isAbsolute(config.python) && /[\\/]/.test(config.python))
    config.python = resolve(dirname(file), config.python);
  absolutePaths(config, file);
  const warning = ignoredBlocksWarning(config, file);
  return { file, config, warnings: warning ? [warning] : [] };
}
