import type { ConfigSpec } from "../spec/config.ts";
import { HistoryStore, historyPath, secretsFrom } from "../history/index.ts";
import type { Secret } from "../history/redact.ts";
import { UserError } from "../errors/user-error.ts";
import { envFlag } from "../load/env-flag.ts";

/** `--no-history` or `AIORCH_NO_HISTORY=1` (any value but empty, `0`, `false`). */
export function historyDisabled(flag: boolean | undefined, env: Record<string, string | undefined>): boolean {
  return Boolean(flag) || envFlag(env, "AIORCH_NO_HISTORY");
}

/**
 * The secrets of §8: `*_KEY`/`*_TOKEN`/`*_SECRET`/`*_PASSWORD` variables and the configured
 * api_key, as the config's `redaction:` block amends them (more variables, patterns, or off).
 */
export function runSecrets(config: ConfigSpec, env: Record<string, string | undefined>): Secret[] {
  try {
    return secretsFrom(env, [config.llm?.api_key], config.redaction ?? {});
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new UserError(`the config's redaction.patterns has a pattern that is not a regular expression: ${error.message}`, { hint: "write patterns in the common regex syntax, e.g. sk-[A-Za-z0-9]{20,}" });
  }
}

/** The database file for this config and environment. */
export function historyFile(config: ConfigSpec, env: Record<string, string | undefined>): string {
  return historyPath({ ...(config.storage?.path ? { storagePath: config.storage.path } : {}), env });
}

/**
 * Opens the history for writing. A database that cannot be opened (corrupt, unwritable,
 * written by a newer aiorch) stops the run before it starts, exit 2, with a way out.
 */
export function openHistoryForRun(config: ConfigSpec, env: Record<string, string | undefined>, secrets: readonly Secret[]): HistoryStore {
  try {
    return HistoryStore.open(historyFile(config, env), { secrets });
  } catch (error) {
    if (error instanceof UserError) {
      const hint = error.hint ? `${error.hint}; or run with --no-history (AIORCH_NO_HISTORY=1) to record nothing` : "run with --no-history (AIORCH_NO_HISTORY=1) to record nothing";
      throw new UserError(error.message, { hint, exitCode: error.exitCode });
    }
    throw error;
  }
}
