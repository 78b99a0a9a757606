import type { ConfigSpec } from "../spec/config.ts";
import { HistoryStore, historyPath, secretsFrom } from "../history/index.ts";
import { addSecrets, isSecretName, type Secret } from "../history/redact.ts";
import { stepEnvironment } from "../engine/env.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { UserError } from "../errors/user-error.ts";
import { envFlag } from "../load/env-flag.ts";

/** `--no-history` or `AIORCH_NO_HISTORY=1` (any value but empty, `0`, `false`). */
export function historyDisabled(flag: boolean | undefined, env: Record<string, string | undefined>): boolean {
  return Boolean(flag) || envFlag(env, "AIORCH_NO_HISTORY");
}

/**
 * The secrets of docs/history.md: `*_KEY`/`*_TOKEN`/`*_SECRET`/`*_PASSWORD` variables and the configured
 * api_key, as the config's `redaction:` block amends them (more variables, patterns, or off).
 */
export function runSecrets(config: ConfigSpec, env: Record<string, string | undefined>): Secret[] {
  try {
    return secretsFrom(env, [config.llm?.api_key], config.redaction ?? {});
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new UserError(
      `the config's redaction.patterns has a pattern that is not a regular expression: ${error.message}`,
      { hint: "write patterns in the common regex syntax, e.g. sk-[A-Za-z0-9]{20,}" },
    );
  }
}

/**
 * Adds to `secrets` (in place: the store, the printing and the LLM cache share the list)
 * the values that the pipeline's `env:` and its steps' `env:` give to secret-looking names
 * (`*_KEY`, …, `redaction.env_keys`), as the steps will see them (`${VAR}` expanded from
 * `env`), in the pipeline and in the flows it names with a literal path.
 */
export function addPipelineSecrets(
  secrets: Secret[],
  pipeline: Pipeline,
  config: ConfigSpec,
  env: Record<string, string | undefined>,
): void {
  if (config.redaction?.enabled === false) return;
  const values: string[] = [];
  const seen = new Set<Pipeline>();
  const visit = (p: Pipeline) => {
    if (seen.has(p)) return;
    seen.add(p);
    const own = stepEnvironment(env, p.env, {});
    for (const name of Object.keys(p.env)) if (isSecretName(name, config.redaction)) values.push(own[name]!);
    for (const step of p.steps) {
      const stepEnv = stepEnvironment(env, p.env, step.env);
      for (const name of Object.keys(step.env)) if (isSecretName(name, config.redaction)) values.push(stepEnv[name]!);
    }
    for (const child of p.flows.values()) visit(child);
  };
  visit(pipeline);
  addSecrets(secrets, values);
}

/** The database file for this config and environment. */
export function historyFile(config: ConfigSpec, env: Record<string, string | undefined>): string {
  return historyPath({ ...(config.storage?.path ? { storagePath: config.storage.path } : {}), env });
}

/**
 * Opens the history for writing. A database that cannot be opened (corrupt, unwritable,
 * written by a newer aiorch) stops the run before it starts, exit 2, with a way out.
 */
export function openHistoryForRun(
  config: ConfigSpec,
  env: Record<string, string | undefined>,
  secrets: readonly Secret[],
): HistoryStore {
  try {
    return HistoryStore.open(historyFile(config, env), { secrets });
  } catch (error) {
    if (error instanceof UserError) {
      const hint = error.hint
        ? `${error.hint}; or run with --no-history (AIORCH_NO_HISTORY=1) to record nothing`
        : "run with --no-history (AIORCH_NO_HISTORY=1) to record nothing";
      throw new UserError(error.message, { hint, exitCode: error.exitCode });
    }
    throw error;
  }
}
