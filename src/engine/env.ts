/**
 * Expands `${VAR}` and `${VAR:-default}` from `from` (§2.2). An unset variable without a
 * default expands to the empty string, as in the shell.
 */
export function expandEnvValue(value: string, from: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => {
    const current = from[name];
    return current !== undefined && current !== "" ? current : (fallback ?? "");
  });
}

/** The environment of a step's process: the invoking environment, then pipeline `env:`, then step `env:`. */
export function stepEnvironment(
  base: Record<string, string | undefined>,
  pipelineEnv: Record<string, string>,
  stepEnv: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(pipelineEnv)) env[k] = expandEnvValue(v, base);
  for (const [k, v] of Object.entries(stepEnv)) env[k] = expandEnvValue(v, { ...base, ...env });
  return env;
}
