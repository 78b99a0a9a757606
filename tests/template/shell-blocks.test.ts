/**
 * The block statements in `run:` commands, executed by real shells with hostile values:
 * a `{% with %}` body is command text (its values quoted for their place); a macro's, a
 * block `set`'s and a `{% call %}`'s text is one value, so it lands as one word; a
 * `{% filter %}` block holding values is refused at load time.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { analyzeTemplate } from "../../src/template/index.ts";
import { shellSandbox } from "./shell-sandbox.ts";

const box = shellSandbox();
afterAll(() => box.cleanup());

const HOSTILE = [
  "a b",
  "$(pwn)",
  "`pwn`",
  "x'; pwn; '",
  '"; pwn; "',
  "*",
  "~",
  "-n",
  "a\nb",
  "$HOME",
  "\\",
  "; rm -rf /",
];

/** Renders a shell template; `printf '[%s]'` in it shows each word it gets. */
function render(source: string, context: Record<string, unknown>): string {
  const { errors, template } = analyzeTemplate(source, "shell");
  if (!template) throw new Error(errors.map((e) => e.message).join("; "));
  return template.render(context);
}

describe("block statements in run: commands", () => {
  test.each(HOSTILE)("with, macro, block set, call and recursive loops keep %j one word", (v) => {
    const context = { v, items: [v, v], tree: [{ n: v, c: [{ n: v, c: [] }] }] };
    box.expectRuns(render("{% with w = v %}printf '[%s]' {{ w }}{% endwith %}", context), `[${v}]`);
    box.expectRuns(render("{% macro q(x) %}<{{ x }}>{% endmacro %}printf '[%s]' {{ q(v) }}", context), `[<${v}>]`);
    box.expectRuns(render("{% set t %}{{ v }}|{{ v }}{% endset %}printf '[%s]' {{ t }}", context), `[${v}|${v}]`);
    box.expectRuns(
      render("{% macro m() %}({{ caller() }}){% endmacro %}printf '[%s]' {% call m() %}{{ v }}{% endcall %}", context),
      `[(${v})]`,
    );
    box.expectRuns(render("{% for x in items if x %}printf '[%s]' {{ x }}; {% endfor %}", context), `[${v}][${v}]`);
    box.expectRuns(
      render(
        "{% for x in tree recursive %}printf '[%s]' {{ x.n }};{% if x.c %} {{ loop(x.c) }}{% endif %}{% endfor %}",
        { tree: [{ n: v, c: [] }] },
      ),
      `[${v}]`,
    );
  });

  test("a filter block holding values is refused at load time; one of literal text is not", () => {
    const { errors } = analyzeTemplate("{% filter upper %}echo {{ v }}{% endfilter %}", "shell");
    expect(errors.map((e) => e.message)).toEqual([
      "a `{% filter %}` block in a run: command cannot hold `{{ }}` values: the filter would change the command after its values were quoted",
    ]);
    expect(errors[0]?.hint).toContain("{{ name | upper }}");
    box.expectRuns(render("{% filter lower %}PRINTF '[%s]' ABC{% endfilter %} {{ v }}", { v: "x y" }), "[abc][x y]");
  });

  test("raw text is command text", () => {
    box.expectRuns(
      render("printf '[%s]' '{% raw %}{{ v }}{% endraw %}' {{ v }}", { v: "$(pwn)" }),
      "[{{ v }}][$(pwn)]",
    );
  });
});
