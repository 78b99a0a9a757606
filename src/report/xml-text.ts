/**
 * Text as XML 1.0 can hold it, for the JUnit report. XML 1.0 has no way at all to write
 * most control characters (not even as `&#1;`), nor U+FFFE/U+FFFF or half a surrogate
 * pair: a report holding one is not XML, and CI tools reject the whole file. Such a
 * character is shown escaped instead (`\x1b`, as the live view shows it), so what a
 * step printed stays readable.
 */

const NOT_XML =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function shown(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` without the characters XML 1.0 cannot hold (shown as `\x1b`, `\ud800`). */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, shown);
}

/** Element content: `&`, `<`, `>` escaped, and `\r` as `&#13;` (a parser would turn a bare one into `\n`). */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/**
 * An attribute value, for `"…"`: besides the markup characters, line breaks and tabs as
 * character references, since a parser turns bare ones into spaces (an error message keeps
 * its lines).
 */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}
