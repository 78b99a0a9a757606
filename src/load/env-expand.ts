/**
 * Expands `${VAR}` and `${VAR:-default}` from `from` (docs/pipeline-reference.md#env, config files). An unset or
 * empty variable without a default expands to the empty string, as in the shell.
 */
export function expandEnvValue(value: string, from: Record<string, string | undefined>): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_, name: string, fallback: string | undefined) => {
      const current = from[name];
      return current !== undefined && current !== "" ? current : (fallback ?? "");
    },
  );
}
