/**
 * Text on its way to a terminal, made unable to drive it. A step's output, error or log is
 * printed by the live view, `-v`, `trace`, `history` and error messages; printed as it is,
 * `printf '\033[2J'` would clear the reader's screen, `\r` would overwrite a line with
 * another, an OSC sequence would set the window title or the clipboard. So every control
 * character is shown escaped instead: `\x1b[2J`, `\x07`, `\r`. This is applied once, where
 * the CLI writes (`cli/output.ts` and the live view's writer), to every line; the
 * `--format json` document (JSON escapes them itself) and the history keep the exact bytes.
 *
 * Kept as they are: `\n` and `\t` (layout), `\r\n` (a line end: shown as `\n`, it cannot
 * overwrite anything), and — only when the CLI writes colour — colour codes (`ESC[…m`),
 * which the views use and which change nothing but colour. Escaped: the other C0 controls,
 * DEL, the C1 controls (U+0080–U+009F, some terminals read U+009B as ESC [), and the bidi
 * overrides (U+202A–U+202E, U+2066–U+2069), which reorder what is shown. A backslash is not
 * doubled: the view is for reading; the JSON document is for the exact text.
 */

/** A colour code, or one character that must not reach the terminal. */
const UNSAFE = /\x1b\[[0-9;]*m|\r\n|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\r": "\\r", "\b": "\\b", "\f": "\\f", "\v": "\\v" };

/**
 * One character, escaped: `\r`, `\x1b` for the C0 controls, `\u009b` and `\u202e` above
 * them — a spelling that is also valid inside a JSON string, since a JSON document printed
 * as text (`--format json`) may hold DEL, C1 or bidi characters raw and must stay JSON.
 */
function escaped(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` as it may be written to a terminal; `colour`: colour codes pass (the stream shows colour). */
export function terminalText(text: string, colour: boolean): string {
  return text.replace(UNSAFE, (match) => {
    if (match === "\r\n") return "\n";
    if (match.length > 1) return colour ? match : `${escaped("\x1b")}${match.slice(1)}`;
    return escaped(match);
  });
}
