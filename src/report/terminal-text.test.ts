import { expect, test } from "bun:test";
import { terminalText } from "./terminal-text.ts";

test("control characters are shown escaped; newlines, tabs and CRLF line ends stay", () => {
  expect(terminalText("a\x1b[2Jb\x07c\r\nd\re\tf\x7f\u009b\u202e\x00\b", false)).toBe(
    "a\\x1b[2Jb\\x07c\nd\\re\tf\\u007f\\u009b\\u202e\\x00\\b",
  );
  expect(terminalText("plain text, unicode é 😀\n", false)).toBe("plain text, unicode é 😀\n");
});

test("colour codes pass only when colour is on; other sequences never", () => {
  expect(terminalText("\x1b[31mred\x1b[0m \x1b]0;title\x07", true)).toBe("\x1b[31mred\x1b[0m \\x1b]0;title\\x07");
  expect(terminalText("\x1b[31mred\x1b[0m", false)).toBe("\\x1b[31mred\\x1b[0m");
});

test("a JSON document stays JSON: what is escaped above the C0 range uses \\u, which JSON reads back", () => {
  const doc = JSON.stringify({ text: "del\x7f c1\u0085 bidi\u202e esc\x1b" });
  expect(JSON.parse(terminalText(doc, false))).toEqual(JSON.parse(doc));
});
