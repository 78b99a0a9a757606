import { describe, expect, test } from "bun:test";
import { shellQuote } from "./shell-quote.ts";

const SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-";

/** Runs `printf '%s' <word>` in the real /bin/sh and returns what it printed. */
function viaShell(word: string): string {
  const proc = Bun.spawnSync(["/bin/sh", "-c", `printf '%s' ${word}`]);
  expect(proc.exitCode).toBe(0);
  return proc.stdout.toString();
}

describe("shellQuote", () => {
  test("leaves words made only of safe characters alone", () => {
    for (const word of ["hello", "a-b_c", "v1.2.3", "user@host:/path/to", "k=v,x%y+z", "-n", "--", ".", "/", SAFE]) {
      expect(shellQuote(word)).toBe(word);
    }
  });

  test("quotes every printable ASCII character outside the safe set", () => {
    for (let code = 0x20; code < 0x7f; code++) {
      const ch = String.fromCharCode(code);
      const expected = SAFE.includes(ch) ? ch : ch === "'" ? `''"'"''` : `'${ch}'`;
      expect(shellQuote(ch)).toBe(expected);
    }
  });

  test("the empty string is an empty quoted word", () => {
    expect(shellQuote("")).toBe("''");
  });

  test("embedded single quotes close, add a double-quoted quote, and reopen", () => {
    expect(shellQuote("it's")).toBe(`'it'"'"'s'`);
    expect(shellQuote("''")).toBe(`''"'"''"'"''`);
    expect(shellQuote(`it's "quoted"`)).toBe(`'it'"'"'s "quoted"'`);
  });

  test("the spec example", () => {
    expect(shellQuote("Eresh; rm -rf /")).toBe("'Eresh; rm -rf /'");
  });

  test("non-ASCII letters, whitespace and control characters are quoted", () => {
    expect(shellQuote("héllo")).toBe("'héllo'");
    expect(shellQuote("🌍")).toBe("'🌍'");
    expect(shellQuote("שלום")).toBe("'שלום'");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("a\nb")).toBe("'a\nb'");
    expect(shellQuote("\t")).toBe("'\t'");
    expect(shellQuote("\x01")).toBe("'\x01'");
  });

  test("expansion characters are quoted", () => {
    for (const value of [
      "$HOME",
      "$(id)",
      "`id`",
      "*",
      "?",
      "[a]",
      "~",
      "{a,b}",
      "a\\b",
      "!",
      "#x",
      "&",
      "|",
      ";",
      "<",
      ">",
    ]) {
      expect(shellQuote(value)).toBe(`'${value}'`);
    }
  });

  test("round-trips through the real /bin/sh, one character at a time and all at once", () => {
    let all = "";
    for (let code = 1; code < 0x80; code++) {
      const ch = String.fromCharCode(code);
      all += ch;
      expect(viaShell(shellQuote(ch))).toBe(ch);
    }
    expect(viaShell(shellQuote(all))).toBe(all);
    expect(viaShell(shellQuote(""))).toBe("");
  });
});
