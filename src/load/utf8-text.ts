/**
 * Pipeline and config files are UTF-8. A byte sequence that is not UTF-8 would otherwise
 * be replaced silently (U+FFFD) and reach a command or a prompt changed; it is an error
 * that names its line and column instead.
 */
import type { Diagnostic } from "../errors/diagnostic.ts";

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

/** Where the first invalid sequence starts: the longest valid prefix, found by halving. */
function firstInvalidByte(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      strict.decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  // `stream: true` accepts a truncated sequence at the end of the prefix: step back to its lead byte.
  let at = lo;
  while (at > 0 && (bytes[at]! & 0xc0) === 0x80) at--;
  try {
    strict.decode(bytes.subarray(0, at));
    return at;
  } catch {
    return Math.max(0, at - 1);
  }
}

/** The file's text, or (for bytes that are not UTF-8) a diagnostic at the first bad byte and the text as far as it can be read. */
export function decodeUtf8File(path: string, bytes: Uint8Array): { text: string; problem?: Diagnostic } {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    const at = firstInvalidByte(bytes);
    const before = lenient.decode(bytes.subarray(0, at));
    const lines = before.split("\n");
    const line = lines.length;
    const col = lines[lines.length - 1]!.length + 1;
    const byte = bytes[at] ?? 0;
    return {
      text: lenient.decode(bytes),
      problem: {
        severity: "error",
        file: path,
        line,
        col,
        message: `the file is not valid UTF-8: byte 0x${byte.toString(16).padStart(2, "0").toUpperCase()} at line ${line}, column ${col}`,
        hint: "save the file as UTF-8 (a Latin-1 é is the byte 0xE9; in UTF-8 it is 0xC3 0xA9)",
      },
    };
  }
}
