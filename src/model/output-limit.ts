/**
 * `AIORCH_MAX_OUTPUT`: the most bytes one step may produce — a run: step's stdout, a python
 * step's printed output or result, an http input's body, an LLM answer. Past it the step
 * fails with a message naming the limit, instead of the run taking the memory (and the
 * history the disk) the output would need.
 */
export const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

/** The limit in bytes: `AIORCH_MAX_OUTPUT` when it is a positive number, else 64 MiB. */
export function maxOutputBytes(env: Record<string, string | undefined> = process.env): number {
  const configured = Number(env.AIORCH_MAX_OUTPUT);
  return Number.isFinite(configured) && configured > 0 ? Math.floor(configured) : DEFAULT_MAX_OUTPUT;
}

/** The fix every over-the-limit message ends with. */
export const OUTPUT_LIMIT_HINT = "raise AIORCH_MAX_OUTPUT, or write large output to a file (save: or a redirect)";
