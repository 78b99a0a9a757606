/**
 * What the Python aiorch's config blocks mean for this CLI, worked out once the file is
 * read: the `env:` block merged into the environment, the blocks that are accepted but
 * ignored (Platform only) named in one warning, the log level as a verbosity, the run-log
 * folder.
 */
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../errors/user-error.ts";
import type { ConfigSpec } from "../spec/config.ts";
import { LOG_LEVELS } from "../spec/config.ts";
import { PLATFORM_REASONS } from "../spec/config-platform.ts";
import { expandEnvValue } from "./env-expand.ts";

type Env = Record<string, string | undefined>;

/** `~` or `~/…` → the home folder; then relative to the config file's folder. */
export function configPath(value: string, configFile: string): string {
  return resolve(dirname(configFile), value.replace(/^~(?=$|[\\/])/, homedir()));
}

/** Paths written in the config made absolute: `storage.path`, each log sink's `path`. */
export function absolutePaths(config: ConfigSpec, configFile: string): void {
  if (config.storage?.path) config.storage.path = configPath(config.storage.path, configFile);
  const sink = config.logging?.sink;
  for (const entry of Array.isArray(sink) ? sink : [sink]) {
    if (entry && typeof entry === "object" && entry.path) entry.path = configPath(entry.path, configFile);
  }
}

/**
 * The config's `env:` block into `env` (the process environment by default), as the
 * Python tool does: a variable already set keeps its value (the environment wins), and
 * each value's `${VAR}` is expanded against the environment first. It then serves
 * `${VAR}` in the rest of the file, every step (below the pipeline's and the step's
 * `env:`), templates' `env.X`, and the LLM key variables.
 */
export function applyConfigEnv(block: unknown, env: Env): void {
  if (!block || typeof block !== "object" || Array.isArray(block)) return;
  for (const [name, value] of Object.entries(block as Record<string, unknown>)) {
    if (env[name] !== undefined || value === null || typeof value === "object") continue;
    env[name] = expandEnvValue(String(value), env);
  }
}

/** The one warning for the blocks read only by the Python tool's Platform, or undefined. */
export function ignoredBlocksWarning(config: ConfigSpec, file: string): string | undefined {
  const ignored: string[] = [];
  for (const [block, reason] of Object.entries(PLATFORM_REASONS)) {
    if ((config as Record<string, unknown>)[block] !== undefined) ignored.push(`\`${block}:\` (${reason})`);
  }
  if (config.storage?.type === "postgres")
    ignored.push("`storage.type: postgres` (the Platform's database; runs are recorded in the SQLite history file)");
  const sinks =
    config.logging?.sink === undefined
      ? []
      : Array.isArray(config.logging.sink)
        ? config.logging.sink
        : [config.logging.sink];
  if (sinks.some((s) => typeof s === "object" && (s.format !== undefined || s.options !== undefined))) {
    ignored.push("`logging.sink` format/options (custom sinks of the Python tool)");
  }
  if (ignored.length === 0) return undefined;
  return `${file}: ignored, as they only mean something to the Python aiorch's Platform: ${ignored.join(", ")}`;
}

/** `logging.level` checked (any case): exit 2 with the accepted names when it is not one. */
export function checkLogLevel(level: string | undefined, file: string): void {
  if (level === undefined || (LOG_LEVELS as readonly string[]).includes(level.toUpperCase())) return;
  throw new UserError(`invalid config file ${file}: logging.level ${JSON.stringify(level)} is not a log level`, {
    hint: "use DEBUG, INFO, WARNING or ERROR",
  });
}

/** DEBUG shows what `-v` shows; every other level is the usual view. Undefined when the config says nothing. */
export function verboseFromConfig(config: ConfigSpec): boolean | undefined {
  const level = config.logging?.level;
  return level === undefined ? undefined : level.toUpperCase() === "DEBUG";
}

/**
 * The folder for run logs when `logging.sink` asks for a file (`file`, or a `{type: file}`
 * entry, the Python default when `logging:` is written without a sink), else undefined:
 * `sink.path` (made absolute by the loader) or `$AIORCH_HOME/logs`.
 */
export function runLogFolder(config: ConfigSpec, home: string): string | undefined {
  const logging = config.logging;
  if (logging === undefined) return undefined;
  const sinks =
    logging.sink === undefined ? ["file" as const] : Array.isArray(logging.sink) ? logging.sink : [logging.sink];
  for (const sink of sinks) {
    if (sink === "file") return join(home, "logs");
    if (typeof sink === "object" && (sink.type ?? "file") === "file") return sink.path ?? join(home, "logs");
  }
  return undefined;
}
