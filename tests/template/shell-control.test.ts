/**
 * `run:` templates with `{% if %}` and `{% for %}`: the shell scan follows every path.
 * A branch or loop body that leaves a quote, heredoc or `$(` open is decided at render
 * time on the rendered text; balanced ones are placed at load. Real shells (with stub
 * commands that only log, `shell-sandbox.ts`) show that nothing but the intended command runs.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { TemplateRenderError, TemplateSyntaxError, checkTemplate, compileTemplate } from "../../src/template/index.ts";
import { random, shellSandbox } from "./shell-sandbox.ts";
import { SHELL_HEREDOCS, SHELL_OPENERS, SHELL_PUNCTUATION } from "./shell-fragments.ts";

const sandbox = shellSandbox();
afterAll(() => sandbox.cleanup());

const problems = (source: string) =>
  checkTemplate(source, "shell").map((e) => ({ line: e.line, col: e.col, message: e.message }));
const render = (source: string, context: Record<string, unknown>) => compileTemplate(source, "shell").render(context);

const QUOTES = "`{{ }}` inside quotes in a run: command";

describe("{% if %} / {% for %} in run: — the reported exploit", () => {
  const source = "echo {% if a %}'{% else %}'{% endif %} {{ v }} '";

  test("is refused at load time: the value is inside quotes on every path", () => {
    expect(problems(source)).toEqual([{ line: 1, col: 40, message: QUOTES }]);
    expect(() => compileTemplate(source, "shell")).toThrow(TemplateSyntaxError);
  });

  test("the same with one branch: accepted at load, decided on the rendered text", () => {
    const one = "echo {% if a %}'{% endif %} {{ v }} '";
    expect(checkTemplate(one, "shell")).toEqual([]);
    expect(() => render(one, { a: true, v: "x" })).toThrow(QUOTES);
    expect(() => render(one, { a: true, v: "x" })).toThrow(TemplateRenderError);
    expect(render(one, { a: false, v: "; pwn '" })).toBe(`echo  '; pwn '"'"'' '`);
  });
});

/**
 * Renders `source` on every path (`a`, `b`, `xs` of 0–2 items) with hostile values: each
 * render either fails with a TemplateRenderError or gives a command that real shells run
 * without running anything else (each distinct command once: paths that do not read `b`
 * render the same text). Returns how many paths rendered and how many failed.
 */
function everyPath(source: string): { ran: number; refused: string[] } {
  const out = { ran: 0, refused: [] as string[] };
  const run = new Set<string>();
  for (const a of [true, false]) {
    for (const b of [true, false]) {
      for (const xs of [[], ["x y"], ["; pwn", "'"]]) {
        for (const v of ["; pwn", "'; pwn; '", "$(pwn)", "a\nEOF\npwn", "EOF", "a b"]) {
          let command: string;
          try {
            command = render(source, { a, b, xs, v });
          } catch (e) {
            if (!(e instanceof TemplateRenderError)) throw e;
            out.refused.push(e.message);
            continue;
          }
          out.ran++;
          if (run.has(command)) continue;
          run.add(command);
          for (const shell of sandbox.shells)
            expect({ shell, source, ran: sandbox.stubsRun(shell, command) }).toEqual({ shell, source, ran: "" });
        }
      }
    }
  }
  return out;
}

describe("{% if %} / {% for %} in run: — paths that end in different shell contexts are decided at render", () => {
  test.each([
    ["if/elif: the elif branch opens a quote", "echo {% if a %}x{% elif b %}'{% endif %} {{ v }} '"],
    ["if/else: the else branch opens a quote", 'echo {% if a %}x{% else %}"{% endif %} {{ v }}"'],
    ["an elif branch opens $(", "x={% if a %}1{% elif b %}$(echo {% else %}2{% endif %} {{ v }})"],
    ["a subshell opened in one branch", "{% if a %}echo ok{% else %}(cd /tmp{% endif %} && ls {{ v }})"],
    ["a for body opens a quote the next pass closes", "{% for x in xs %}'{% endfor %}{{ v }}"],
    ["an if nested in a for", '{% for x in xs %}{% if loop.first %}"{% endif %}{{ x }} {% endfor %}'],
    ["the else of a for", "{% for x in xs %}{{ x }} {% else %}'{% endfor %} {{ v }}'"],
    ["a heredoc started in one branch", "{% if a %}cat <<EOF\n{% endif %}{{ v }}\nEOF"],
    ["a heredoc ended in one branch", "cat <<'EOF'\n{% if a %}EOF\n{% endif %}{{ v }}\nEOF"],
    ["a for body that starts a heredoc", "{% for x in xs %}cat <<EOF\n{{ x }}\n{% endfor %}EOF"],
    ["a heredoc terminator spelled across a tag", "cat <<'EOF'\nEO{% if a %}F{% endif %}\n{{ v }}\nEOF"],
    [
      "loop passes that could join values into the terminator line",
      "cat <<'EOF'\n{% for x in xs %}{{ x }}{% endfor %}\nEOF",
    ],
    ["a tag right after `$`", "echo ${% if a %}(echo hi){% endif %} {{ v }}"],
    ["a tag inside `<<`", "cat <{% if a %}{% endif %}<EOF\n{{ v }}\nEOF"],
    ["a tag inside a heredoc delimiter", "cat <<E{% if a %}O{% endif %}F\n{{ v }}\nEOF"],
    ["a tag after a backslash", "echo a\\{% if a %}\n{% endif %}b {{ v }}"],
    ["[[ … -eq ]] on one path only", "{% if a %}[[ {{ v }} {% else %}[[ {{ v }} -eq{% endif %} 1 ]]"],
    ["[[ … -eq ]] after a loop", "[[ {% for x in xs %}{{ x }} {% endfor %}-eq 1 ]]"],
  ])("%s", (_, source) => {
    expect(checkTemplate(source, "shell")).toEqual([]);
    const { ran, refused } = everyPath(source);
    expect(ran + refused.length).toBeGreaterThan(0);
    for (const message of refused) expect(message).toMatch(/^`[^`]+`( \(line \d+ of the command\))? is `/); // names the output and the value
  });

  test("the render-time message names the output, the value and the fix", () => {
    expect(() => render("echo {% if a %}'{% endif %}{{ v }}{% if a %}'{% endif %}", { a: true, v: "x y" })).toThrow(
      "`v` is `x y`: `{{ }}` inside quotes in a run: command; drop the quotes; the value is quoted for you",
    );
    expect(() => render("[[ {{ v }} -eq 1 ]]", { v: "a[$(pwn)]" })).toThrow(
      "`v` is `a[$(pwn)]`: a `[[ … -eq … ]]` comparison (arithmetic) needs an integer; make the value a number in the template (`| int`)",
    );
  });

  test("{% set %} and comments do not separate shell text", () => {
    expect(problems("echo '{% set n = 1 %}{{ v }}'")).toEqual([{ line: 1, col: 22, message: QUOTES }]);
    expect(problems("echo '{# a note #}{{ v }}'")).toEqual([{ line: 1, col: 19, message: QUOTES }]);
  });
});

describe("{% if %} / {% for %} in run: — balanced uses are accepted", () => {
  test.each([
    ["cmd {% if verbose %}-v{% else %}-q{% endif %} {{ file }}", { verbose: true, file: "a b" }, "cmd -v 'a b'"],
    ["cmd {% if verbose %}-v{% endif %} {{ file }}", { verbose: false, file: "a b" }, "cmd  'a b'"],
    ["{% if root %}sudo {% endif %}rm -- {{ f }}", { root: true, f: "x;y" }, "sudo rm -- 'x;y'"],
    ['echo "{% if a %}yes{% else %}no{% endif %}" {{ v }}', { a: false, v: "$x" }, `echo "no" '$x'`],
    ['echo {% if a %}"yes{% else %}"no{% endif %}" {{ v }}', { a: true, v: "'" }, `echo "yes" ''"'"''`],
    ["{% for f in files %}rm -- {{ f }}\n{% endfor %}", { files: ["a b", "c"] }, "rm -- 'a b'\nrm -- c\n"],
    ["echo --items={% for x in xs %}{{ x }},{% endfor %} done", { xs: ["a b", "c"] }, "echo --items='a b','c', done"],
    [
      "cat <<'EOF'\n{% for x in xs %}- {{ x }}\n{% endfor %}EOF\necho {{ y }}",
      { xs: ["$a", "b"], y: "y y" },
      "cat <<'EOF'\n- $a\n- b\nEOF\necho 'y y'",
    ],
    [
      "cat <<EOF\nHello {% if formal %}Sir{% else %}friend{% endif %}, {{ name }}\nEOF",
      { formal: false, name: "$USER" },
      "cat <<EOF\nHello friend, \\$USER\nEOF",
    ],
    ["{% for x in xs %}cat <<EOF\n{{ x }}\nEOF\n{% endfor %}", { xs: ["`id`"] }, "cat <<EOF\n\\`id\\`\nEOF\n"],
    [
      "cat <<EOF\n{% if a %}x\nEOF\n{% else %}y\nEOF\n{% endif %}echo {{ v }}",
      { a: true, v: "; pwn" },
      "cat <<EOF\nx\nEOF\necho '; pwn'",
    ],
    [
      'case "$1" in\n{% for p in ps %}{{ p }}) echo {{ p }};;\n{% endfor %}esac',
      { ps: ["a b", "*"] },
      "case \"$1\" in\n'a b') echo 'a b';;\n'*') echo '*';;\nesac",
    ],
    ["x=$( {% for x in xs %}echo {{ x }}; {% endfor %})", { xs: [1, "a b"] }, "x=$( echo 1; echo 'a b'; )"],
  ])("%p", (source, context, expected) => {
    expect(checkTemplate(source, "shell")).toEqual([]);
    expect(render(source, context)).toBe(expected);
  });
});

// ---- accepted templates through real shells ------------------------------------------
const VALUES = [
  "; pwn",
  "'; pwn; '",
  '"; pwn; "',
  "$(pwn)",
  "`pwn`",
  "a\nb; pwn",
  "\\",
  "it's",
  "",
  "*",
  "~",
  "$HOME",
  "a b",
  "E",
  "OF",
];
const TERMINATOR_VALUES = ["EOF", "x\nEOF\npwn"];

interface Form {
  source: string;
  expected: (c: { a: boolean; xs: string[]; v: string }) => string;
  /** Values land in a heredoc body ended by `EOF`. */
  heredoc?: true;
}
const FORMS: Form[] = [
  { source: "printf '%s|' {% if a %}A{% else %}B{% endif %} {{ v }}", expected: (c) => `${c.a ? "A" : "B"}|${c.v}|` },
  {
    source: `printf '%s|' {% if a %}"[{% else %}"({% endif %}" {{ v }}`,
    expected: (c) => `${c.a ? "[" : "("}|${c.v}|`,
  },
  { source: "printf '%s|' {% if a %}{{ v }}{% endif %} end", expected: (c) => `${c.a ? `${c.v}|` : ""}end|` },
  {
    source: "{% for x in xs %}printf '%s|' {{ x }}\n{% endfor %}printf '%s' {{ v }}",
    expected: (c) => c.xs.map((x) => `${x}|`).join("") + c.v,
  },
  {
    source: "printf '%s|' {% for x in xs %}{{ x }} {% endfor %}end",
    expected: (c) => `${c.xs.map((x) => `${x}|`).join("")}end|`,
  },
  {
    source: "printf '%s|' {% for x in xs %}{{ x }}{% if not loop.last %}+{% endif %}{% endfor %}.",
    expected: (c) => `${c.xs.join("+")}.|`,
  },
  {
    source: "cat <<'EOF'\n{% for x in xs %}{{ x }}\n{% endfor %}EOF\nprintf '%s' {{ v }}",
    expected: (c) => c.xs.map((x) => `${x}\n`).join("") + c.v,
    heredoc: true,
  },
  {
    source: "cat <<EOF\n{% if a %}yes{% else %}no{% endif %}: {{ v }}\nEOF",
    expected: (c) => `${c.a ? "yes" : "no"}: ${c.v}\n`,
    heredoc: true,
  },
  {
    source: "{% for x in xs %}cat <<'EOF'\n{{ x }}\nEOF\n{% endfor %}printf '%s' {{ v }}",
    expected: (c) => c.xs.map((x) => `${x}\n`).join("") + c.v,
    heredoc: true,
  },
  {
    source:
      "{% for x in xs %}{% if loop.first %}printf '[%s]' {{ x }}{% else %}printf '<%s>' {{ x }}{% endif %}\n{% endfor %}",
    expected: (c) => c.xs.map((x, k) => (k === 0 ? `[${x}]` : `<${x}>`)).join(""),
  },
];
const contexts = (v: string) => [true, false].flatMap((a) => [[], [v], [v, "x y", "'"]].map((xs) => ({ a, xs, v })));

describe("accepted {% if %} / {% for %} templates through real shells", () => {
  FORMS.forEach((form, k) => {
    test(`form ${k + 1}: ${JSON.stringify(form.source)}`, () => {
      expect(checkTemplate(form.source, "shell")).toEqual([]);
      for (const v of [...VALUES, ...TERMINATOR_VALUES]) {
        for (const c of contexts(v)) {
          let command: string;
          try {
            command = render(form.source, c);
          } catch (e) {
            // only a value holding the terminator line, and only where it lands in a heredoc body
            expect({ v, error: String(e) }).toEqual({
              v: expect.stringContaining("EOF"),
              error: expect.stringContaining("heredoc terminator"),
            });
            expect(form.heredoc).toBe(true);
            continue;
          }
          sandbox.expectRuns(command, form.expected(c));
        }
      }
    });
  });
});

test("random templates with {% if %} and {% for %}: every accepted one runs nothing else, on every path", () => {
  const fragments = [
    ...SHELL_PUNCTUATION,
    ...SHELL_OPENERS,
    ...SHELL_HEREDOCS,
    ...[
      "echo",
      "cat",
      "printf",
      "x",
      "$x",
      "a,b",
      "<<<",
      "let ",
      "cat <<'EOF'\n",
      "cat <<EOF\n",
      "\nEOF",
      "F\n",
      "$(cat <<EOF\n",
    ],
  ];
  // (`declare` is left out: bash evaluates `a[$(cmd)]` in its arguments wherever the value goes — a separate, known gap)
  const payloads = [
    "x'\"`$(pwn a)`pwn b`;pwn c\n pwn d #\\",
    "'$(pwn e)'",
    '"$(pwn f)"',
    "a\nb;pwn g\n",
    "`pwn h`",
    "F\npwn i",
    "a[$(pwn j)]",
    "E",
    "OF",
    "\nEOF\npwn k\n",
  ];
  const next = random(20_250_214);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const generate = (depth: number, budget: { n: number }): string => {
    let source = "";
    for (let k = 1 + Math.floor(next() * 4); k > 0 && budget.n > 0; k--) {
      budget.n--;
      const r = next();
      if (depth < 3 && r < 0.2) {
        source += `{% if a %}${generate(depth + 1, budget)}`;
        if (next() < 0.4) source += `{% elif b %}${generate(depth + 1, budget)}`;
        if (next() < 0.5) source += `{% else %}${generate(depth + 1, budget)}`;
        source += "{% endif %}";
      } else if (depth < 3 && r < 0.35) {
        source += `{% for i in xs %}${generate(depth + 1, budget)}`;
        if (next() < 0.2) source += `{% else %}${generate(depth + 1, budget)}`;
        source += "{% endfor %}";
      } else source += next() < 0.3 ? pick(["{{ v }}", "{{ w }}", "{{ v }} ", " {{ w }}\n"]) : pick(fragments);
    }
    return source;
  };
  const scratch = mkdtempSync(join(sandbox.base, "fuzz-")); // random redirections may create files here
  let accepted = 0;
  let withControl = 0; // accepted with both a tag and an output
  // most random texts are accepted now (places are decided at render), so fewer rounds run more shells than before
  for (let round = 0; round < 500; round++) {
    const source = generate(0, { n: 10 });
    if (checkTemplate(source, "shell").length) continue;
    accepted++;
    if (/\{%.*\{\{|\{\{.*\{%/s.test(source)) withControl++;
    const template = compileTemplate(source, "shell");
    const commands = new Set<string>();
    for (let k = 0; k < 5; k++) {
      const context = {
        a: next() < 0.5,
        b: next() < 0.5,
        xs: [1, 2, 3].slice(0, Math.floor(next() * 4)),
        v: pick(payloads),
        w: pick(payloads),
      };
      try {
        commands.add(template.render(context));
      } catch (e) {
        if (!(e instanceof TemplateRenderError)) throw e; // a value holding the terminator line
      }
    }
    for (const command of commands) {
      for (const shell of sandbox.shells)
        expect({ shell, source, ran: sandbox.stubsRun(shell, command, scratch) }).toEqual({ shell, source, ran: "" });
    }
  }
  // the corpus must exercise accepted commands, and tags around outputs, not only refusals
  expect(accepted).toBeGreaterThan(400);
  expect(withControl).toBeGreaterThan(90);
}, 240_000);
