import { shellQuote } from "./shell-quote.ts";

/** Where one `{{ }}` output of a `run:` template lands in the shell command. */
export type ShellSlot =
  /** Unquoted shell text (possibly glued to other word text): the value gets `shellQuote`. */
  | { kind: "word" }
  /** Inside a heredoc body; `expands` is false for `<<'EOF'`, `<<"EOF"`, `<<\EOF`, true for `<<EOF`. */
  | { kind: "heredoc"; terminator: string; expands: boolean }
  /** A place no value can go safely; reported at load time with the hint. */
  | { kind: "error"; message: string; hint: string };

/** A value that cannot be put into its slot safely (the message says why and how to fix it). */
export class ShellValueError extends Error {
  override name = "ShellValueError";
}

/** A line with its leading tabs removed, as `<<-` reads heredoc lines. */
export const stripTabs = (line: string): string => line.replace(/^\t+/, "");

/** The same slot: same kind, and for heredocs the same terminator and quoting. */
export const sameSlot = (a: ShellSlot, b: ShellSlot): boolean =>
  a.kind === b.kind && (a.kind !== "heredoc" || (b.kind === "heredoc" && a.terminator === b.terminator && a.expands === b.expands));

/**
 * The text to splice into the command for `value` in `slot`.
 *
 * - `word`: `shellQuote(value)`.
 * - `heredoc`, quoted delimiter: `value` verbatim (the shell does not re-read the body).
 * - `heredoc`, unquoted delimiter: `value` with `\`, `$` and `` ` `` backslash-escaped,
 *   so the shell prints it unchanged.
 *
 * Throws `ShellValueError` for an `error` slot, for a value with a NUL byte (no shell
 * argument can carry one), and for a heredoc value with a line equal to the terminator
 * — compared after removing leading tabs, which `<<-` strips (stricter than needed for
 * plain `<<`: the slot does not say which form it came from).
 */
export function insertIntoSlot(value: string, slot: ShellSlot): string {
  if (slot.kind === "error") throw new ShellValueError(`${slot.message} (${slot.hint})`);
  if (value.includes("\0")) throw new ShellValueError("the value contains a NUL byte, which a shell command cannot carry");
  if (slot.kind === "word") return shellQuote(value);
  const text = slot.expands ? value.replace(/[\\$`]/g, "\\$&") : value;
  const hits = (v: string) => v.split("\n").some((line) => line === slot.terminator || stripTabs(line) === slot.terminator);
  if (hits(value) || hits(text)) {
    throw new ShellValueError(
      `the value contains the heredoc terminator line \`${slot.terminator}\`; choose another terminator`,
    );
  }
  return text;
}
