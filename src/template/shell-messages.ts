import type { ShellSlot } from "./shell-slot.ts";

/** A slot no value can go into, with why and how to fix the command. */
export const slotError = (message: string, hint: string): ShellSlot => ({ kind: "error", message, hint });

const QUOTES_HINT = "drop the quotes; the value is quoted for you";

/**
 * Why an output cannot go where it is, for every value, and how to fix the command:
 * the load-time refusals. Places that depend on the value are slots of their own
 * (`number`, `name`, `comment`, `render`) and are decided when the value is known.
 */
export const ERR = {
  sq: slotError("`{{ }}` inside quotes in a run: command", QUOTES_HINT),
  dq: slotError("`{{ }}` inside quotes in a run: command", QUOTES_HINT),
  ansi: slotError("`{{ }}` inside quotes ($'…') in a run: command", QUOTES_HINT),
  bq: slotError("`{{ }}` inside backticks in a run: command", "use $( … ) instead of backticks"),
  bodySubst: slotError(
    "`{{ }}` inside $( … ) or ${ … } in a heredoc body",
    'set a variable before the heredoc (v={{ … }}) and use "$v" inside',
  ),
  backslash: slotError(
    "a backslash right before `{{ }}` would escape the quoting of the value",
    "remove the backslash",
  ),
  dollar: slotError(
    "`$` right before `{{ }}` would turn the value into an expansion",
    "remove the `$`, or escape it as \\$",
  ),
  evaluates: slotError(
    "`{{ }}` in the arguments of eval or trap: the shell runs the value as code",
    "pass the value as data (an argument or an environment variable), or use {{ x | raw }} if it is trusted code",
  ),
  delimiter: slotError("`{{ }}` in a heredoc delimiter", "write the terminator literally, e.g. <<'EOF'"),
} as const;

/** The load-time scan cannot follow the text here (`why` when it can say why): decided at render time. */
export const renderSlot = (why?: ShellSlot): ShellSlot =>
  why?.kind === "error" ? { kind: "render", why: { message: why.message, hint: why.hint } } : { kind: "render" };

/** A load-time problem the scanner finds at a template tag rather than at an output. */
export interface ShellProblem {
  /** 0-based offset of the tag in the template text. */
  at: number;
  message: string;
  hint: string;
}

/** Which tag starts a branch of an `{% if %}`, for messages. */
export type BranchTag = "if" | "elif" | "else";

const BRANCH_HINT = "close quotes and heredocs inside each branch, or move the `{% if %}` outside them";

/**
 * An `{% if %}` branch that ends in a different shell context than the others.
 * `open` names the context (`a quote`, `a heredoc`, `` `$(` ``); `closes` when it is the
 * other branches that leave it open.
 */
export function branchProblem(at: number, tag: BranchTag, open: string, closes: boolean): ShellProblem {
  const what = closes ? `closes ${open} that the other branches leave open` : `leaves ${open} open`;
  return {
    at,
    message: `this \`{% ${tag} %}\` branch ${what}, so the shell would read the next value differently depending on the branch`,
    hint: BRANCH_HINT,
  };
}

/** A `{% for %}` body (or its `{% else %}`) that does not end in the shell context it started in. */
export function loopProblem(at: number, part: "body" | "else", open: string, closes: boolean): ShellProblem {
  const what = closes ? `closes ${open} that was open before the loop` : `leaves ${open} open`;
  const subject = part === "body" ? "this `{% for %}` body" : "the `{% else %}` branch of this `{% for %}`";
  return {
    at,
    message: `${subject} ${what}, so the shell would read the next pass and what follows the loop differently`,
    hint: "close quotes and heredocs inside the loop body, or move the `{% for %}` outside them",
  };
}

/** The checker gave up: too many readings of the text around a tag, or a loop that never settles. */
export function tooComplexProblem(at: number, loop: boolean): ShellProblem {
  return loop
    ? {
        at,
        message: "cannot follow how this `{% for %}` body changes the shell command from one pass to the next",
        hint: "make each pass a whole shell word or command (end the body with a space, `;` or a newline)",
      }
    : {
        at,
        message: "the shell text around this tag can be read in too many ways to check",
        hint: "move the `{% if %}`s out of the middle of shell words",
      };
}

/** A template tag in the middle of a shell operator or heredoc delimiter that must be read whole. */
export function splitProblem(at: number, before: string, delimiter: boolean): ShellProblem {
  if (delimiter) {
    return {
      at,
      message:
        "a template tag inside a heredoc delimiter: the shell would read the delimiter differently depending on the tag",
      hint: "write the whole delimiter on one side of the tag, e.g. <<'EOF'",
    };
  }
  return {
    at,
    message: `a template tag right after \`${before}\` splits a shell operator (like \`$(\`, \`<<\`, \`;;\` or a \\-newline), so the shell would read it differently depending on the tag`,
    hint: `keep the whole operator on one side of the tag, or put a space between \`${before}\` and the tag`,
  };
}
