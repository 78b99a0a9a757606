import { shellQuote, shellQuoteAlways } from "./shell-quote.ts";

/** Where one `{{ }}` output of a `run:` template lands in the shell command. */
export type ShellSlot =
  /**
   * Unquoted shell text: the value becomes one word. `force` when it is glued to other
   * word text or stands where a command name goes: then it is always single-quoted, so
   * that `FOO` never becomes `FOO=1` (an assignment), `~root` a home directory or `if` a
   * reserved word.
   */
  | { kind: "word"; force: boolean; array?: boolean }
  /**
   * Inside a heredoc body; `expands` is false for `<<'EOF'`, `<<"EOF"`, `<<\EOF`, true for
   * `<<EOF`. `joined` when text next to the value on its line could spell the terminator
   * with it (`E{{x}}`, `{{a}}{{b}}`): the rendered line is checked (`shell-render.ts`).
   * `afterName` right after `$name`, which a value starting with a name character would extend.
   */
  | { kind: "heredoc"; terminator: string; expands: boolean; strip?: boolean; joined?: boolean; afterName?: boolean }
  /** A place the shell evaluates as arithmetic (`$(( ))`, `(( ))`, `let`, subscripts…): an integer literal only. */
  | { kind: "number"; place: string }
  /** A place the shell reads as a variable name (`read`, `printf -v`, `unset`, `[ -v ]`…): a plain name only. */
  | { kind: "name"; place: string }
  /** Inside a `#` comment: inert unless the value holds a newline. */
  | { kind: "comment" }
  /** The load-time scan could not follow the text here: decided at render time on the rendered text. */
  | { kind: "render"; why?: { message: string; hint: string } }
  /** A place no value can go safely; reported at load time with the hint. */
  | { kind: "error"; message: string; hint: string };

/**
 * A value that cannot be put into its slot. `problem` says why (for this value), `hint`
 * how to fix the template; the renderer adds which output and what value.
 */
export class ShellValueError extends Error {
  override name = "ShellValueError";
  constructor(
    readonly problem: string,
    readonly hint: string,
  ) {
    super(`${problem} (${hint})`);
  }
}

/** A line with its leading tabs removed, as `<<-` reads heredoc lines. */
export const stripTabs = (line: string): string => line.replace(/^\t+/, "");

/** The same slot: same kind and the same parameters. */
export const sameSlot = (a: ShellSlot, b: ShellSlot): boolean => {
  if (a.kind !== b.kind) return false;
  if (a.kind === "heredoc" && b.kind === "heredoc") {
    return (
      a.terminator === b.terminator &&
      a.expands === b.expands &&
      !a.afterName === !b.afterName &&
      !a.joined === !b.joined
    );
  }
  if (a.kind === "word" && b.kind === "word") return a.force === b.force && !a.array === !b.array;
  return true;
};

/** A plain decimal integer: what every shell's arithmetic reads as a number and nothing else. */
export const INTEGER = /^-?[0-9]+$/;
/** A shell variable name. */
export const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks that no line of `lines` (as they will stand in the body) is the heredoc terminator (after `<<-` strips tabs). */
export function checkTerminator(lines: string, terminator: string, strip = true): void {
  if (lines.split("\n").some((line) => line === terminator || (strip && stripTabs(line) === terminator))) {
    throw new ShellValueError(
      `it puts the heredoc terminator line \`${terminator}\` into the body, which would end the heredoc early`,
      "choose a heredoc terminator the value cannot contain",
    );
  }
}

/**
 * The text to splice into the command for `value` in `slot`.
 *
 * - `word`: `shellQuote(value)`, or always single-quoted when `force`.
 * - `heredoc`, quoted delimiter: `value` verbatim (the shell does not re-read the body).
 * - `heredoc`, unquoted delimiter: `value` with `\`, `$` and `` ` `` backslash-escaped,
 *   so the shell prints it unchanged.
 * - `number`: the value when it is an integer literal; `name`: when it is a variable name.
 * - `comment`: the value when it has no line break.
 *
 * Throws `ShellValueError` for an `error` or `render` slot, for a value with a NUL byte
 * (no shell argument can carry one), for a value the slot cannot take, and for a heredoc
 * value with a line equal to the terminator — compared after removing leading tabs,
 * which `<<-` strips. Lines the value forms with the text around it are checked by the
 * render-time pass (`shell-render.ts`) when the scan found such a line.
 */
export function insertIntoSlot(value: string, slot: ShellSlot): string {
  if (slot.kind === "error") throw new ShellValueError(slot.message, slot.hint);
  if (value.includes("\0")) {
    throw new ShellValueError("it contains a NUL byte, which a shell command cannot carry", "remove the NUL byte");
  }
  switch (slot.kind) {
    case "word":
      if (slot.array && value.startsWith("(")) {
        throw new ShellValueError(
          "after `declare …=` a value starting with `(` is read as an array assignment, and bash runs the `$( … )` in it",
          "give the elements as separate words: declare -a a=( {{ x }} )",
        );
      }
      return slot.force ? shellQuoteAlways(value) : shellQuote(value);
    case "number":
      if (INTEGER.test(value)) return value;
      throw new ShellValueError(
        `${slot.place} needs an integer`,
        "make the value a number in the template (`| int`), or assign it to a shell variable first and check it there",
      );
    case "name":
      if (NAME.test(value)) return value;
      throw new ShellValueError(
        `${slot.place} needs a variable name (letters, digits, _), and bash evaluates anything else as code`,
        "use a fixed variable name in the command",
      );
    case "comment":
      if (!/[\n\r]/.test(value)) return value;
      throw new ShellValueError(
        "it has a line break inside a shell comment, so the rest would run as a command",
        "move the value out of the comment",
      );
    case "render":
      if (slot.why)
        throw new ShellValueError(`the shell text around it cannot be read: ${slot.why.message}`, slot.why.hint);
      throw new ShellValueError(
        "sh and bash read the shell text around it differently",
        "simplify the quoting, heredocs or `$'…'` / `((` around it",
      );
    case "heredoc": {
      if (slot.afterName && /^\w/.test(value)) {
        throw new ShellValueError(
          "it would extend the `$name` right before it in the heredoc",
          "write ${name} before the value",
        );
      }
      const text = slot.expands ? value.replace(/[\\$`]/g, "\\$&") : value;
      // a value sharing its line with other text: its first and last lines are checked as rendered (`placeValues`)
      const own = (v: string) => (slot.joined ? v.split("\n").slice(1, -1).join("\n") : v);
      if (!slot.joined || value.includes("\n")) {
        checkTerminator(own(value), slot.terminator, slot.strip !== false);
        checkTerminator(own(text), slot.terminator, slot.strip !== false);
      }
      return text;
    }
  }
}
