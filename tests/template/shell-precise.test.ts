/**
 * Issue 10 part 3: the shell checks are precise. Every command the old scan refused
 * although it was safe now validates and renders to text that real shells (dash, bash,
 * bash --posix; `shell-sandbox.ts`) run with each value as one word; every command the
 * old scan let through although it ran a value as code now fails — at load when it is
 * wrong for every value, else at render — and nothing runs.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { TemplateRenderError, TemplateSyntaxError, checkTemplate, compileTemplate } from "../../src/template/index.ts";
import { shellQuote } from "../../src/template/shell-quote.ts";
import { shellSandbox } from "./shell-sandbox.ts";

const sandbox = shellSandbox();
afterAll(() => sandbox.cleanup());

const render = (source: string, context: Record<string, unknown>) => compileTemplate(source, "shell").render(context);
const isDash = (shell: string) => shell === "/bin/sh";

/** Runs `command` in every shell; stdout per shell, and nothing else may have run. */
function outputs(command: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const shell of sandbox.shells) {
    const proc = Bun.spawnSync([...shell.split(" "), "-c", command], {
      cwd: sandbox.base,
      env: sandbox.env,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    expect({ shell, command, ran: sandbox.canary() }).toEqual({ shell, command, ran: "" }); // empties the canary
    out.set(shell, proc.stdout.toString());
  }
  return out;
}

const HOSTILE = [
  "; pwn",
  "$(pwn)",
  "`pwn`",
  "'; pwn; '",
  '"; pwn; "',
  "a b",
  "*",
  "~",
  "a,b",
  "x]",
  "[",
  "-n",
  "a\nb; pwn",
  "\\",
  "",
  "FOO=1",
  "EOF",
  "OF",
];

describe("refused before although safe: validates, and each value is one word in real shells", () => {
  test("the issue's own examples validate", () => {
    for (const source of [
      "echo [{{x}}] done",
      "echo - {{a}} [{{b}}]",
      "ls data[{{n}}].csv",
      "grep -E [{{c}}]+",
      "cp f.{txt,{{ext}}} d/",
      "total=$(( {{a}} + {{b}} ))",
      "cat <<EOF\n{{a}}{{b}}\nEOF",
      "cat <<EOF\n{{i}}:{{v}}\nEOF",
      "cat <<EOF\nE{{x}}\nEOF",
    ]) {
      expect({ source, errors: checkTemplate(source, "shell") }).toEqual({ source, errors: [] });
    }
  });

  // the same shapes, printing their words: `[` is a glob bracket (the work dir is empty, so it stays literal)
  const WORDS: Array<[string, (v: string, shell: string) => string]> = [
    ["printf '<%s>' [{{v}}] done", (v) => `<[${v}]><done>`],
    ["printf '<%s>' - {{v}} [{{v}}]", (v) => `<-><${v}><[${v}]>`],
    ["printf '<%s>' data[{{v}}].csv", (v) => `<data[${v}].csv>`],
    ["printf '<%s>' [{{v}}]+", (v) => `<[${v}]+>`],
    ["printf '<%s>' f.{txt,{{v}}} d/", (v, shell) => (isDash(shell) ? `<f.{txt,${v}}><d/>` : `<f.txt><f.${v}><d/>`)],
    ["x={{v}}; printf '<%s>' \"$x\"", (v) => `<${v}>`],
    ["A=~{{v}}; printf '<%s>' \"$A\"", (v) => `<~${v}>`],
    ["printf '<%s>' $HOME{{v}}", (v) => `</home/EXPANDED-HOME${v}>`],
    ["printf '<%s>' ${UNSET_VAR:-{{v}}}", (v) => `<${v}>`],
  ];
  for (const [source, expected] of WORDS) {
    test(source, () => {
      expect(checkTemplate(source, "shell")).toEqual([]);
      for (const v of HOSTILE) {
        if (v === "" && source.includes("UNSET_VAR")) continue; // `${u:-''}` is an empty word, which printf still prints as <>
        if (v.includes("\n") && source.includes("[")) continue; // a pattern cannot hold a newline in dash's bracket; printed as-is either way below
        for (const [shell, stdout] of outputs(render(source, { v })))
          expect({ shell, v, stdout }).toEqual({ shell, v, stdout: expected(v, shell) });
      }
    });
  }

  test("arithmetic: an integer renders; anything else fails at render, naming the output, the value and the fix", () => {
    const source = "total=$(( {{a}} + {{b}} )); printf '%s' \"$total\"";
    for (const [shell, stdout] of outputs(render(source, { a: 2, b: "-5" })))
      expect({ shell, stdout }).toEqual({ shell, stdout: "-3" });
    expect(() => render(source, { a: "1; rm -rf /", b: 1 })).toThrow(TemplateRenderError);
    expect(() => render(source, { a: "1; rm -rf /", b: 1 })).toThrow("`a` is `1; rm -rf /`: shell arithmetic");
    expect(() => render(source, { a: "1; rm -rf /", b: 1 })).toThrow(
      "needs an integer; make the value a number in the template (`| int`)",
    );
    for (const bad of ["a[$(pwn)]", "1.5", "x", "", "1 + 1", "0x10"])
      expect(() => render(source, { a: bad, b: 1 })).toThrow(TemplateRenderError);
  });

  test("every arithmetic place takes an integer and refuses code (bash runs a[$(cmd)] there)", () => {
    const places = [
      "(( n = {{v}} )); printf '%s' \"$n\"",
      "for (( i = {{v}}; i < {{v}} + 1; i++ )); do printf '%s' \"$i\"; done",
      "[[ {{v}} -eq {{v}} ]] && printf '%s' {{v}}",
      "let n={{v}}; printf '%s' \"$n\"",
      "a[{{v}}]=x; printf '%s' ${a[{{v}}]}",
      "a=( [{{v}}]=x ); printf '%s' ${a[{{v}}]}",
      "declare -i n={{v}}; printf '%s' \"$n\"",
      "typeset -i n; n={{v}}; printf '%s' \"$n\"",
      "v=abcdef; printf '%s' ${v:{{v}}:1}",
    ];
    for (const source of places) {
      expect({ source, errors: checkTemplate(source, "shell") }).toEqual({ source, errors: [] });
      const command = render(source, { v: 3 });
      for (const shell of sandbox.shells.filter((s) => !isDash(s))) expect(sandbox.stubsRun(shell, command)).toBe("");
      for (const bad of ["a[$(pwn)]", "x[`pwn`]", "1; pwn"])
        expect(() => render(source, { v: bad })).toThrow(/`v` is `.*`: .* needs an integer/);
    }
  });

  test("a heredoc line fails only when the rendered line is the terminator", () => {
    const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
      ["cat <<EOF\n{{a}}{{b}}\nEOF", { a: "E", b: "OF" }, undefined],
      ["cat <<EOF\n{{a}}{{b}}\nEOF", { a: "EO", b: "F!" }, "EOF!\n"],
      ["cat <<EOF\n{{a}}{{b}}\nEOF", { a: "$(pwn)", b: "`pwn`" }, "$(pwn)`pwn`\n"],
      ["cat <<EOF\n{{i}}:{{v}}\nEOF", { i: "1", v: "EOF" }, "1:EOF\n"],
      ["cat <<EOF\n{{i}}:{{v}}\nEOF", { i: "1", v: "a\nEOF\npwn" }, undefined], // the value's own line
      ["cat <<EOF\nE{{x}}\nEOF", { x: "OF" }, undefined],
      ["cat <<EOF\nE{{x}}\nEOF", { x: "OFX" }, "EOFX\n"],
      ["cat <<'EOF'\nE{{x}}\nEOF", { x: "x\nEOF" }, undefined],
      ["cat <<-EOF\n\tE{{x}}\nEOF", { x: "OF" }, undefined],
      ["cat <<EOF\n{% for x in xs %}{{ x }}{% endfor %}\nEOF", { xs: [] }, "\n"],
      ["cat <<EOF\n\tEOF {{x}}\nEOF", { x: "" }, "\tEOF \n"],
      ["cat <<EOF\n{{x}}\nEOF", { x: "\tEOF" }, "\tEOF\n"], // `<<` strips no tabs: not the terminator
    ];
    for (const [source, context, expected] of cases) {
      expect(checkTemplate(source, "shell")).toEqual([]);
      if (expected === undefined) {
        expect(() => render(source, context)).toThrow("heredoc terminator line `EOF`");
        continue;
      }
      for (const [shell, stdout] of outputs(render(source, context)))
        expect({ shell, source, stdout }).toEqual({ shell, source, stdout: expected });
    }
    expect(() => render("cat <<EOF\n{% for x in xs %}{{ x }}{% endfor %}\nEOF", { xs: ["E", "O", "F"] })).toThrow(
      "heredoc terminator line `EOF`",
    );
    expect(render("cat <<EOF\n{% for x in xs %}{{ x }}{% endfor %}\nEOF", { xs: ["E", "O"] })).toBe(
      "cat <<EOF\nEO\nEOF",
    );
  });

  test("past the scanner's limits (64 readings, 32 loop rounds) the rendered text is lexed instead of refused", () => {
    // an option word built letter by letter in a loop: 2^10 readings of which letters it holds
    const letters = "abcdefghij";
    const branches = [...letters].map((c, k) => `{% ${k ? "elif" : "if"} x == ${k} %}${c}`).join("");
    const source = `printf '<%s>' -{% for x in xs %}${branches}{% endif %}{% endfor %} {{ v }} [{{ v }}]`;
    expect(checkTemplate(source, "shell")).toEqual([]);
    for (const v of HOSTILE.filter((h) => !h.includes("\n"))) {
      for (const [shell, stdout] of outputs(render(source, { xs: [0, 3, 9], v })))
        expect({ shell, v, stdout }).toEqual({ shell, v, stdout: `<-adj><${v}><[${v}]>` });
    }
    // and a place that is wrong on the rendered text still fails there
    const quoted = `printf '<%s>' -{% for x in xs %}${branches}{% endif %}{% endfor %} '{{ v }}'`;
    expect(checkTemplate(quoted, "shell")).toEqual([]);
    expect(() => render(quoted, { xs: [1], v: "x" })).toThrow("`v` is `x`: `{{ }}` inside quotes in a run: command");
  });
});

describe("let through before although the value ran as code: refused now, and nothing runs", () => {
  const EVALUATES = "`{{ }}` in the arguments of eval or trap: the shell runs the value as code";
  test.each([
    "command eval {{p}}",
    "\\eval {{p}}",
    'ev""al {{p}}',
    "x=1 eval {{p}}",
    "trap {{p}} EXIT",
    "builtin eval {{p}}",
    "e'val' {{p}}",
    "eval echo 2>&1 {{p}}",
    "f() { eval {{p}}; }; f",
  ])("%p is refused at load: the value is code for every value", (source) => {
    expect(checkTemplate(source, "shell").map((e) => e.message)).toEqual([EVALUATES]);
    expect(() => compileTemplate(source, "shell")).toThrow(TemplateSyntaxError);
    // the oracle: quoted as a word, the value still runs (what the old check let through)
    const old = source.replace("{{p}}", shellQuote("x;pwn"));
    expect(sandbox.stubsRun(sandbox.shells.find((s) => !isDash(s)) ?? "/bin/sh", old)).toContain("ran pwn");
  });

  test.each([
    ["typeset -i n; n={{v}}", "an assignment to a variable declared -i"],
    ["printf -v {{v}} x", "`printf` needs a variable name"],
    ["read {{v}} < /dev/null", "`read` needs a variable name"],
    ["[ -v {{v}} ]", "`[` needs a variable name"],
    ["test -v {{v}}", "`test` needs a variable name"],
    ["[[ -v {{v}} ]]", "`[[ -v … ]]` needs a variable name"],
    ["unset {{v}}", "`unset` needs a variable name"],
    ["declare {{v}}=1", "`declare` needs a variable name"],
    ['declare -n r={{v}}; echo "$r"', "`declare -n` needs a variable name"],
  ])("%p fails at render for code, runs for a plain value", (source, problem) => {
    expect(checkTemplate(source, "shell")).toEqual([]);
    for (const bad of ["a[$(pwn)]", "x[`pwn`]"]) {
      expect(() => render(source, { v: bad })).toThrow(TemplateRenderError);
      expect(() => render(source, { v: bad })).toThrow(problem);
      // the oracle: the old rendering runs the value in bash
      const old = source.replace("{{v}}", shellQuote(bad));
      const bash = sandbox.shells.find((s) => !isDash(s));
      if (bash && !source.startsWith("unset"))
        expect(
          sandbox.stubsRun(bash, old.startsWith("typeset") || old.startsWith("declare") ? old : `${old}; echo "$a"`),
        ).toContain("ran pwn");
    }
    const ok = source.startsWith("typeset") ? "42" : "ok_name";
    for (const shell of sandbox.shells.filter((s) => !isDash(s)))
      expect(sandbox.stubsRun(shell, render(source, { v: ok }))).toBe("");
  });

  test("a value glued to other text is always quoted: `{{x}}=1` is no assignment, `~{{u}}` no home directory", () => {
    for (const [shell, stdout] of outputs(
      `{{x}}=1 2>/dev/null; printf '<%s>' "\${FOO-unset}"`.replace("{{x}}", "{{ x }}").replace("", "") &&
        render(`{{x}}=1 2>/dev/null; printf '<%s>' "\${FOO-unset}"`, { x: "FOO" }),
    )) {
      expect({ shell, stdout }).toEqual({ shell, stdout: "<unset>" });
    }
    expect(render("{{x}}=1", { x: "FOO" })).toBe("'FOO'=1");
    expect(render("A=~{{u}}", { u: "root" })).toBe("A=~'root'");
    for (const [shell, stdout] of outputs(render(`A=~{{u}}; printf '<%s>' "$A"`, { u: "root" })))
      expect({ shell, stdout }).toEqual({ shell, stdout: "<~root>" });
    for (const [shell, stdout] of outputs(
      render("{{c}} 2>/dev/null; printf '<%s>' \"${PATH%%:*}\"", { c: "PATH=/nowhere" }),
    )) {
      expect({ shell, stdout: stdout.includes("/nowhere") }).toEqual({ shell, stdout: false });
    }
  });
});

test("declare -a / -A / local -a re-read a value starting with `(` as an array assignment: refused at render", () => {
  for (const source of [
    "declare -a b={{v}}",
    "declare -A b={{v}}",
    "f() { local -a b={{v}}; }; f",
    "typeset -a b={{v}}",
    "declare b={{v}}",
  ]) {
    expect(checkTemplate(source, "shell")).toEqual([]);
    expect(() => render(source, { v: "([$(pwn)]=1)" })).toThrow("read as an array assignment");
    const bash = sandbox.shells.find((s) => !isDash(s));
    if (bash && source.includes("-"))
      expect(sandbox.stubsRun(bash, source.replace("{{v}}", shellQuote("([$(pwn)]=1)")))).toContain("ran pwn");
    if (bash) expect(sandbox.stubsRun(bash, render(source, { v: "x (y)" }))).toBe("");
  }
});

test("a heredoc line continued with `\\` is checked joined, as bash compares it with the terminator", () => {
  const source = "cat <<EOF\nE\\\n{{x}}\necho {{y}}\nEOF";
  expect(checkTemplate(source, "shell")).toEqual([]);
  expect(() => render(source, { x: "OF", y: "x" })).toThrow("heredoc terminator line `EOF`");
  const bash = sandbox.shells.find((s) => !isDash(s));
  if (bash) expect(sandbox.stubsRun(bash, "cat <<EOF\nE\\\nOF\npwn\nEOF")).toContain("ran pwn"); // what the check prevents
  for (const [shell, stdout] of outputs(render(source, { x: "X", y: "$(pwn)" })))
    expect({ shell, stdout }).toEqual({ shell, stdout: "EX\necho $(pwn)\n" });
  expect(() => render("cat <<EOF\n{{x}}\\\nF\nEOF", { x: "EO" })).toThrow("heredoc terminator line `EOF`");
});

test("random commands around the builtins and places the check now tells apart: accepted ones run no payload", () => {
  const fragments = [
    ...[
      "{{ v }}",
      "{{ v }}",
      "{{ w }}",
      " ",
      " ",
      "\n",
      ";",
      "=",
      "[",
      "]",
      "{",
      ",",
      "}",
      "~",
      "$x",
      "#",
      "(",
      ")",
      "'",
      '"',
      "\\",
      "\\\n",
    ],
    ...[
      "declare ",
      "declare -a x=",
      "local -i n=",
      "typeset -i n; n=",
      "read ",
      "read -r ",
      "printf -v ",
      "[ -v ",
      " ]",
      "test -v ",
      "unset ",
    ],
    ...[
      "let ",
      "(( ",
      " ))",
      "$(( ",
      "[[ ",
      " -eq ",
      " -v ",
      " ]]",
      "a=( ",
      "a[",
      "]=1",
      "${a[",
      "${x:",
      "}",
      "command ",
      "builtin ",
      "x=1 ",
    ],
    ...[
      "f() { ",
      "; }",
      "echo ",
      "printf '%s' ",
      "cat <<EOF\n",
      "cat <<'EOF'\n",
      "\nEOF\n",
      "E",
      "OF",
      "export ",
      "declare -n r=",
      "declare -A m; m[",
    ],
  ];
  const payloads = [
    "a[$(pwn a)]",
    "$(pwn b)",
    "([$(pwn c)]=1)",
    "x\npwn d",
    "EOF\npwn e",
    "OF",
    "E",
    "`pwn f`",
    "'; pwn g; '",
    "1",
    "x[`pwn h`]",
  ];
  let seed = 20_261_206;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  let ran = 0;
  for (let round = 0; round < 500; round++) {
    let source = "";
    for (let k = 2 + Math.floor(next() * 10); k > 0; k--) source += pick(fragments);
    if (checkTemplate(source, "shell").length) continue;
    let command: string;
    try {
      command = render(source, { v: pick(payloads), w: pick(payloads) });
    } catch (e) {
      if (e instanceof TemplateRenderError) continue;
      throw e;
    }
    ran++;
    for (const shell of sandbox.shells)
      expect({ shell, source, ran: sandbox.stubsRun(shell, command) }).toEqual({ shell, source, ran: "" });
  }
  expect(ran).toBeGreaterThan(150);
}, 240_000);
