/** Exit codes of docs/cli.md#aiorch-run, plus 70 for engine bugs. */
export const ExitCode = {
  ok: 0,
  stepFailed: 1,
  usage: 2,
  internal: 70,
  interrupted: 130,
} as const;

/**
 * A mistake the user can fix: printed as its message (no stack trace), exit code 2.
 * `hint` says how to fix it and is printed on its own line.
 */
export class UserError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;
  constructor(message: string, options: { hint?: string; exitCode?: number } = {}) {
    super(message);
    this.name = "UserError";
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }
}
