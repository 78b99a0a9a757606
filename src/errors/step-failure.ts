/** Why an attempt failed, as the user should read it. */
export type FailureKind = "error" | "timeout" | "cancelled";

/**
 * The end of what an attempt printed: the last {@link TAIL_LINES} lines and at most
 * {@link TAIL_BYTES} characters of its stdout and of its stderr ("" when it printed nothing).
 */
export interface OutputTails {
  stdout: string;
  stderr: string;
}

/** Lines of each stream kept for a failed attempt: enough for a test report or a traceback. */
export const TAIL_LINES = 40;
/** Characters of each stream kept for a failed attempt. */
export const TAIL_BYTES = 8 * 1024;

/** The last `lines` lines (at most `chars` characters) of `text`, without trailing blank lines. */
export function tailOf(text: string, lines = TAIL_LINES, chars = TAIL_BYTES): string {
  let end = text.trimEnd();
  if (end.length > chars) {
    end = end.slice(-chars);
    const newline = end.indexOf("\n");
    if (newline !== -1 && newline < end.length - 1) end = end.slice(newline + 1);
  }
  const all = end.split("\n");
  return (all.length > lines ? all.slice(-lines) : all).join("\n");
}

/** Both tails of what an attempt printed, or undefined when it printed nothing. */
export function outputTails(stdout: string, stderr: string): OutputTails | undefined {
  const tails = { stdout: tailOf(stdout), stderr: tailOf(stderr) };
  return tails.stdout || tails.stderr ? tails : undefined;
}

/** An attempt that failed: the message is final, user-facing text (no stack trace). */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind = "error",
    /** Extra lines for the trace and `-v` (a python traceback, an unparsable answer). */
    readonly detail?: string,
    /** What the attempt printed before it failed (tails of stdout and stderr). */
    readonly output?: OutputTails,
  ) {
    super(message);
    this.name = "StepFailure";
  }
}

/**
 * A command stopped by its signal (timeout, Ctrl-C) that had printed something: what it
 * printed travels with the abort reason, so a timed-out attempt still shows its output.
 */
export class StoppedWithOutput extends Error {
  constructor(
    readonly reason: unknown,
    readonly output: OutputTails,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = "StoppedWithOutput";
  }
}

/** What an error says the attempt printed, if anything. */
export function outputOf(error: unknown): OutputTails | undefined {
  return error instanceof StepFailure || error instanceof StoppedWithOutput ? error.output : undefined;
}

/** Any error as a StepFailure; template and shell-value errors keep their own message. */
export function asStepFailure(error: unknown): StepFailure {
  if (error instanceof StepFailure) return error;
  if (error instanceof StoppedWithOutput) return new StepFailure(error.message, "error", undefined, error.output);
  if (error instanceof Error) return new StepFailure(error.message);
  return new StepFailure(String(error));
}
