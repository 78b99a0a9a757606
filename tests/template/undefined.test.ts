import { describe, expect, test } from "bun:test";
import { TemplateRenderError, compileTemplate } from "../../src/template/index.ts";

/** Renders and returns the TemplateRenderError it must throw. */
function failure(
  source: string,
  context: Record<string, unknown>,
  mode: "text" | "shell" = "text",
): TemplateRenderError {
  try {
    compileTemplate(source, mode).render(context);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateRenderError);
    return e as TemplateRenderError;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

describe("strict undefined names (SPEC docs/templates.md#undefined-names)", () => {
  test("names the variable, lists the defined names, suggests the closest", () => {
    const e = failure("{{ countx }}", { b: 1, a: 2, count: 3 });
    expect(e.message).toBe("`countx` is undefined; defined names: a, b, count (did you mean `count`?)");
    expect(e.variable).toBe("countx");
    expect([e.line, e.col]).toEqual([1, 4]);
  });

  test("position is the name's, on any line", () => {
    const e = failure("Hello\n  {% if ok %}{{ nmae }}{% endif %}", { ok: true, name: "x" });
    expect([e.line, e.col]).toEqual([2, 17]);
    expect(e.message).toBe("`nmae` is undefined; defined names: name, ok (did you mean `name`?)");
  });

  test("loop and set locals count as defined names for suggestions", () => {
    const e = failure("{% set total = 1 %}{% for item in items %}{{ itme }}{{ totl }}{% endfor %}", { items: [1] });
    expect(e.message).toBe("`itme` is undefined; defined names: item, items, loop, total (did you mean `item`?)");
  });

  test("nothing defined at all", () => {
    expect(failure("{{ x }}", {}).message).toBe("`x` is undefined; no names are defined");
  });

  test("a name is only an error when used", () => {
    expect(compileTemplate("{% set x = missing %}fine").render({})).toBe("fine");
    expect(failure("{% set x = missing %}{{ x }}", {}).message).toStartWith("`missing` is undefined");
    for (const use of [
      "{{ m + 1 }}",
      "{% if m %}{% endif %}",
      "{% for x in m %}{% endfor %}",
      "{{ m == 1 }}",
      "{{ m | upper }}",
      "{{ m.x }}",
      "{{ m ~ '' }}",
    ]) {
      expect(failure(use, { a: 1 }).variable).toBe("m");
    }
  });

  test("JS `undefined` values count as absent", () => {
    expect(failure("{{ title }}", { title: undefined, other: 1 }).message).toBe(
      "`title` is undefined; defined names: other",
    );
  });
});

describe("missing keys and indexes", () => {
  test("a missing key names the expression, the container and its keys", () => {
    const e = failure("{{ user.nmae }}", { user: { name: "ann", age: 3 } });
    expect(e.message).toBe(
      "`user.nmae` is undefined: `user` has no key `nmae`; its keys: name, age (did you mean `name`?)",
    );
    expect(e.variable).toBe("user.nmae");
    expect([e.line, e.col]).toEqual([1, 4]);
  });

  test("subscripts, indexes, attributes of non-dicts, None", () => {
    const context = { d: { a: { b: {} } }, items: [1, 2, 3], s: "abc", n: null };
    expect(failure("{{ d['a'].b.c }}", context).message).toBe(
      "`d['a'].b.c` is undefined: `d['a'].b` has no key `c`; `d['a'].b` is empty",
    );
    expect(failure("{{ items[5] }}", context).message).toBe(
      "`items[5]` is undefined: index 5 is out of range for `items` (a list of 3 items)",
    );
    expect(failure("{{ s.first }}", context).message).toBe(
      "`s.first` is undefined: `s` is a str, which has no attribute `first`",
    );
    expect(failure("{{ n.x }}", context).message).toBe("`n.x` is undefined: `n` is None");
    expect(failure("{{ items | first | upper }}", { items: [] }).message).toBe(
      "`items | first` is undefined: the sequence was empty",
    );
  });

  test("a missing key is harmless until used", () => {
    expect(compileTemplate("{% set v = d.zz %}{{ d.a }}").render({ d: { a: 1 } })).toBe("1");
    expect(failure("{% set v = d.zz %}{{ v }}", { d: { a: 1 } }).variable).toBe("d.zz");
  });
});

describe("default and is defined never raise", () => {
  const context = { d: { a: 1 }, items: [] };
  test.each([
    ["{{ missing | default('x') }}", "x"],
    ["{{ missing | d('x') }}", "x"],
    ["{{ missing.deep.chain | default('x') }}", "x"],
    ["{{ d.zz.yy | d('x') }}", "x"],
    ["{{ items[3].name | default('x') }}", "x"],
    ["{{ missing is defined }}", "False"],
    ["{{ missing.a.b is not defined }}", "True"],
    ["{{ d.a is defined }}", "True"],
    ["{% if missing is defined and missing %}y{% else %}n{% endif %}", "n"],
    ["{{ '' | default('x', true) }}", "x"],
  ])("%s", (source, expected) => {
    expect(compileTemplate(source).render(context)).toBe(expected);
  });

  test("the default's own argument is not guarded", () => {
    expect(failure("{{ a | default(b.c) }}", {}).variable).toBe("b");
  });
});

describe("other render errors", () => {
  test("type errors point at the operator", () => {
    const e = failure("{{ 1 +\n 'a' }}", {});
    expect(e.message).toBe("unsupported operand type(s) for +: 'int' and 'str'");
    expect([e.line, e.col]).toEqual([1, 6]);
    expect(e.variable).toBeUndefined();
  });

  test("division by zero, bad comparisons, bad filter input", () => {
    expect(failure("{{ n / 0 }}", { n: 1 }).message).toBe("division by zero");
    expect(failure("{{ 1 < 'a' }}", {}).message).toBe("'<' not supported between instances of 'int' and 'str'");
    expect(failure("{{ 5 | length }}", {}).message).toBe("object of type 'int' has no len()");
    expect(failure("{{ x | round(1, 'up') }}", { x: 1.5 }).message).toBe("method must be common, ceil or floor");
  });

  test("shell mode: a value that would end its heredoc is refused at its output", () => {
    const e = failure("cat <<'EOF'\n{{ body }}\nEOF", { body: "x\nEOF\nrm -rf /" }, "shell");
    expect(e.message).toBe(
      "`body` (line 2 of the command) is `x\\nEOF\\nrm -rf /`: it puts the heredoc terminator line `EOF` into the body, which would end the heredoc early; choose a heredoc terminator the value cannot contain",
    );
    expect([e.line, e.col]).toEqual([2, 1]);
  });
});
