import { expandEnvValue } from "../load/env-expand.ts";

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
