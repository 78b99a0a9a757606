/**
 * How a command that did not get to its result says so: the message (and hint) on stderr,
 * and under `--format json` also one document on stdout, so that a program reading stdout
 * always gets JSON:
 *
 *   {"error": {"kind": "user_error" | "invalid_pipeline" | "internal_error",
 *              "message": "…", "hint": "…" | null, "exit_code": 2 | 70, "diagnostics": […]}}
 *
 * `diagnostics` holds an invalid pipeline's problems as `validate --format json` lists them
 * (empty for the other kinds). docs/cli.md ("JSON output") shows it.
 */
import { ExitCode, type UserError } from "../errors/user-error.ts";
import { diagnosticJson, InvalidPipelineError } from "./load-pipeline.ts";
import { printErr, printJson } from "./output.ts";

/** What kind of failure an `error` document reports. */
export type FailureKind = "user_error" | "invalid_pipeline" | "internal_error";

/** The `error` document. */
export function errorDocument(
  kind: FailureKind,
  message: string,
  hint: string | undefined,
  exitCode: number,
  diagnostics: InvalidPipelineError["diagnostics"] = [],
) {
  return {
    error: {
      kind,
      message,
      hint: hint ?? null,
      exit_code: exitCode,
      diagnostics: diagnostics.map((d) => ({ ...diagnosticJson(d), severity: d.severity })),
    },
  };
}

/**
 * Reports a user mistake (an invalid pipeline's diagnostics were printed on stderr when it
 * was found) and returns its exit code; `json`: the `error` document on stdout too.
 */
export function reportUserError(error: UserError, json: boolean): number {
  const invalid = error instanceof InvalidPipelineError;
  if (!invalid) {
    printErr(`error: ${error.message}`);
    if (error.hint) printErr(`  hint: ${error.hint}`);
  }
  if (json)
    printJson(
      errorDocument(
        invalid ? "invalid_pipeline" : "user_error",
        error.message,
        error.hint,
        error.exitCode,
        invalid ? error.diagnostics : [],
      ),
    );
  return error.exitCode;
}

/** A usage mistake citty found (a missing argument, a bad enum value). */
export function reportUsageError(message: string, hint: string, json: boolean): number {
  printErr(`error: ${message}`);
  printErr(`  hint: ${hint}`);
  if (json) printJson(errorDocument("user_error", message, hint, ExitCode.usage));
  return ExitCode.usage;
}

/** A bug in aiorch: exit 70, a request to report it, the stack trace only with AIORCH_DEBUG=1. */
export function reportInternalError(error: unknown, json: boolean): number {
  const message = error instanceof Error ? error.message : String(error);
  const hint = "this is a bug in aiorch, not in your pipeline; please report it with the command you ran";
  printErr(`internal error: ${message}`);
  printErr(`  ${hint}`);
  if (process.env.AIORCH_DEBUG === "1" && error instanceof Error && error.stack) printErr(error.stack);
  else printErr("  (set AIORCH_DEBUG=1 to see the stack trace)");
  if (json) printJson(errorDocument("internal_error", message, hint, ExitCode.internal));
  return ExitCode.internal;
}

/**
 * Whether the command line asks for JSON on stdout: `--format json` or `--format=json` (the
 * last `--format` wins, as for citty), or `plan --json`. Read before the command parses its
 * arguments, so that a mistake in them is reported as JSON too.
 */
export function wantsJson(command: string, args: readonly string[]): boolean {
  let json = false;
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]!;
    if (arg === "--") break;
    if (arg === "--format") json = args[k + 1] === "json";
    else if (arg.startsWith("--format=")) json = arg.slice("--format=".length) === "json";
    else if (arg === "--json" && command === "plan") json = true;
  }
  return json;
}
