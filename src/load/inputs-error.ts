import { UserError } from "../errors/user-error.ts";

/**
 * Every problem with a run's inputs, reported together (exit code 2) before any step runs.
 * One problem is the message itself; several are listed one per line.
 */
export class InputsError extends UserError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    const message =
      problems.length === 1
        ? problems[0]!
        : `${problems.length} problems with the inputs:\n${problems.map((p) => `  - ${p}`).join("\n")}`;
    super(message, {
      hint: "give inputs with -i KEY=VALUE, -i KEY=@file or --input FILE.json; `aiorch list FILE` shows what the pipeline declares",
    });
    this.name = "InputsError";
    this.problems = problems;
  }
}
