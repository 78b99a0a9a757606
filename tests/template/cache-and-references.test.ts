import { describe, expect, test } from "bun:test";
import { FILTER_NAMES, compileCondition, compileTemplate, hasTemplateSyntax } from "../../src/template/index.ts";

describe("cache", () => {
  test("compiled templates are cached per mode and source", () => {
    const a = compileTemplate("cache {{ x }}");
    expect(compileTemplate("cache {{ x }}")).toBe(a);
    expect(compileTemplate("cache {{ x }}", "text")).toBe(a);
    expect(compileTemplate("cache {{ x }}", "shell")).not.toBe(a);
    expect(compileTemplate("cache {{ x }}", "shell").mode).toBe("shell");
    expect(compileTemplate("cache {{ y }}")).not.toBe(a);
  });

  test("conditions are cached, and a cached template renders fresh contexts", () => {
    expect(compileCondition("x > 1")).toBe(compileCondition("x > 1"));
    const t = compileTemplate("{{ x }}");
    expect([t.render({ x: 1 }), t.render({ x: "two" }), t.render({ x: [3] })]).toEqual(["1", "two", "[3]"]);
  });
});

describe("references", () => {
  const refs = (source: string) =>
    compileTemplate(source).references.map((r) => `${r.name}@${r.line}:${r.col}${r.guarded ? " guarded" : ""}`);

  test("free names, one per occurrence, in source order", () => {
    expect(refs("{{ b }} {{ a.x }} {{ b | upper }}")).toEqual(["b@1:4", "a@1:12", "b@1:22"]);
    expect(refs("{{ x if c else y }}")).toEqual(["x@1:4", "c@1:9", "y@1:16"]);
  });

  test("loop variables, set locals and `loop` are not references", () => {
    expect(refs("{% for k, v in d.items() %}{{ k }}{{ v }}{{ loop.index }}{% endfor %}{{ k }}")).toEqual([
      "d@1:16",
      "k@1:73",
    ]);
    expect(refs("{{ t }}{% set t = 1 %}{{ t }}")).toEqual(["t@1:4"]);
    expect(refs("{{ loop }}")).toEqual(["loop@1:4"]);
  });

  test("guarded: read only under default/d or is (not) defined", () => {
    expect(
      refs(
        "{{ a | default(b) }}{{ c.d | d }}{{ e is defined }}{{ f is not defined }}{{ g is none }}\n{{ h.i.j is defined }}",
      ),
    ).toEqual([
      "a@1:4 guarded",
      "b@1:16",
      "c@1:24 guarded",
      "e@1:37 guarded",
      "f@1:55 guarded",
      "g@1:77",
      "h@2:4 guarded",
    ]);
  });

  test("single-expression detection", () => {
    expect(compileTemplate("{{ x }}").isSingleExpression).toBe(true);
    expect(compileTemplate(" \n{{ x | upper }}\t").isSingleExpression).toBe(true);
    expect(compileTemplate("x{{ x }}").isSingleExpression).toBe(false);
    expect(compileTemplate("").isSingleExpression).toBe(false);
  });
});

describe("small exports", () => {
  test("hasTemplateSyntax", () => {
    expect(["{{ x }}", "{% if %}", "{# c #}", "a{{"].every(hasTemplateSyntax)).toBe(true);
    expect(["plain", "{ x }", "${HOME}", "%}"].some(hasTemplateSyntax)).toBe(false);
  });

  test("FILTER_NAMES lists the filters of SPEC docs/templates.md#syntax and the rest of Jinja2's (the differential suite checks them against jinja2.defaults)", () => {
    const spec =
      "upper lower title capitalize trim length count default d join first last sort reverse unique list int float string round abs sum min max replace truncate wordcount tojson indent map selectattr rejectattr dictsort items raw";
    for (const name of spec.split(" ")) expect(FILTER_NAMES).toContain(name);
    expect(FILTER_NAMES).not.toContain("random");
  });
});
