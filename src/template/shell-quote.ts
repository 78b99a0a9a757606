/**
 * Characters that never need quoting in a POSIX shell word, wherever the word sits.
 * Deliberately ASCII-only: non-ASCII letters are quoted because their meaning depends
 * on the shell's locale (multibyte IFS, `[[:alpha:]]` globbing, byte-wise parsing).
 */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes `value` as ONE POSIX shell word.
 *
 * Returned as-is when every character is in `[A-Za-z0-9_@%+=:,./-]`; otherwise wrapped
 * in single quotes, with each embedded `'` written as `'"'"'` (close, a double-quoted
 * quote, reopen). The empty string becomes `''` so it still counts as an argument.
 * Single quotes are used because nothing is special inside them: not `$`, not
 * backticks, not `\`, not newlines.
 *
 * @example shellQuote("Eresh; rm -rf /") === "'Eresh; rm -rf /'"
 */
export function shellQuote(value: string): string {
  if (value === "") return "''";
  if (SAFE_WORD.test(value)) return value;
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/**
 * Quotes `value` as one word that is never read as anything but literal text: always in
 * single quotes. For a value glued to other word text or at a command name's place,
 * where a bare `FOO` could complete `FOO=1` into an assignment, `~root` into a home
 * directory or `if` into a reserved word.
 */
export function shellQuoteAlways(value: string): string {
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}
