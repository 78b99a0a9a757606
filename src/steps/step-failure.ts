/** Why an attempt failed, as the user should read it. */
export type FailureKind = "error" | "timeout" | "cancelled";

/** An attempt that failed: the message is final, user-facing text (no stack trace). */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind = "error",
    /** Extra lines for the trace and `-v` (stderr tail, traceback). */
    readonly detail?: string,
  ) {
    super(message);
    this.name = "StepFailure";
  }
}

/** Any error as a StepFailure; template and shell-value errors keep their own message. */
export function asStepFailure(error: unknown): StepFailure {
  if (error instanceof StepFailure) return error;
  if (error instanceof Error) return new StepFailure(error.message);
  return new StepFailure(String(error));
}
