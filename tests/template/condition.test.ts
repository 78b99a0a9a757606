import { describe, expect, test } from "bun:test";
import {
  TemplateRenderError,
  TemplateSyntaxError,
  checkCondition,
  compileCondition,
} from "../../src/template/index.ts";

const holds = (source: string, context: Record<string, unknown> = {}) => compileCondition(source).test(context);

describe("conditions as expressions (SPEC docs/templates.md#conditions)", () => {
  test("Python truthiness", () => {
    for (const falsy of ["", 0, [], {}, null, false]) expect(holds("v", { v: falsy })).toBe(false);
    for (const truthy of [" ", 1, [0], { a: 0 }, true, "False", 0.5]) expect(holds("v", { v: truthy })).toBe(true);
  });

  test("operators, tests and filters", () => {
    const context = { n: 5, items: [1, 2], user: { role: "admin" } };
    expect(holds("n > 3 and items | length == 2", context)).toBe(true);
    expect(holds("user.role in ['admin', 'owner'] and n is number", context)).toBe(true);
    expect(holds("missing is not defined or missing", context)).toBe(true);
    expect(holds("not items", context)).toBe(false);
  });

  test("string operands of comparisons are trimmed", () => {
    const context = { check: "  ok\n", n: "5\n" };
    expect(holds("check == 'ok'", context)).toBe(true);
    expect(holds("check != 'ok'", context)).toBe(false);
    expect(holds("'ok' == check", context)).toBe(true);
    expect(holds("n == '5'", context)).toBe(true);
  });

  test("references are the free names read", () => {
    expect(compileCondition("a and b.c or d | default(1)").references.map((r) => [r.name, r.col, r.guarded])).toEqual([
      ["a", 1, false],
      ["b", 7, false],
      ["d", 14, true],
    ]);
  });

  test("errors: syntax at load time, undefined names at run time", () => {
    expect(checkCondition("x ==").map((e) => e.message)).toEqual(["`==` needs a value on its right"]);
    expect(checkCondition("x | uppr")[0]!.message).toBe("unknown filter `uppr` (did you mean `upper`?)");
    expect(() => compileCondition("a b")).toThrow(TemplateSyntaxError);
    expect(() => holds("staus == 'ok'", { status: "ok" })).toThrow(
      "`staus` is undefined; defined names: status (did you mean `status`?)",
    );
    expect(checkCondition("ready and n > 1")).toEqual([]);
  });
});

describe("compatibility conditions with {{ }} (SPEC docs/templates.md#conditions)", () => {
  test('"{{ ok }} == True"', () => {
    const c = compileCondition("{{ ok }} == True");
    expect(c.test({ ok: true })).toBe(true);
    expect(c.test({ ok: false })).toBe(false);
    expect(c.test({ ok: "yes" })).toBe(true);
    expect(c.test({ ok: "true" })).toBe(true);
    expect(c.test({ ok: "no" })).toBe(false);
    expect(c.test({ ok: null })).toBe(false);
  });

  test(`"{{ mode }} == 'fast'" compares bare words as strings`, () => {
    const c = compileCondition("{{ mode }} == 'fast'");
    expect(c.test({ mode: "fast" })).toBe(true);
    expect(c.test({ mode: "slow" })).toBe(false);
    expect(c.test({ mode: " fast\n" })).toBe(true);
    expect(holds("{{ file }} == 'report.txt'", { file: "report.txt" })).toBe(true);
  });

  test('a bare "{{ flag }}"', () => {
    const c = compileCondition("{{ flag }}");
    for (const yes of [true, "True", "true", "yes", 1, "1", "anything", "two words"])
      expect(c.test({ flag: yes })).toBe(true);
    for (const no of [false, "False", "false", "no", 0, "0", null, "None", "none", "", "  "])
      expect(c.test({ flag: no })).toBe(false);
  });

  test("numbers compare as numbers, quotes work, filters run first", () => {
    expect(holds("{{ n }} > 3", { n: 5 })).toBe(true);
    expect(holds("{{ n }} > 3", { n: 2 })).toBe(false);
    expect(holds("'{{ s }}' == 'a b'", { s: "a b" })).toBe(true);
    expect(holds("{{ items | length }} == 2", { items: [1, 2] })).toBe(true);
    expect(holds("{{ a }} == {{ b }}", { a: "x", b: "x" })).toBe(true);
  });

  test("references come from the template, checks are the template's", () => {
    expect(
      compileCondition("{{ ok }} == True and {{ mode | d('x') }}").references.map((r) => [r.name, r.guarded]),
    ).toEqual([
      ["ok", false],
      ["mode", true],
    ]);
    expect(checkCondition("{{ ok | nope }} == True")[0]!.message).toBe("unknown filter `nope`");
  });

  test("a rendered text that cannot be evaluated is a render error", () => {
    expect(() => holds("{{ a }} < 3", { a: "x" })).toThrow(TemplateRenderError);
    expect(() => holds("{{ a }} < 3", { a: "x" })).toThrow("the condition rendered as `x < 3`");
  });
});
