/**
 * Block statements that cannot keep the shell promise ("one value is one word") in a
 * `run:` command: a `{% filter %}` block rewrites its text after it was rendered, so a
 * value inside it could not be quoted for the place it ends up in. Such a block may hold
 * literal text only; the refusal holds for every value, so it is a load-time error.
 */
import type { Stmt } from "./ast.ts";
import type { ShellProblem } from "./shell-messages.ts";

/** True when the statements render a `{{ }}` value somewhere (a macro definition renders none by itself). */
function rendersValues(body: readonly Stmt[]): boolean {
  return body.some((s) => {
    switch (s.kind) {
      case "output":
        return true;
      case "if":
        return s.branches.some((b) => rendersValues(b.body)) || rendersValues(s.otherwise ?? []);
      case "for":
        return rendersValues(s.body) || rendersValues(s.otherwise ?? []);
      case "with":
      case "capture":
        return rendersValues(s.body);
      default:
        return false;
    }
  });
}

/** The filter blocks of a shell template that hold values, anywhere in it. */
export function shellBlockProblems(body: readonly Stmt[], out: ShellProblem[] = []): ShellProblem[] {
  for (const s of body) {
    if (s.kind === "capture" && s.target === undefined && rendersValues(s.body)) {
      out.push({
        at: s.at,
        message:
          "a `{% filter %}` block in a run: command cannot hold `{{ }}` values: the filter would change the command after its values were quoted",
        hint: "apply the filter to each value instead (`{{ name | upper }}`), or build the text in `vars:` and use it as one value",
      });
    } else if (s.kind === "if") {
      s.branches.forEach((b) => shellBlockProblems(b.body, out));
      shellBlockProblems(s.otherwise ?? [], out);
    } else if (s.kind === "for") {
      shellBlockProblems(s.body, out);
      shellBlockProblems(s.otherwise ?? [], out);
    } else if (s.kind === "with") shellBlockProblems(s.body, out);
  }
  return out;
}
