import { describe, expect, test } from "bun:test";
import { ARITH_OPS, ASSIGNMENT, DECLARATIONS, KEYWORDS, canonWord } from "./shell-words.ts";

/** Every question the lexer asks of a word (see `endWord` and the `[` rules in the lexer). */
function answers(word: string, plain: boolean) {
  const special = [...ARITH_OPS, ...DECLARATIONS, ...KEYWORDS, "let", "eval", "case", "esac", "in", "[[", "]]"];
  return {
    assignment: ASSIGNMENT.test(word),
    ...(plain && {
      reserved: special.filter((k) => k === word),
      name: /^[A-Za-z_]\w*$/.test(word),
      nameOrEmpty: /^([A-Za-z_]\w*)?$/.test(word),
      intOption: /^[-+][A-Za-z]*i/.test(word),
    }),
  };
}

describe("canonWord", () => {
  test("keeps the words the lexer tells apart", () => {
    for (const w of ["", "ca", "case", "-", "-e", "-eq", "[", "[[", "]", "dec", "declare", "i"]) expect(canonWord(w, true)).toBe(w);
    expect(canonWord("abc", true)).toBe("zzzzzzzzzz");
    expect(canonWord("x=1", true)).toBe("a=");
    expect(canonWord("--items=,,", true)).toBe("/");
  });

  test("a representative answers like the word, for any continuation (random words)", () => {
    const alphabet = ["a", "c", "i", "e", "q", "s", "_", "1", "-", "+", "=", "[", "]", ",", "/", "zz"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
    for (let k = 0; k < 20_000; k++) {
      const plain = next() < 0.7;
      const w = word(Math.floor(next() * 14));
      const rest = word(Math.floor(next() * 4));
      // as the lexer builds it: one character at a time, reduced after each
      let canon = "";
      for (const c of w + rest) canon = canonWord(canon + c, plain);
      expect({ w, rest, plain, a: answers(canon, plain) }).toEqual({ w, rest, plain, a: answers(w + rest, plain) });
      expect(canonWord(canon, plain)).toBe(canon); // a fixed point
      expect(canon.length).toBeLessThanOrEqual(13); // bounded, so loops settle
    }
  });
});
