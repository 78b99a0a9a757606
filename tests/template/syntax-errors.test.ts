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
    expect(e!.hint).toContain("supported filters: abs, capitalize");
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
    const found = problems("{{ x | uppper }} {% macro m() %} {{ 1 + }} {{ y is defnied }} {% if x %}");
    expect(found.map((p) => p.message)).toEqual([
      "unknown filter `uppper` (did you mean `upper`?)",
      "unknown statement `macro`",
      "expected an expression, got `}}`",
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
    expect(problems("{% include 'x.txt' %}")[0]!.message).toBe("unknown statement `include`");
    expect(problems("{% endfor %}")[0]!.message).toBe("unexpected `{% endfor %}`: there is no open `{% for %}`");
    expect(problems("{% if a %}\n{% endfor %}{% endif %}")[0]).toMatchObject({
      line: 2,
      message: "unexpected `{% endfor %}`: the innermost open block is the `{% if %}` on line 1, which needs `{% endif %}` first",
    });
    expect(problems("a\n{% for x in y %}b")).toEqual([{ line: 2, col: 1, offset: 2, message: "this `{% for %}` is never closed (missing `{% endfor %}`)" }]);
    expect(problems("{% if a %}{% else %}{% elif b %}{% endif %}")[0]!.message).toBe("`{% elif %}` cannot follow `{% else %}`");
    expect(problems("{% set x %}y{% endset %}")[0]!.message).toContain("block assignments");
    expect(problems("{% for x in y if x %}{% endfor %}")[0]!.message).toContain("loop filters");
  });

  test("bad tokens: strings, characters, brackets, unclosed tags and comments", () => {
    expect(problems("{{ 'abc }}")[0]).toMatchObject({ col: 4, message: "this string is never closed" });
    expect(problems("{{ a @ b }}")[0]).toMatchObject({ col: 6, message: "unexpected character `@`" });
    expect(problems("{{ (a ]}}")[0]!.message).toBe("unexpected `]`, expected the closing bracket of `(`");
    expect(problems("text {{ a")[0]).toMatchObject({ col: 6, message: "`{{` is never closed (missing `}}`)" });
    expect(problems("x {# note")[0]).toMatchObject({ col: 3, message: "this comment is never closed (missing `#}`)" });
    expect(problems("{{ x[1:2] }}")[0]!.message).toBe("slicing (`a[1:2]`) is not supported");
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
    expect(problems("{{ s | default('a', default_value='b') }}")[0]!.message).toBe("filter `default` got two values for argument `default_value`");
    expect(problems("{{ s | map('uppr') }}")[0]!.message).toBe("unknown filter `uppr` (did you mean `upper`?)");
    expect(problems("{{ s | selectattr('a', 'equalt', 1) }}")[0]!.message).toBe("unknown test `equalt` (did you mean `equalto`?)");
  });

  test("tests, methods and calls", () => {
    expect(problems("{{ x is defind }}")[0]!.message).toBe("unknown test `defind` (did you mean `defined`?)");
    expect(problems("{{ x is defined(1) }}")[0]!.message).toBe("test `defined` takes no arguments");
    expect(problems("{{ x.uper() }}")[0]).toMatchObject({ col: 6, message: "unknown method `.uper()` (did you mean `.upper()`?)" });
    expect(problems("{{ x.get() }}")[0]!.message).toBe("method `.get()` takes 1 to 2 arguments (0 given)");
    expect(problems("{{ range(3) }}")[0]!.message).toStartWith("`range(…)` is not supported");
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
