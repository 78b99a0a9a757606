import { parsePyJson } from "../model/py-json.ts";

/** Invalid JSON, with the 1-based line and column of the first offending character. */
export class JsonSyntaxError extends Error {
  readonly line: number;
  readonly col: number;
  readonly reason: string;
  constructor(line: number, col: number, reason: string) {
    super(`invalid JSON at line ${line} column ${col}: ${reason}`);
    this.name = "JsonSyntaxError";
    this.line = line;
    this.col = col;
    this.reason = reason;
  }
}

/**
 * `JSON.parse` with Python's numbers (`parsePyJson`: ints of any size exact, `3.0` a float),
 * and a failure says where: the runtime's own message has no position,
 * so on failure the text is scanned again to find the first offending character.
 * A leading byte-order mark is ignored.
 * @throws JsonSyntaxError
 */
export function parseJson(text: string): unknown {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return parsePyJson(source);
  } catch {
    const { offset, reason } = findJsonError(source);
    const before = source.slice(0, offset);
    const line = before.split("\n").length;
    const col = offset - before.lastIndexOf("\n");
    throw new JsonSyntaxError(line, col, reason);
  }
}

interface Failure {
  offset: number;
  reason: string;
}

class ScanFailure {
  constructor(readonly failure: Failure) {}
}

class Scan {
  i = 0;
  constructor(readonly s: string) {}

  fail(reason: string, offset = this.i): never {
    throw new ScanFailure({ offset, reason });
  }
  found(): string {
    const ch = this.s[this.i];
    return ch === undefined ? "the end of the text" : JSON.stringify(ch);
  }
  space(): void {
    while (this.i < this.s.length && " \t\r\n".includes(this.s[this.i]!)) this.i++;
  }
  value(): void {
    this.space();
    const ch = this.s[this.i];
    if (ch === "{") return this.object();
    if (ch === "[") return this.array();
    if (ch === '"') return this.string();
    if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    if (ch === "'") this.fail("strings take double quotes, not single quotes");
    this.fail(`expected a value, found ${this.found()}`);
  }
  object(): void {
    this.i++;
    this.space();
    if (this.s[this.i] === "}") return void this.i++;
    for (;;) {
      this.space();
      if (this.s[this.i] !== '"') {
        this.fail(
          this.s[this.i] === "}"
            ? "a trailing comma is not allowed"
            : `expected a property name in double quotes, found ${this.found()}`,
        );
      }
      this.string();
      this.space();
      if (this.s[this.i] !== ":") this.fail(`expected ":" after a property name, found ${this.found()}`);
      this.i++;
      this.value();
      this.space();
      if (this.s[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.s[this.i] === "}") return void this.i++;
      this.fail(`expected "," or "}", found ${this.found()}`);
    }
  }
  array(): void {
    this.i++;
    this.space();
    if (this.s[this.i] === "]") return void this.i++;
    for (;;) {
      this.space();
      if (this.s[this.i] === "]") this.fail("a trailing comma is not allowed");
      this.value();
      this.space();
      if (this.s[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.s[this.i] === "]") return void this.i++;
      this.fail(`expected "," or "]", found ${this.found()}`);
    }
  }
  string(): void {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const ch = this.s[this.i]!;
      if (ch === '"') return void this.i++;
      if (ch === "\\") {
        const esc = this.s[this.i + 1];
        if (esc === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6)))
            this.fail("\\u must be followed by four hex digits");
          this.i += 6;
          continue;
        }
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) this.fail(`invalid escape \\${esc ?? ""}`);
        this.i += 2;
        continue;
      }
      if (ch < " ")
        this.fail(
          ch === "\n" ? "a string may not span lines (write \\n)" : "a control character must be escaped in a string",
        );
      this.i++;
    }
    this.fail('a string is never closed (a `"` is missing)', start);
  }
  number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (!match || match[0] === "-") this.fail(`invalid number`);
    this.i += match[0].length;
  }
}

/** Where and why `text` is not JSON (called only after `JSON.parse` refused it). */
function findJsonError(text: string): Failure {
  const scan = new Scan(text);
  try {
    scan.space();
    if (scan.i >= text.length) return { offset: scan.i, reason: "the text is empty" };
    scan.value();
    scan.space();
    if (scan.i < text.length)
      return { offset: scan.i, reason: `unexpected ${scan.found()} after the end of the value` };
    return { offset: 0, reason: "not valid JSON" };
  } catch (error) {
    // Anything else (say, nesting too deep for the scanner) still gets a message, without a place.
    return error instanceof ScanFailure ? error.failure : { offset: 0, reason: "not valid JSON" };
  }
}
