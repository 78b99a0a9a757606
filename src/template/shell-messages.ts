import type { ShellSlot } from "./shell-slot.ts";

/** A slot no value can go into, with why and how to fix the command. */
export const slotError = (message: string, hint: string): ShellSlot => ({ kind: "error", message, hint });

const QUOTES_HINT = "drop the quotes; the value is quoted for you";

/** Why an output cannot go where it is, and how to fix the command. */
export const ERR = {
  sq: slotError("`{{ }}` inside quotes in a run: command", QUOTES_HINT),
  dq: slotError("`{{ }}` inside quotes in a run: command", QUOTES_HINT),
  ansi: slotError("`{{ }}` inside quotes ($'…') in a run: command", QUOTES_HINT),
  bq: slotError("`{{ }}` inside backticks in a run: command", "use $( … ) instead of backticks"),
  comment: slotError(
    "`{{ }}` inside a shell comment in a run: command",
    "move it out of the comment: a value with a newline would end the comment and run",
  ),
  subscript: slotError(
    "`{{ }}` inside an array subscript: bash evaluates it as arithmetic, which can run commands",
    "compute the index in the template",
  ),
  param: slotError("`{{ }}` inside ${ … } in a run: command", 'assign the value to a variable first (v={{ … }}), then use "${v…}"'),
  arith: slotError(
    "`{{ }}` inside shell arithmetic ($(( … )), (( … )), $[ … ]) in a run: command",
    "compute the number in the template, or assign it to a variable first",
  ),
  bodySubst: slotError(
    "`{{ }}` inside $( … ) or ${ … } in a heredoc body",
    'set a variable before the heredoc (v={{ … }}) and use "$v" inside',
  ),
  backslash: slotError("a backslash right before `{{ }}` would escape the quoting of the value", "remove the backslash"),
  dollar: slotError("`$` right before `{{ }}` would turn the value into an expansion", "remove the `$`, or escape it as \\$"),
  name: slotError("`{{ }}` right after `$name` would extend the variable name", "write ${name}{{ … }}"),
  tilde: slotError("`~{{ }}` would expand to a user's home directory when the value is a plain name", 'write ~/{{ … }} or "$HOME"/{{ … }}'),
  braces: slotError(
    "`{{ }}` inside a `{…}` brace expansion: bash would split the value at commas",
    "build the list in the template, or put the braces in the value",
  ),
  arithTest: slotError(
    "`{{ }}` in a [[ … ]] test with an arithmetic operator: bash evaluates the value as code (a[$(cmd)])",
    'compare as strings ([ "$a" = … ]) or check the number in the template',
  ),
  evaluates: slotError(
    "`{{ }}` in the arguments of let, eval or declare -i: the shell runs the value as code",
    "pass the value as data, or use {{ x | raw }} if it is trusted code",
  ),
  delimiter: slotError("`{{ }}` in a heredoc delimiter", "write the terminator literally, e.g. <<'EOF'"),
  dialects: slotError("`{{ }}` sits in shell text that sh and bash read differently", "simplify the quoting, heredocs or `$'…'` / `((` around it"),
  paths: slotError(
    "`{{ }}` lands in a different place in the command depending on the `{% if %}` / `{% for %}` before it",
    "close quotes and heredocs inside each branch, or move the `{% if %}` outside them",
  ),
  missing: slotError("internal: `{{ }}` was not reached by the shell scanner", "please report this"),
} as const;

/** The slot of outputs whose heredoc line could spell `terminator` together with the value. */
export const terminatorRisk = (terminator: string): ShellSlot =>
  slotError(
    `text next to \`{{ }}\` on this heredoc line could join the value into the terminator line \`${terminator}\``,
    "choose another heredoc terminator",
  );

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
      message: "a template tag inside a heredoc delimiter: the shell would read the delimiter differently depending on the tag",
      hint: "write the whole delimiter on one side of the tag, e.g. <<'EOF'",
    };
  }
  return {
    at,
    message: `a template tag right after \`${before}\` splits a shell operator (like \`$(\`, \`<<\`, \`;;\` or a \\-newline), so the shell would read it differently depending on the tag`,
    hint: `keep the whole operator on one side of the tag, or put a space between \`${before}\` and the tag`,
  };
}
