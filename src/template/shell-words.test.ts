import { describe, expect, test } from "bun:test";
import {
  ARITH_OPS,
  ASSIGNMENT,
  COMMANDS,
  DECLARATIONS,
  KEYWORDS,
  canonWord,
  literalWord,
  type WordMode,
} from "./shell-words.ts";

const SPECIAL = [...ARITH_OPS, ...DECLARATIONS, ...KEYWORDS, ...COMMANDS, "case", "esac", "in", "[[", "]]", "-v"];

/** Every question the lexer asks of a word (see `endWord`, `commandSlot` and the `[` rules in the lexer). */
function answers(word: string, mode: WordMode) {
  const option = /^[-+][A-Za-z]+$/.test(word)
    ? { letters: [...new Set(word.slice(1))].sort().join(""), last: word[word.length - 1] }
    : undefined;
  return {
    assignment: ASSIGNMENT.test(word),
    ...(mode === "plain" && {
      reserved: SPECIAL.filter((k) => k === word),
      name: /^[A-Za-z_]\w*$/.test(word),
      nameOrEmpty: /^([A-Za-z_]\w*)?$/.test(word),
      option,
    }),
  };
}

/** The same questions of a canonical word (options are asked of their canonical letters). */
function canonAnswers(canon: string, mode: WordMode) {
  const a = answers(canon, mode);
  if (a.option) a.option = { letters: [...new Set(canon.slice(1, -1))].sort().join(""), last: canon[canon.length - 1] };
  if (a.option && canon.length === 2) a.option = answers(canon, mode).option;
  return a;
}

describe("canonWord", () => {
  test("keeps the words the lexer tells apart", () => {
    for (const w of ["", "ca", "case", "-", "-e", "-eq", "[", "[[", "]", "dec", "declare", "i", "eval", "rea", "-v"])
      expect(canonWord(w, "plain")).toBe(w);
    expect(canonWord("abc", "plain")).toBe("zzzzzzzzzz");
    expect(canonWord("x=1", "plain")).toBe("a=");
    expect(canonWord("--items=,,", "plain")).toBe("/");
    expect(canonWord("-rp", "plain")).toBe("-prp");
  });

  test("a quoted word keeps its literal text while it can spell a builtin, and is never a keyword or assignment", () => {
    let canon = canonWord("ev", "plain");
    canon = canonWord(canon, "quoted"); // ev""
    canon = canonWord(`${canon}al`, "quoted");
    expect(literalWord(canon)).toBe("eval");
    expect(canonWord("~x", "quoted")).toBe("/");
    expect(canonWord("~a=", "quoted")).toBe("/");
    expect(ASSIGNMENT.test(canonWord("~if", "quoted"))).toBe(false);
    expect(canonWord("eva$", "opaque")).toBe("/");
  });

  test("keeps the names of integer variables", () => {
    expect(canonWord("count", "plain", new Set(["count"]))).toBe("count");
    expect(canonWord("count", "plain")).toBe("zzzzzzzzzz");
  });

  test("a representative answers like the word, for any continuation (random words)", () => {
    const alphabet = ["a", "c", "i", "e", "q", "s", "_", "1", "-", "+", "=", "[", "]", ",", "/", "zz", "v", "p"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const word = (n: number) =>
      Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
    for (let k = 0; k < 20_000; k++) {
      const mode: WordMode = "plain"; // quoted and opaque words: see the tests above
      const w = word(Math.floor(next() * 14));
      const rest = word(Math.floor(next() * 4));
      // as the lexer builds it: one character at a time, reduced after each
      let canon = "";
      for (const c of w + rest) canon = canonWord(canon + c, mode);
      expect({ w, rest, mode, a: canonAnswers(canon, mode) }).toEqual({ w, rest, mode, a: answers(w + rest, mode) });
      if (canon !== "") expect(canonWord(canon, mode)).toBe(canon); // a fixed point
      expect(canon.length).toBeLessThanOrEqual(30); // bounded, so loops settle
    }
  });
});
