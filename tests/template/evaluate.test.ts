import { describe, expect, test } from "bun:test";
import { TemplateRenderError, compileTemplate } from "../../src/template/index.ts";
import { IntegralFloat } from "../../src/model/py-value.ts";

const evaluate = (source: string, context: Record<string, unknown> = {}) => compileTemplate(source).evaluate(context);

describe("native values of single-expression templates (SPEC docs/templates.md#how-values-are-rendered)", () => {
  test("lists, dicts, numbers, booleans and None come out as JS values", () => {
    const rows = [{ id: 1 }, { id: 2 }];
    expect(evaluate("{{ rows }}", { rows })).toBe(rows);
    expect(evaluate("{{ rows | map(attribute='id') | list }}", { rows })).toEqual([1, 2]);
    expect(evaluate("{{ {'a': [1, 'x'], 'b': None} }}")).toEqual({ a: [1, "x"], b: null });
    expect(evaluate("{{ n * 2 }}", { n: 21 })).toBe(42);
    expect(evaluate("{{ flag and not other }}", { flag: true, other: false })).toBe(true);
    expect(evaluate("{{ none }}")).toBeNull();
    expect(evaluate("{{ 'text' }}")).toBe("text");
  });

  test("integral floats stay floats when they leave the engine (a python step gets 5.0, as in Python)", () => {
    expect(evaluate("{{ 10 / 2 }}")).toEqual(new IntegralFloat(5));
    expect(evaluate("{{ [1.0, {'x': 2.0}, (3.0, 4.5)] }}")).toEqual([
      new IntegralFloat(1),
      { x: new IntegralFloat(2) },
      [new IntegralFloat(3), 4.5],
    ]);
    expect(evaluate("{{ 3 | float }}")).toEqual(new IntegralFloat(3));
    expect(evaluate("{{ 2 ** 64 + 1 }}")).toBe(2n ** 64n + 1n);
    expect(compileTemplate("{{ 10 / 2 }}").render({})).toBe("5.0");
  });

  test("surrounding whitespace still counts as a single expression", () => {
    const t = compileTemplate("  {{- items -}}\n");
    expect(t.isSingleExpression).toBe(true);
    expect(t.evaluate({ items: [1] })).toEqual([1]);
  });

  test("anything more than one expression renders as text", () => {
    for (const source of ["a {{ x }}", "{{ x }}{{ x }}", "{# c #}{{ x }}", "{% if 1 %}{{ x }}{% endif %}", "plain"]) {
      const t = compileTemplate(source);
      expect(t.isSingleExpression).toBe(false);
      expect(typeof t.evaluate({ x: [1] })).toBe("string");
    }
    expect(evaluate("items: {{ items }}", { items: [1, 2] })).toBe("items: [1,2]");
  });

  test("raw is transparent, an undefined result raises", () => {
    expect(evaluate("{{ items | raw }}", { items: [1] })).toEqual([1]);
    expect(() => evaluate("{{ d.missing }}", { d: {} })).toThrow(TemplateRenderError);
    expect(() => evaluate("{{ [d.missing] }}", { d: {} })).toThrow("`d.missing` is undefined");
    expect(evaluate("{{ d.missing | default([]) }}", { d: {} })).toEqual([]);
  });

  test("shell templates always render", () => {
    expect(compileTemplate("{{ items }}", "shell").evaluate({ items: [1, 2] })).toBe("'[1, 2]'");
  });

  test("context values are never mutated", () => {
    const context = { items: [3, 1, 2], d: { b: 1, a: 2 } };
    evaluate("{{ items | sort }}", context);
    evaluate("{{ d | dictsort }}", context);
    compileTemplate("{% set x = items + [4] %}{{ x | reverse | list }}").render(context);
    expect(context).toEqual({ items: [3, 1, 2], d: { b: 1, a: 2 } });
  });
});

describe("text rendering of values (SPEC docs/templates.md#how-values-are-rendered)", () => {
  test.each([
    ["{{ s }}", "as-is"],
    ["{{ i }}", "42"],
    ["{{ f }}", "2.5"],
    ["{{ 2.0 }}", "2.0"],
    ["{{ 1.5 | round }}", "2.0"],
    ["{{ t }} {{ no }}", "True False"],
    ["{{ z }}", "None"],
    ["{{ l }}", '[1,"a",null,true,2.5]'],
    ["{{ o }}", '{"k":[1],"n":{"x":"y"}}'],
    ["{{ big }}", "1267650600228229401496703205376"],
  ])("%s → %s", (source, expected) => {
    const context = {
      s: "as-is",
      i: 42,
      f: 2.5,
      t: true,
      no: false,
      z: null,
      l: [1, "a", null, true, 2.5],
      o: { k: [1], n: { x: "y" } },
      big: 2 ** 100,
    };
    expect(compileTemplate(source).render(context)).toBe(expected);
  });
});
