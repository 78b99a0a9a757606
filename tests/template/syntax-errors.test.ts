import { describe, expect, test } from "bun:test";
import { TemplateSyntaxError, checkTemplate, compileTemplate } from "../../src/template/index.ts";

const problems = (source: string, mode: "text" | "shell" = "text") =>
  checkTemplate(source, mode).map((e) => ({ line: e.line, col: e.col, offset: e.offset, message: e.message }));

describe("syntax errors: positions and messages", () => {
  test("unknown filter: did you mean, position of the filter name", () => {
    const [e] = checkTemplate("Hi {{ name | uppper }}!");
    expect(e).toBeInstanceOf(TemplateSyntaxError);
    expect(e!.message).toBe("unknown filter `uppper` (did you mean `upper`?)");
    expect([e!.offset, e!.line, e!.col]).toEqual([13, 1, 14]);
    expect(e!.hint).toContain("supported filters: abs, attr, batch, capitalize");
  });

  test("unknown filter far from any name: no suggestion", () => {
    expect(checkTemplate("{{ x | frobnicate }}")[0]!.message).toBe("unknown filter `frobnicate`");
  });

  test("line and column on later lines", () => {
    expect(problems("line one\n  {{ a | lenght }}\n\n{% endfi %}")).toEqual([
      { line: 2, col: 10, offset: 18, message: "unknown filter `lenght` (did you mean `length`?)" },
      { line: 4, col: 4, offset: 32, message: "unknown statement `endfi` (did you mean `endif`?)" },
    ]);
  });

  test("every problem is reported, in source order", () => {
    const found = problems("{{ x | uppper }} {% include 'm' %} {{ 1 + }} {{ y is defnied }} {% if x %}");
    expect(found.map((p) => p.message)).toEqual([
      "unknown filter `uppper` (did you mean `upper`?)",
      "`{% include %}` is not supported",
      "`+` needs a value on its right",
      "unknown test `defnied` (did you mean `defined`?)",
      "this `{% if %}` is never closed (missing `{% endif %}`)",
    ]);
  });

  test("compileTemplate throws the first problem", () => {
    expect(() => compileTemplate("{{ a }}{{ b | nope }}{% bad %}")).toThrow("unknown filter `nope`");
    try {
      compileTemplate("ok\n{{ b | nope }}");
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateSyntaxError);
      expect((e as TemplateSyntaxError).line).toBe(2);
      expect((e as TemplateSyntaxError).col).toBe(8);
    }
  });

  test("unsupported statements and block structure", () => {
    expect(problems("{% include 'x.txt' %}")[0]!.message).toBe("`{% include %}` is not supported");
    expect(problems("{% endfor %}")[0]!.message).toBe("unexpected `{% endfor %}`: there is no open `{% for %}`");
    expect(problems("{% if a %}\n{% endfor %}{% endif %}")[0]).toMatchObject({
      line: 2,
      message:
        "unexpected `{% endfor %}`: the innermost open block is the `{% if %}` on line 1, which needs `{% endif %}` first",
    });
    expect(problems("a\n{% for x in y %}b")).toEqual([
      { line: 2, col: 1, offset: 2, message: "this `{% for %}` is never closed (missing `{% endfor %}`)" },
    ]);
    expect(problems("{% if a %}{% else %}{% elif b %}{% endif %}")[0]!.message).toBe(
      "`{% elif %}` cannot follow `{% else %}`",
    );
    expect(problems("{% set x %}y{% endset %}")).toEqual([]);
    expect(problems("{% set x %}y")[0]!.message).toBe("this `{% set %}` is never closed (missing `{% endset %}`)");
    expect(problems("{% for x in y if x %}{% endfor %}")).toEqual([]);
    expect(problems("{% macro m(a, a) %}{% endmacro %}")[0]!.message).toBe("duplicate parameter `a`");
    expect(problems("{% macro m(a=1, b) %}{% endmacro %}")[0]!.message).toBe(
      "parameter `b` without a default follows one with a default",
    );
    expect(problems("{% call 'x' %}{% endcall %}")[0]!.message).toBe("`{% call %}` needs a macro call");
    expect(problems("{% with a, b = 1, 2 %}{% endwith %}")[0]!.message).toBe(
      "expected `=` after the variable name, got `,`",
    );
    expect(problems("{% filter %}x{% endfilter %}")[0]!.message).toBe("`{% filter %}` needs a filter");
    expect(problems("{% macro m() %}x{% endwith %}")[1]!.message).toContain(
      "the innermost open block is the `{% macro %}` on line 1, which needs `{% endmacro %}` first",
    );
  });

  test("bad tokens: strings, characters, brackets, unclosed tags and comments", () => {
    expect(problems("{{ 'abc }}")[0]).toMatchObject({ col: 4, message: "this string is never closed" });
    expect(problems("{{ a @ b }}")[0]).toMatchObject({ col: 6, message: "unexpected character `@`" });
    expect(problems("{{ (a ]}}")[0]!.message).toBe("unexpected `]`, expected the closing bracket of `(`");
    expect(problems("text {{ a")[0]).toMatchObject({ col: 6, message: "`{{` is never closed (missing `}}`)" });
    expect(problems("x {# note")[0]).toMatchObject({ col: 3, message: "this comment is never closed (missing `#}`)" });
    expect(problems("{{ x[1:2:] }}")).toEqual([]);
    expect(problems("{{ x[1:2 }}")[0]!.message).toBe("unexpected `}`, expected the closing bracket of `[`");
  });

  test("a broken tag does not hide problems after it", () => {
    expect(problems("{{ 'open }}\n{{ b | nope }}").map((p) => p.line)).toEqual([1, 2]);
  });

  test("filter arguments are checked against the filter's parameters", () => {
    expect(problems("{{ s | truncate(lenght=3) }}")[0]!.message).toBe(
      "filter `truncate` has no argument `lenght` (did you mean `length`?); it takes length, killwords, end, leeway",
    );
    expect(problems("{{ s | replace('a') }}")[0]!.message).toBe("filter `replace` is missing its argument `new`");
    expect(problems("{{ s | upper(1) }}")[0]!.message).toBe("filter `upper` takes no arguments (1 given)");
    expect(problems("{{ s | round(1, 2, 3) }}")[0]!.message).toBe("filter `round` takes at most 2 arguments (3 given)");
    expect(problems("{{ s | default('a', default_value='b') }}")[0]!.message).toBe(
      "filter `default` got two values for argument `default_value`",
    );
    expect(problems("{{ s | map('uppr') }}")[0]!.message).toBe("unknown filter `uppr` (did you mean `upper`?)");
    expect(problems("{{ s | selectattr('a', 'equalt', 1) }}")[0]!.message).toBe(
      "unknown test `equalt` (did you mean `equalto`?)",
    );
  });

  test("tests, methods and calls", () => {
    expect(problems("{{ x is defind }}")[0]!.message).toBe("unknown test `defind` (did you mean `defined`?)");
    expect(problems("{{ x is defined(1) }}")[0]!.message).toBe("test `defined` takes no arguments");
    expect(problems("{{ x.uper() }}")[0]).toMatchObject({
      col: 6,
      message: "unknown method `.uper()` (did you mean `.upper()`?)",
    });
    expect(problems("{{ x.get() }}")[0]!.message).toBe("method `.get()` takes 1 to 2 arguments (0 given)");
    expect(problems("{{ range(3) }}")).toEqual([]);
    expect(problems("{{ range() }}")[0]!.message).toStartWith("`range()` takes 1 to 3 positional arguments");
    expect(problems("{{ lipsum(2) }}")[0]!.message).toStartWith("`lipsum()` is not supported: it draws random words");
    expect(problems("{{ x | random }}")[0]!.message).toStartWith(
      "filter `random` is not supported: a random pick changes",
    );
    expect(problems("{{ x.append(1) }}")[0]!.message).toStartWith(
      "`.append()` is not supported: templates do not change values",
    );
    expect(problems("{{ x is divisibleby }}")[0]!.message).toBe("test `divisibleby` takes 1 argument (0 given)");
  });

  test("valid templates have no problems", () => {
    const ok = [
      "plain text",
      "{{ a }}{# c #}{% if a %}{% elif b %}{% else %}{% endif %}",
      "{% for k, v in d.items() %}{{ loop.index }}{% else %}-{% endfor %}",
      "{% set a, b = 1, 2 %}{{ a | default(b) | string | upper }}",
      "{{- x -}} {%- if y -%}{%- endif -%} {#- c -#}",
    ];
    for (const source of ok) expect(checkTemplate(source)).toEqual([]);
  });
});

describe("syntax errors in shell mode", () => {
  test("an output inside quotes is refused at the output tag, with the fix as hint", () => {
    const [e] = checkTemplate('echo "hello {{ name }}"', "shell");
    expect(e).toMatchObject({ line: 1, col: 13, offset: 12, message: "`{{ }}` inside quotes in a run: command" });
    expect(e!.hint).toBe("drop the quotes; the value is quoted for you");
    expect(() => compileTemplate("echo '{{ name }}'", "shell")).toThrow("inside quotes");
  });

  test("the same text is fine in text mode, and `| raw` opts out in shell mode", () => {
    expect(checkTemplate('echo "hello {{ name }}"', "text")).toEqual([]);
    expect(checkTemplate('echo "hello {{ name | raw }}"', "shell")).toEqual([]);
  });

  test("shell problems and syntax problems are reported together", () => {
    expect(problems("echo `{{ a }}` {{ b | nope }}", "shell").map((p) => p.message)).toEqual([
      "`{{ }}` inside backticks in a run: command",
      "unknown filter `nope`",
    ]);
  });
});

describe("messages that say how to fix the template", () => {
  const first = (source: string) => {
    const [e] = checkTemplate(source);
    return { col: e?.col, message: e?.message, hint: e?.hint };
  };

  test("an unsupported block statement is one error, at its opening tag; its end tag is consumed", () => {
    expect(
      checkTemplate("{% block line %}- {{ x }}{% endblock %}\nWrite about {{ topic }}.").map((e) => [e.col, e.message]),
    ).toEqual([[4, "`{% block %}` is not supported"]]);
    for (const [source, says] of [
      ["{% autoescape true %}x{% endautoescape %}", "remove the tag"],
      ["{% block body %}x{% endblock %}", "write the whole text"],
    ] as const) {
      const found = checkTemplate(source);
      expect({ source, count: found.length, hint: found[0]?.hint }).toEqual({
        source,
        count: 1,
        hint: expect.stringContaining(says),
      });
    }
    // the body is still checked; without an end tag, nothing is skipped
    expect(problems("{% block b %}{{ x | nope }}{% endblock %}").map((p) => p.message)).toEqual([
      "`{% block %}` is not supported",
      "unknown filter `nope`",
    ]);
    expect(problems("{% autoescape true %}{{ x | nope }}").map((p) => p.message)).toEqual([
      "`{% autoescape %}` is not supported",
      "unknown filter `nope`",
    ]);
  });

  test("statements without a body: say what to write instead", () => {
    expect(first("{% include 'x.txt' %}").hint).toContain("put the text in this field");
    expect(first("{% import 'm.j2' as m %}").hint).toContain("define the macro in this field");
    expect(first("{% extends 'base.j2' %}").hint).toContain("template inheritance");
    expect(first("{% for x in xs %}{% break %}{% endfor %}").hint).toContain("`{% if %}` inside the loop");
    // `{% raw %}`: its content is literal text (no errors from it), and `{% endraw %}` goes with it
    expect(problems("{% raw %}{{ not jinja @ }} {% weird %}{% endraw %}{{ x | nope }}").map((p) => p.message)).toEqual([
      "unknown filter `nope`",
    ]);
    expect(first("{% raw %}{{ x }}").message).toBe("this `{% raw %}` is never closed (missing `{% endraw %}`)");
  });

  test("an operator with nothing on its right says so, at the operator, with a corrected form", () => {
    expect(first("echo {{ a + }}")).toEqual({
      col: 11,
      message: "`+` needs a value on its right",
      hint: "write a value after it, e.g. `a + 1`, or remove the `+`",
    });
    const cases: Array<[string, string, string]> = [
      ["{{ a - }}", "`-` needs a value on its right", "`a - 1`"],
      ["{{ a * }}", "`*` needs a value on its right", "`a * 2`"],
      ["{{ a / }}", "`/` needs a value on its right", "`a / 2`"],
      ["{{ a // }}", "`//` needs a value on its right", "`a // 2`"],
      ["{{ a % }}", "`%` needs a value on its right", "`a % 2`"],
      ["{{ a ** }}", "`**` needs a value on its right", "`a ** 2`"],
      ["{{ a ~ }}", "`~` needs a value on its right", '`a ~ "text"`'],
      ["{{ a == }}", "`==` needs a value on its right", '`a == "x"`'],
      ["{{ a != }}", "`!=` needs a value on its right", '`a != "x"`'],
      ["{{ a <= }}", "`<=` needs a value on its right", "`a <= 10`"],
      ["{{ a > }}", "`>` needs a value on its right", "`a > 10`"],
      ["{{ x in }}", "`in` needs a value on its right", "`x in items`"],
      ["{{ x not in }}", "`not in` needs a value on its right", "`x not in items`"],
      ["{{ a and }}", "`and` needs a value on its right", "`a and other`"],
      ["{{ a or }}", "`or` needs a value on its right", "`a or other`"],
      ["{{ not }}", "`not` needs a value on its right", "`not done`"],
      ["{{ - }}", "`-` needs a value on its right", "`-1`"],
      ["{{ a | }}", "`|` needs a filter name on its right", "`a | upper`"],
      ["{{ (a + b) | }}", "`|` needs a filter name on its right", "`(a + b) | upper`"],
      ["{{ a is }}", "`is` needs a test name on its right", "`a is defined`"],
      ["{{ a is not }}", "`is` needs a test name on its right", "`a is defined`"],
      ["{{ a if }}", "`if` needs a condition on its right", "`value if condition else other`"],
      ["{{ a if b else }}", "`else` needs a value on its right", "`value if condition else other`"],
      ["{{ (a + b) * }}", "`*` needs a value on its right", "`(a + b) * 2`"],
      ["{{ a + not b }}", "`not` cannot follow `+` without parentheses", "`a + (not b)`"],
      ["{{ and b }}", "`and` needs a value on its left", "`a and b`"],
      ["{{ | upper }}", "`|` needs a value on its left", "`name | upper`"],
    ];
    for (const [source, message, example] of cases) {
      const e = first(source);
      expect({ source, message: e.message, hint: e.hint }).toEqual({
        source,
        message,
        hint: expect.stringContaining(example),
      });
    }
  });

  test("unclosed tags and blocks say what to add", () => {
    expect(first("Write a poem about {{ topic.")).toEqual({
      col: 20,
      message: "`{{` is never closed (missing `}}`)",
      hint: "close it with `}}`",
    });
    expect(first("{% if a ")).toMatchObject({ hint: "close it with `%}`" });
    expect(first("{% if formal %}\nUse a formal register.").hint).toBe("add `{% endif %}`");
    expect(first("{% for x in xs %}{{ x }}").hint).toBe("add `{% endfor %}`");
  });

  test("every syntax error carries a hint", () => {
    const bad = [
      "{{ a b }}",
      "{% if a b %}{% endif %}",
      "{{ a = 1 }}",
      "{{ }}",
      "{{ , }}",
      "{{ 'abc }}",
      "{{ a @ b }}",
      "{{ a && b }}",
      "{{ $x }}",
      "{{ (a ]}}",
      "{{ a ) }}",
      "{{ (a }}",
      "x {# note",
      "{% 1 %}",
      "{% endfor %}",
      "{% if a %}\n{% endfor %}{% endif %}",
      "{% if a %}{% else %}{% elif b %}{% endif %}",
      "{% if a %}{% else %}{% else %}{% endif %}",
      "{% for 1 in x %}{% endfor %}",
      "{% for loop in x %}{% endfor %}",
      "{% for x y %}{% endfor %}",
      "{% for x in y if %}{% endfor %}",
      "{% for x in y recursive x %}{% endfor %}",
      "{% set a.b %}",
      "{% set x 1 %}",
      "{{ x[1:2 }}",
      "{{ x[] }}",
      "{{ x[1, 2] }}",
      "{{ x.( }}",
      "{{ x. }}",
      "{{ [1 2] }}",
      "{{ {'a' 1} }}",
      "{{ x.get(a b) }}",
      "{{ x.get(*a) }}",
      "{{ x.get(a=1, 2) }}",
      "{{ x is defined is none }}",
      "{{ x is defined(1) }}",
      "{{ range() }}",
      "{{ lipsum() }}",
      "{{ x | random }}",
      "{{ x.pop() }}",
      "{{ '\\x4' }}",
      "{{ s | upper(1) }}",
      "{{ s | replace('a') }}",
      "{{ s | round(1, 2, 3) }}",
      "{{ x | map() }}",
      "{{ x | selectattr() }}",
      "{{ x | map('uppr') }}",
      "{{ x | selectattr('a', 'equalt', 1) }}",
      "{{ x.get() }}",
      "{{ x.get(a=1) }}",
      "{{ x.uper() }}",
      "{{ x | a.b }}",
      "{% macro m(1) %}{% endmacro %}",
      "{% call x %}{% endcall %}",
      "{% with 1 %}{% endwith %}",
      "{% raw %}x",
      "{% frobnicate %}",
    ];
    for (const source of bad) {
      const found = checkTemplate(source);
      expect({ source, found: found.length > 0 }).toEqual({ source, found: true });
      for (const e of found)
        expect({ source, message: e.message, hint: typeof e.hint }).toEqual({
          source,
          message: e.message,
          hint: "string",
        });
    }
  });
});
