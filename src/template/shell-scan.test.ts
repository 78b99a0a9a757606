import { describe, expect, test } from "bun:test";
import { scanShellSlots } from "./shell-scan.ts";
import { insertIntoSlot, ShellValueError, type ShellSlot } from "./shell-slot.ts";

/** `{{ … }}` in `src` marks an output; everything else is literal shell text. */
function slots(src: string): ShellSlot[] {
  const pieces: Array<{ text: string } | { output: true }> = [];
  src.split(/\{\{.*?\}\}/).forEach((text, k) => {
    if (k > 0) pieces.push({ output: true });
    pieces.push({ text });
  });
  return scanShellSlots(pieces);
}

/**
 * Compact form for tables: `word` (`word!` always quoted), `hd:EOF` / `hd':EOF` (quoted;
 * `hd+` checked on the rendered line, `hd$` right after `$name`), `number`, `name`,
 * `comment`, `render` (decided on the rendered text), or `error: <message>`.
 */
function brief(src: string): string[] {
  return slots(src).map((s) => {
    if (s.kind === "word") return s.force ? "word!" : "word";
    if (s.kind === "heredoc")
      return `hd${s.expands ? "" : "'"}${s.joined ? "+" : ""}${s.afterName ? "$" : ""}:${s.terminator}`;
    if (s.kind === "error") return `error: ${s.message}`;
    return s.kind;
  });
}

const QUOTES = "error: `{{ }}` inside quotes in a run: command";
const ANSI = "error: `{{ }}` inside quotes ($'…') in a run: command";
const BACKTICKS = "error: `{{ }}` inside backticks in a run: command";
const COMMENT = "comment";
const DIALECTS = "render";
const JOIN = "hd+:EOF";

describe("scanShellSlots: words", () => {
  test.each([
    ["echo {{x}}", ["word"]],
    ["echo {{a}} {{b}}", ["word", "word"]],
    ["cmd --name={{x}}", ["word!"]],
    ["echo a{{x}}b", ["word!"]],
    ["echo {{a}}{{b}}", ["word!", "word!"]],
    ["X={{x}} cmd", ["word!"]],
    ["{{x}}=1; {{y}} arg", ["word!", "word!"]],
    ["A=~{{u}}", ["word!"]],
    ["echo $(echo {{x}})", ["word"]],
    ["echo $(echo $(echo {{x}}) {{y}}) {{z}}", ["word", "word", "word"]],
    ['echo "$(echo {{x}})"', ["word"]],
    ['echo "a $(echo "b $(echo {{x}})") c"', ["word"]],
    ["(cd /tmp && ls {{x}})", ["word"]],
    ["f() { echo {{x}}; }; f", ["word"]],
    ["a | b {{x}} && c {{y}} || d; e & f {{z}}", ["word", "word", "word"]],
    ["cat <<< {{x}}", ["word"]],
    ["echo ~/{{x}}", ["word!"]],
    ["echo $1{{x}} ${HOME}{{y}} $?{{z}}", ["word!", "word!", "word!"]],
    ["echo {{x}}#not-a-comment", ["word!"]],
  ])("%p", (src, expected) => {
    expect(brief(src)).toEqual(expected);
  });

  test("escaped quotes outside quotes do not open a quote", () => {
    expect(brief('echo \\"{{x}}\\"')).toEqual(["word!"]);
    expect(brief("echo \\'{{x}}\\'")).toEqual(["word!"]);
    expect(brief("echo \\\\{{x}}")).toEqual(["word!"]); // `\\` is an escaped backslash
  });

  test("quotes that are closed before the output do not count", () => {
    expect(brief(`echo 'it'\\''s' {{x}} "say \\"hi\\"" {{y}}`)).toEqual(["word", "word"]);
    expect(brief(`echo "it's" {{x}} 'say "hi"' {{y}}`)).toEqual(["word", "word"]);
    expect(brief('echo "a\\\\" {{x}}')).toEqual(["word"]);
  });

  test("a line continuation is invisible", () => {
    expect(brief("echo \\\n{{x}}")).toEqual(["word"]);
    expect(brief("echo \\\n# {{x}}")).toEqual([COMMENT]);
  });
});

describe("scanShellSlots: quotes, backticks, comments, expansions", () => {
  test.each([
    ["echo '{{x}}'", [QUOTES]],
    ['echo "{{x}}"', [QUOTES]],
    ['echo "hello {{x}}!"', [QUOTES]],
    ["echo pre'fix {{x}}'", [QUOTES]],
    [`echo "it's {{x}}"`, [QUOTES]],
    [`echo 'say "hi" {{x}}'`, [QUOTES]],
    ['echo "a \\" {{x}}"', [QUOTES]],
    ["echo $'a {{x}}'", [ANSI]],
    ['echo $"a {{x}}"', [QUOTES]],
    ["echo `echo {{x}}`", [BACKTICKS]],
    ['echo "`echo {{x}}`"', [BACKTICKS]],
    ["echo $(echo `echo {{x}}`)", [BACKTICKS]],
    ["echo $(echo '{{x}}')", [QUOTES]],
    ["# {{x}}\necho {{y}}", [COMMENT, "word"]],
    ["echo hi # {{x}}\necho {{y}}", [COMMENT, "word"]],
    ["echo $(echo a # {{x}} )\n) {{y}}", [COMMENT, "word"]],
  ])("%p", (src, expected) => {
    expect(brief(src)).toEqual(expected);
  });

  test("errors carry a hint that says how to fix them", () => {
    expect(slots('echo "{{x}}"')[0]).toEqual({
      kind: "error",
      message: "`{{ }}` inside quotes in a run: command",
      hint: "drop the quotes; the value is quoted for you",
    });
    expect(slots("echo '{{x}}'")[0]).toMatchObject({ hint: "drop the quotes; the value is quoted for you" });
    expect(slots("echo `{{x}}`")[0]).toMatchObject({ hint: "use $( … ) instead of backticks" });
  });

  test("${ … } takes a quoted word, or an integer where it is arithmetic; $(( … )) an integer", () => {
    expect(brief("echo ${v:-{{x}}} ${v#{{y}}} {{z}}")).toEqual(["word!", "word!", "word"]);
    expect(brief("echo ${v:{{x}}} ${v:1:{{y}}} ${a[{{z}}]}")).toEqual(["number", "number", "number"]);
    expect(brief("echo $(( {{x}} + 1 )) {{y}}")).toEqual(["number", "word"]);
    expect(brief("echo $(( (1 + 2) * 3 )) {{y}}")).toEqual(["word"]);
  });

  test("text glued in front: refused where it changes every value's meaning, else the value is always quoted", () => {
    expect(brief("echo a\\{{x}}")[0]).toStartWith("error: a backslash right before");
    expect(brief("echo ${{x}}")[0]).toStartWith("error: `$` right before");
    expect(brief("echo $HOME{{x}} ~{{y}} {a,{{z}}}")).toEqual(["word!", "word!", "word!"]);
    expect(brief("echo {a,b}{{x}} { echo {{y}}; }")).toEqual(["word!", "word"]);
    expect(brief("cp f.{txt,{{ext}}} d/")).toEqual(["word!"]);
  });

  test("[ in an argument is a glob bracket", () => {
    for (const src of ["echo [{{x}}] done", "echo - {{a}} [{{b}}]", "ls data[{{n}}].csv", "grep -E [{{c}}]+"]) {
      expect(brief(src).every((s) => s.startsWith("word"))).toBe(true);
    }
  });

  test("bash places that evaluate a value as arithmetic (a[$(cmd)] runs cmd) take an integer", () => {
    expect(brief("[[ {{x}} -eq 1 ]] && echo {{y}}")).toEqual(["number", "word"]);
    expect(brief("if [[ $n -lt {{x}} ]]; then :; fi")).toEqual(["number"]);
    expect(brief("[[ -n {{x}} && {{y}} == a* ]]")).toEqual(["word", "word!"]);
    // the command may end right after `]]` (a YAML scalar has no final newline)
    expect(brief("[[ {{x}} -eq 1 ]]")).toEqual(["number"]);
    expect(brief("[[ {{x}} == 1 ]]")).toEqual(["word"]);
    expect(brief("[[ {{s}} == a && {{n}} -gt 2 ]]")).toEqual(["word", "number"]);
    for (const src of [
      "arr[{{x}}]=1",
      "a=1 arr[{{x}}]=1",
      "arr[{{x}}]+=1",
      "declare -a arr[{{x}}]=1",
      "local x=1 b[{{x}}]",
    ]) {
      expect(brief(src)).toEqual(["number"]);
    }
    expect(brief("unset arr[{{x}}]; a=( [{{y}}]=1 )")).toEqual(["number", "number"]);
    expect(brief("echo a.b[{{x}}] [ {{y}} = z ]")).toEqual(["word!", "word"]);
    for (const src of [
      "let n={{x}}",
      "declare -i n={{x}}",
      "local -ri n={{x}}",
      "typeset -i n; n={{x}}",
      "n={{x}}; declare -i n",
    ]) {
      expect(brief(src)).toEqual(["number"]);
    }
    expect(brief("declare n={{x}}; let n=1; echo {{y}}")).toEqual(["word!", "word"]);
    expect(brief("for ((i = 0; i < {{x}}; i++)); do :; done")).toEqual(["number"]);
    expect(brief("echo $[{{x}} + 1] {{y}}")).toEqual(["number", "word"]);
  });

  test("eval and trap run their arguments: refused, however the command name is spelled", () => {
    const evaluates = "error: `{{ }}` in the arguments of eval or trap";
    for (const src of [
      "eval {{x}}",
      "command eval {{x}}",
      "builtin eval {{x}}",
      "\\eval {{x}}",
      'ev""al {{x}}',
      "e'val' {{x}}",
      "x=1 eval {{x}}",
      "trap {{x}} EXIT",
      "if eval {{x}}; then :; fi",
      "eval echo 2>&1 {{x}}",
    ]) {
      expect(brief(src)[0]).toStartWith(evaluates);
    }
    expect(brief("echo eval {{x}}; evaluate {{y}}")).toEqual(["word", "word"]);
  });

  test("builtins that read a variable name take a plain name", () => {
    for (const src of [
      "read {{x}}",
      "read -r {{x}}",
      "read -ra {{x}}",
      "printf -v {{x}} %s y",
      "[ -v {{x}} ]",
      "test -v {{x}}",
      "[[ -v {{x}} ]]",
      "unset {{x}}",
      "declare {{x}}=1",
      "export {{x}}",
      "declare -n r={{x}}",
    ]) {
      expect({ src, slot: brief(src)[0] }).toEqual({ src, slot: "name" });
    }
    expect(brief("read -p {{x}} v; read v < {{y}}; printf %s {{z}}")).toEqual(["word", "word", "word"]);
  });
});

describe("scanShellSlots: heredocs", () => {
  test.each([
    ["cat <<EOF\n{{x}}\nEOF\necho {{y}}", ["hd:EOF", "word"]],
    ["cat <<EOF\n{{i}}:{{v}}\nEOF", ["hd+:EOF", "hd+:EOF"]],
    ["cat << EOF\n{{x}}\nEOF", ["hd:EOF"]],
    ["cat <<'EOF'\n{{x}}\nEOF\necho {{y}}", ["hd':EOF", "word"]],
    ['cat <<"EOF"\n{{x}}\nEOF', ["hd':EOF"]],
    ["cat <<\\EOF\n{{x}}\nEOF", ["hd':EOF"]],
    ['cat <<E"O"F\n{{x}}\nEOF', ["hd':EOF"]],
    ["cat <<'E O F'\n{{x}}\nE O F\n{{y}}", ["hd':E O F", "word!"]],
    ["cat <<-EOF\n\t{{x}}\n\t\tEOF\necho {{y}}", ["hd+:EOF", "word"]],
    ["cat <<-'EOF'\n\t{{x}}\n\tEOF\n{{y}}", ["hd'+:EOF", "word!"]],
    ["cat <<EOF\n\tEOF\n{{x}}\nEOF\n{{y}}", ["hd:EOF", "word!"]], // `<<` does not strip tabs
    ["cat <<EOF\n EOF\nEOF \n{{x}}\nEOF\n{{y}}", ["hd:EOF", "word!"]],
    ["cat <<EOF\n{{x}}\n", ["hd:EOF"]], // unterminated: the body runs to the end
    ["cat <<EOF; echo {{x}}\n{{y}}\nEOF", ["word", "hd:EOF"]],
    ["cat <<EOF | grep {{x}}\n{{y}}\nEOF\n{{z}}", ["word", "hd:EOF", "word!"]],
    ["cat <<A <<'B'\n{{x}}\nA\n{{y}}\nB\n{{z}}", ["hd:A", "hd':B", "word!"]],
    ["cat <<A; cat <<-B\n{{x}}\nA\n\t{{y}}\n\tB\n{{z}}", ["hd:A", "hd+:B", "word!"]],
    ["cat <<EOF\n'{{x}}' \"{{y}}\" # {{z}}\nEOF", ["hd+:EOF", "hd+:EOF", "hd+:EOF"]],
    ["cat <<'EOF'\n$(echo {{x}}) `{{y}}` ${v:-{{z}}}\nEOF", ["hd'+:EOF", "hd'+:EOF", "hd'+:EOF"]],
    ['x="$(cat <<EOF\n{{x}}\nEOF\n)" {{y}}', ["hd:EOF", "word!"]],
    ["echo $(cat <<EOF\n{{x}}\nEOF\n) {{y}}", ["hd:EOF", "word"]],
    ["cat <<EOF; echo $(echo a\necho {{x}})\n{{y}}\nEOF\n{{z}}", ["word", "hd:EOF", "word!"]],
    ["cat <<EOF\nname: {{x}}, {{y}}\nEOF", ["hd+:EOF", "hd+:EOF"]],
    ["cat <<''\n{{x}}\n\n{{y}}", ["hd':", "word!"]],
    ["cat <<EOF\na\\\\\nEOF\n{{x}}", ["word!"]], // `\\` at the end of a line is not a continuation
  ])("%p", (src, expected) => {
    expect(brief(src)).toEqual(expected);
  });

  test("an unquoted body expands $( … ), ${ … } and backticks: outputs there are refused, after $name checked", () => {
    expect(brief("cat <<EOF\n$(echo {{x}}) {{y}}\nEOF")[0]).toStartWith(
      "error: `{{ }}` inside $( … ) or ${ … } in a heredoc body",
    );
    expect(brief("cat <<EOF\n$(echo {{x}}) {{y}}\nEOF")[1]).toBe("hd+:EOF");
    expect(brief("cat <<EOF\n${v:-{{x}}}\nEOF")[0]).toStartWith(
      "error: `{{ }}` inside $( … ) or ${ … } in a heredoc body",
    );
    expect(brief("cat <<EOF\n`{{x}}`\nEOF")).toEqual([BACKTICKS]);
    expect(brief("cat <<EOF\n\\{{x}} ${{y}} $v{{z}}\nEOF").map((s) => s.slice(0, 20))).toEqual([
      "error: a backslash r",
      "error: `$` right bef",
      "hd+$:EOF",
    ]);
  });

  test("text around an output that could spell the terminator with the value: checked on the rendered line", () => {
    expect(brief("cat <<EOF\nE{{x}}\n{{y}}F\n{{a}}{{b}}\nEOF")).toEqual([JOIN, JOIN, JOIN, JOIN]);
    expect(brief("cat <<-EOF\n\tEO{{x}}\nEOF")).toEqual([JOIN]);
    expect(brief("cat <<EOF\nX{{x}}Y\n{{a}} {{b}}\nEOF")).toEqual([JOIN, JOIN, JOIN]);
    expect(brief("cat <<EOF\n{{x}}\n{{y}}\nEOF")).toEqual(["hd:EOF", "hd:EOF"]); // alone on its line: the value is checked by itself
  });

  test("the delimiter itself cannot be a template value", () => {
    expect(brief("cat <<{{x}}\nhi\n{{y}}")[0]).toStartWith("error: `{{ }}` in a heredoc delimiter");
    expect(brief("cat <<{{x}}\nhi\n{{y}}")[1]).toBe("render");
  });

  test("a continued line inside an unquoted body: bash and dash disagree, so it is decided at render", () => {
    // bash ends the body at `EO\` + `F` joined; dash does not
    expect(brief("cat <<EOF\nEO\\\nF\n{{x}}\nEOF\n{{y}}")).toEqual([DIALECTS, "word!"]);
  });
});

describe("scanShellSlots: case, subshells and dialects", () => {
  test("case patterns inside $( … ) do not close it", () => {
    expect(brief("x=$(case $v in a) echo {{x}};; b|c) echo hi;; esac) {{y}}")).toEqual(["word", "word!"]);
    expect(brief('x="$(case $v in a) echo "{{x}}";; esac) {{y}}"')).toEqual([QUOTES, QUOTES]);
    expect(brief('x="$( (case $v in a) echo ok;; esac) ; echo "{{x}}" )"')).toEqual([QUOTES]);
    expect(brief('x="$(case $v in (a) echo {{x}};; esac)" {{y}}')).toEqual(["word", "word!"]);
    expect(brief('x="$(echo case; echo esac) {{x}}"')).toEqual([QUOTES]);
  });

  test("bash `$'…'` and `((` are lexed both ways; disagreement is decided at render", () => {
    expect(brief("echo $'it\\'s' {{x}} '")).toEqual([QUOTES]); // dash: `$` + 'it\' + s' {{x}} '
    expect(brief("echo $'a\\' {{x}} '")).toEqual([ANSI]); // bash: still inside $'…'
    expect(brief("echo $'a\\'' {{x}} '")).toEqual([QUOTES]);
    expect(brief("(( x << 2 ))\necho {{x}}")).toEqual([DIALECTS]);
    // bash reads `name[ … ]` of an assignment as one word, `<<` and `#` included; dash does not
    expect(brief("arr[a <<EOF ]=1\n{{x}}\nEOF\n{{y}}")).toEqual([DIALECTS, "word!"]);
    expect(brief("x=1 arr[1 2]=3 {{x}}")).toEqual(["word!"]);
    expect(brief("arr[x] b[1 # it's ]\necho '{{x}}'")).toEqual([QUOTES]);
    expect(brief("echo $((1 << 2)) {{x}}")).toEqual(["word"]);
  });
});

describe("insertIntoSlot", () => {
  const word: ShellSlot = { kind: "word", force: false };
  const quoted: ShellSlot = { kind: "heredoc", terminator: "EOF", expands: false };
  const expanding: ShellSlot = { kind: "heredoc", terminator: "EOF", expands: true };

  test("a word slot gets shellQuote", () => {
    expect(insertIntoSlot("a b", word)).toBe("'a b'");
    expect(insertIntoSlot("plain", word)).toBe("plain");
    expect(insertIntoSlot("", word)).toBe("''");
  });

  test("a quoted heredoc body gets the value verbatim", () => {
    expect(insertIntoSlot("$HOME `id` \\ 'q' \"d\"", quoted)).toBe("$HOME `id` \\ 'q' \"d\"");
  });

  test("an unquoted heredoc body gets \\, $ and ` escaped", () => {
    expect(insertIntoSlot("$HOME `id` \\ $(x) 'q'", expanding)).toBe("\\$HOME \\`id\\` \\\\ \\$(x) 'q'");
  });

  test("a value with the terminator line is refused", () => {
    for (const value of ["EOF", "a\nEOF", "EOF\nb", "a\nEOF\n", "\tEOF"]) {
      expect(() => insertIntoSlot(value, quoted)).toThrow(ShellValueError);
      expect(() => insertIntoSlot(value, expanding)).toThrow("heredoc terminator line `EOF`");
    }
    for (const value of ["EOFX", "xEOF", " EOF", "EOF ", "eof"]) expect(insertIntoSlot(value, quoted)).toBe(value);
  });

  test("number, name and comment slots take the values their place can", () => {
    expect(insertIntoSlot("-12", { kind: "number", place: "p" })).toBe("-12");
    for (const v of ["1; id", "1.5", "a[$(id)]", "", "0x1f", "1 "])
      expect(() => insertIntoSlot(v, { kind: "number", place: "p" })).toThrow("p needs an integer");
    expect(insertIntoSlot("abc_1", { kind: "name", place: "`read`" })).toBe("abc_1");
    for (const v of ["a[$(id)]", "1a", "a b", ""])
      expect(() => insertIntoSlot(v, { kind: "name", place: "`read`" })).toThrow("needs a variable name");
    expect(insertIntoSlot("a $(id)", { kind: "comment" })).toBe("a $(id)");
    expect(() => insertIntoSlot("a\nid", { kind: "comment" })).toThrow("line break");
    expect(insertIntoSlot("FOO", { kind: "word", force: true })).toBe("'FOO'");
  });

  test("an error slot and a NUL byte throw", () => {
    expect(() => insertIntoSlot("x", { kind: "error", message: "bad", hint: "fix" })).toThrow(ShellValueError);
    expect(() => insertIntoSlot("a\0b", word)).toThrow("NUL");
    expect(() => insertIntoSlot("a\0b", quoted)).toThrow(ShellValueError);
  });
});

describe("scanShellTemplate: statements it does not know", () => {
  test("a statement kind the scan does not know makes every output render-time, without a crash or a refusal", async () => {
    const { scanShellTemplate } = await import("./shell-scan.ts");
    const output = { kind: "output", expr: { kind: "name", name: "x", at: 10, end: 11 }, at: 8, end: 13 };
    const unknown = { kind: "some-future-block", at: 20, body: [output] };
    const body = [{ kind: "text", text: "echo '", at: 0 }, output, unknown, { kind: "text", text: "'", at: 30 }];
    const scan = scanShellTemplate(body as never);
    expect(scan.dynamic).toBe(true);
    expect(scan.slots.every((s) => s.kind === "render")).toBe(true);
  });
});
