import { UserError } from "../errors/user-error.ts";
import { positiveDurationText } from "../model/duration.ts";

/**
 * `--set KEY=VALUE`, the Python aiorch's long name of `-i`. Its own option rather than an
 * alias of `i`: citty would print a long alias of a one-letter option as `-set`.
 */
export const SET_ARG = {
  type: "string" as const,
  description: "The same as -i (the Python aiorch's spelling); repeatable",
  valueHint: "KEY=VALUE",
};

/** Every `-i KEY=VALUE` (or the Python aiorch's `--set KEY=VALUE`) in order (citty keeps only the last of a repeated option). */
export function inputPairs(rawArgs: readonly string[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") break;
    if (arg === "-i" || arg === "--i" || arg === "--set") {
      const value = rawArgs[i + 1];
      if (value === undefined || value.startsWith("-"))
        throw new UserError(`${arg} needs KEY=VALUE`, { hint: "e.g. -i name=Ada, or -i data=@rows.csv for a file" });
      pairs.push(value);
      i++;
    } else if (arg.startsWith("-i") && arg.length > 2 && !arg.startsWith("--")) {
      pairs.push(arg.slice(2).replace(/^=/, ""));
    } else if (arg.startsWith("--set=") || arg.startsWith("--i=")) {
      pairs.push(arg.slice(arg.indexOf("=") + 1));
    }
  }
  return pairs;
}

/** `--concurrency N`: a whole number ≥ 1, or undefined (unlimited). */
export function concurrencyArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`--concurrency must be a whole number of at least 1, got ${JSON.stringify(value)}`, {
      hint: "e.g. --concurrency 4",
    });
  return n;
}

/** `--junit FILE` of `run` and `resume`. */
export const JUNIT_ARG = {
  type: "string" as const,
  description:
    "Write a JUnit XML report to FILE when the run ends (also when it fails or is interrupted): a testcase per step and per failed foreach item",
  valueHint: "FILE",
};

/** A sortable, short run id: `20261124-170312-3fa9`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${crypto.randomUUID().slice(0, 4)}`;
}

/** `-v` of `run` and `resume`. */
export const VERBOSE_ARG = {
  type: "boolean" as const,
  alias: "v",
  description:
    "Show every line steps print as they print it (prefixed with the step), each step's rendered command/prompt and its full result",
};

/** `--quiet` of `run` and `resume`. */
export const QUIET_ARG = {
  type: "boolean" as const,
  alias: "q",
  description: "Print only failures and the final line (for cron); the exit code still tells success",
};

/** `-v` and `--quiet` ask for opposite things: refused together. */
export function viewArgs(args: { verbose?: boolean; quiet?: boolean }): { verbose?: boolean; quiet: boolean } {
  if (args.verbose && args.quiet)
    throw new UserError("-v and --quiet cannot be used together: -v shows everything, --quiet only failures", {
      hint: "keep one of them",
    });
  return { ...(args.verbose !== undefined ? { verbose: args.verbose } : {}), quiet: Boolean(args.quiet) };
}

/** Time between progress lines when the output is not a terminal (a CI log): `AIORCH_PROGRESS_INTERVAL`, default 15s. */
export function progressInterval(env: Record<string, string | undefined>): number {
  const raw = env.AIORCH_PROGRESS_INTERVAL;
  if (raw === undefined || raw.trim() === "") return 15_000;
  const ms = positiveDurationText(raw);
  if (ms === undefined)
    throw new UserError(`AIORCH_PROGRESS_INTERVAL must be a duration such as 30s or 2m, got ${JSON.stringify(raw)}`, {
      hint: "unset it for the default (15s)",
    });
  return ms;
}
