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

/** Compact form for tables: `word`, `hd:EOF` / `hd':EOF` (quoted), or `error: <message>`. */
function brief(src: string): string[] {
  return slots(src).map((s) =>
    s.kind === "word" ? "word" : s.kind === "heredoc" ? `hd${s.expands ? "" : "'"}:${s.terminator}` : `error: ${s.message}`,
  );
}

const QUOTES = "error: `{{ }}` inside quotes in a run: command";
const ANSI = "error: `{{ }}` inside quotes ($'…') in a run: command";
const BACKTICKS = "error: `{{ }}` inside backticks in a run: command";
const COMMENT = "error: `{{ }}` inside a shell comment in a run: command";
const DIALECTS = "error: `{{ }}` sits in shell text that sh and bash read differently";
const JOIN = "error: text next to `{{ }}` on this heredoc line could join the value into the terminator line `EOF`";

describe("scanShellSlots: words", () => {
  test.each([
    ["echo {{x}}", ["word"]],
    ["echo {{a}} {{b}}", ["word", "word"]],
    ["cmd --name={{x}}", ["word"]],
    ["echo a{{x}}b", ["word"]],
    ["echo {{a}}{{b}}", ["word", "word"]],
    ["X={{x}} cmd", ["word"]],
    ["echo $(echo {{x}})", ["word"]],
    ["echo $(echo $(echo {{x}}) {{y}}) {{z}}", ["word", "word", "word"]],
    ['echo "$(echo {{x}})"', ["word"]],
    ['echo "a $(echo "b $(echo {{x}})") c"', ["word"]],
    ["(cd /tmp && ls {{x}})", ["word"]],
    ["f() { echo {{x}}; }; f", ["word"]],
    ["a | b {{x}} && c {{y}} || d; e & f {{z}}", ["word", "word", "word"]],
    ["cat <<< {{x}}", ["word"]],
    ["echo ~/{{x}}", ["word"]],
    ["echo $1{{x}} ${HOME}{{y}} $?{{z}}", ["word", "word", "word"]],
    ["echo {{x}}#not-a-comment", ["word"]],
  ])("%p", (src, expected) => {
    expect(brief(src)).toEqual(expected);
  });

  test("escaped quotes outside quotes do not open a quote", () => {
    expect(brief('echo \\"{{x}}\\"')).toEqual(["word"]);
    expect(brief("echo \\'{{x}}\\'")).toEqual(["word"]);
    expect(brief("echo \\\\{{x}}")).toEqual(["word"]); // `\\` is an escaped backslash
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

  test("${ … } and $(( … )) refuse outputs", () => {
    expect(brief("echo ${v:-{{x}}} {{y}}")[0]).toStartWith("error: `{{ }}` inside ${ … }");
    expect(brief("echo ${v:-{{x}}} {{y}}")[1]).toBe("word");
    expect(brief("echo $(( {{x}} + 1 )) {{y}}")[0]).toStartWith("error: `{{ }}` inside shell arithmetic");
    expect(brief("echo $(( (1 + 2) * 3 )) {{y}}")).toEqual(["word"]);
  });

  test("text glued in front that would change the value's meaning", () => {
    expect(brief("echo a\\{{x}}")[0]).toStartWith("error: a backslash right before");
    expect(brief("echo ${{x}}")[0]).toStartWith("error: `$` right before");
    expect(brief("echo $HOME{{x}}")[0]).toStartWith("error: `{{ }}` right after `$name`");
    expect(brief("echo ~{{x}}")[0]).toStartWith("error: `~{{ }}`");
    expect(brief("echo {a,{{x}}}")[0]).toStartWith("error: `{{ }}` inside a `{…}` brace expansion");
    expect(brief("echo {a,b}{{x}} { echo {{y}}; }")).toEqual(["word", "word"]);
  });

  test("bash places that evaluate a value as arithmetic (a[$(cmd)] runs cmd) are refused", () => {
    const arith = "error: `{{ }}` in a [[ … ]] test with an arithmetic operator";
    const subscript = "error: `{{ }}` inside an array subscript";
    expect(brief("[[ {{x}} -eq 1 ]] && echo {{y}}").map((s) => s.slice(0, arith.length))).toEqual([arith, "word"]);
    expect(brief("if [[ $n -lt {{x}} ]]; then :; fi").map((s) => s.slice(0, arith.length))).toEqual([arith]);
    expect(brief("[[ -n {{x}} && {{y}} == a* ]]")).toEqual(["word", "word"]);
    // the command may end right after `]]` (a YAML scalar has no final newline)
    expect(brief("[[ {{x}} -eq 1 ]]").map((s) => s.slice(0, arith.length))).toEqual([arith]);
    expect(brief("[[ {{x}} == 1 ]]")).toEqual(["word"]);
    for (const src of ["arr[{{x}}]=1", "a=1 arr[{{x}}]=1", "arr[{{x}}]+=1", "declare -a arr[{{x}}]=1", "local x=1 b[{{x}}]"]) {
      expect(brief(src)[0]).toStartWith(subscript);
    }
    expect(brief("unset arr[{{x}}]; a=( [{{y}}]=1 )").map((s) => s.slice(0, subscript.length))).toEqual([subscript, subscript]);
    expect(brief("echo a.b[{{x}}] [ {{y}} = z ]")).toEqual(["word", "word"]);
    const evaluates = "error: `{{ }}` in the arguments of let, eval or declare -i";
    for (const src of ["let n={{x}}", "eval {{x}}", "declare -i n={{x}}", "local -ri n={{x}}"]) expect(brief(src)[0]).toStartWith(evaluates);
    expect(brief("declare n={{x}}; let n=1; echo {{y}}")).toEqual(["word", "word"]);
    expect(brief("for ((i = 0; i < {{x}}; i++)); do :; done")[0]).toStartWith("error: `{{ }}` inside shell arithmetic");
    expect(brief("echo $[{{x}} + 1] {{y}}")[0]).toStartWith("error: `{{ }}` inside shell arithmetic");
  });
});

describe("scanShellSlots: heredocs", () => {
  test.each([
    ["cat <<EOF\n{{x}}\nEOF\necho {{y}}", ["hd:EOF", "word"]],
    ["cat << EOF\n{{x}}\nEOF", ["hd:EOF"]],
    ["cat <<'EOF'\n{{x}}\nEOF\necho {{y}}", ["hd':EOF", "word"]],
    ['cat <<"EOF"\n{{x}}\nEOF', ["hd':EOF"]],
    ["cat <<\\EOF\n{{x}}\nEOF", ["hd':EOF"]],
    ['cat <<E"O"F\n{{x}}\nEOF', ["hd':EOF"]],
    ["cat <<'E O F'\n{{x}}\nE O F\n{{y}}", ["hd':E O F", "word"]],
    ["cat <<-EOF\n\t{{x}}\n\t\tEOF\necho {{y}}", ["hd:EOF", "word"]],
    ["cat <<-'EOF'\n\t{{x}}\n\tEOF\n{{y}}", ["hd':EOF", "word"]],
    ["cat <<EOF\n\tEOF\n{{x}}\nEOF\n{{y}}", ["hd:EOF", "word"]], // `<<` does not strip tabs
    ["cat <<EOF\n EOF\nEOF \n{{x}}\nEOF\n{{y}}", ["hd:EOF", "word"]],
    ["cat <<EOF\n{{x}}\n", ["hd:EOF"]], // unterminated: the body runs to the end
    ["cat <<EOF; echo {{x}}\n{{y}}\nEOF", ["word", "hd:EOF"]],
    ["cat <<EOF | grep {{x}}\n{{y}}\nEOF\n{{z}}", ["word", "hd:EOF", "word"]],
    ["cat <<A <<'B'\n{{x}}\nA\n{{y}}\nB\n{{z}}", ["hd:A", "hd':B", "word"]],
    ["cat <<A; cat <<-B\n{{x}}\nA\n\t{{y}}\n\tB\n{{z}}", ["hd:A", "hd:B", "word"]],
    ["cat <<EOF\n'{{x}}' \"{{y}}\" # {{z}}\nEOF", ["hd:EOF", "hd:EOF", "hd:EOF"]],
    ["cat <<'EOF'\n$(echo {{x}}) `{{y}}` ${v:-{{z}}}\nEOF", ["hd':EOF", "hd':EOF", "hd':EOF"]],
    ['x="$(cat <<EOF\n{{x}}\nEOF\n)" {{y}}', ["hd:EOF", "word"]],
    ["echo $(cat <<EOF\n{{x}}\nEOF\n) {{y}}", ["hd:EOF", "word"]],
    ["cat <<EOF; echo $(echo a\necho {{x}})\n{{y}}\nEOF\n{{z}}", ["word", "hd:EOF", "word"]],
    ["cat <<EOF\nname: {{x}}, {{y}}\nEOF", ["hd:EOF", "hd:EOF"]],
    ["cat <<''\n{{x}}\n\n{{y}}", ["hd':", "word"]],
    ["cat <<EOF\na\\\\\nEOF\n{{x}}", ["word"]], // `\\` at the end of a line is not a continuation
  ])("%p", (src, expected) => {
    expect(brief(src)).toEqual(expected);
  });

  test("an unquoted body expands $( … ), ${ … } and backticks: outputs there are refused", () => {
    expect(brief("cat <<EOF\n$(echo {{x}}) {{y}}\nEOF")[0]).toStartWith("error: `{{ }}` inside $( … ) or ${ … } in a heredoc body");
    expect(brief("cat <<EOF\n$(echo {{x}}) {{y}}\nEOF")[1]).toBe("hd:EOF");
    expect(brief("cat <<EOF\n${v:-{{x}}}\nEOF")[0]).toStartWith("error: `{{ }}` inside ${ … }");
    expect(brief("cat <<EOF\n`{{x}}`\nEOF")).toEqual([BACKTICKS]);
    expect(brief("cat <<EOF\n\\{{x}} ${{y}} $v{{z}}\nEOF").map((s) => s.slice(0, 20))).toEqual([
      "error: a backslash r",
      "error: `$` right bef",
      "error: `{{ }}` right",
    ]);
  });

  test("text around an output that could spell the terminator with the value", () => {
    expect(brief("cat <<EOF\nE{{x}}\n{{y}}F\n{{a}}{{b}}\nEOF")).toEqual([JOIN, JOIN, JOIN, JOIN]);
    expect(brief("cat <<-EOF\n\tEO{{x}}\nEOF")).toEqual([JOIN]);
    expect(brief("cat <<EOF\nX{{x}}Y\n{{a}} {{b}}\nEOF")).toEqual(["hd:EOF", "hd:EOF", "hd:EOF"]);
  });

  test("the delimiter itself cannot be a template value", () => {
    expect(brief("cat <<{{x}}\nhi\n{{y}}")[0]).toStartWith("error: `{{ }}` in a heredoc delimiter");
    expect(brief("cat <<{{x}}\nhi\n{{y}}")[1]).toStartWith("error: this heredoc's delimiter cannot be read");
  });

  test("a continued line inside an unquoted body: bash and dash disagree, so it is refused", () => {
    // bash ends the body at `EO\` + `F` joined; dash does not
    expect(brief("cat <<EOF\nEO\\\nF\n{{x}}\nEOF\n{{y}}")).toEqual([DIALECTS, "word"]);
  });
});

describe("scanShellSlots: case, subshells and dialects", () => {
  test("case patterns inside $( … ) do not close it", () => {
    expect(brief("x=$(case $v in a) echo {{x}};; b|c) echo hi;; esac) {{y}}")).toEqual(["word", "word"]);
    expect(brief('x="$(case $v in a) echo "{{x}}";; esac) {{y}}"')).toEqual([QUOTES, QUOTES]);
    expect(brief('x="$( (case $v in a) echo ok;; esac) ; echo "{{x}}" )"')).toEqual([QUOTES]);
    expect(brief('x="$(case $v in (a) echo {{x}};; esac)" {{y}}')).toEqual(["word", "word"]);
    expect(brief('x="$(echo case; echo esac) {{x}}"')).toEqual([QUOTES]);
  });

  test("bash `$'…'` and `((` are lexed both ways; disagreement is an error", () => {
    expect(brief("echo $'it\\'s' {{x}} '")).toEqual([QUOTES]); // dash: `$` + 'it\' + s' {{x}} '
    expect(brief("echo $'a\\' {{x}} '")).toEqual([ANSI]); // bash: still inside $'…'
    expect(brief("echo $'a\\'' {{x}} '")).toEqual([QUOTES]);
    expect(brief("(( x << 2 ))\necho {{x}}")).toEqual([DIALECTS]);
    // bash reads `name[ … ]` of an assignment as one word, `<<` and `#` included; dash does not
    expect(brief("arr[a <<EOF ]=1\n{{x}}\nEOF\n{{y}}")).toEqual([DIALECTS, "word"]);
    expect(brief("x=1 arr[1 2]=3 {{x}}")).toEqual(["word"]);
    expect(brief("arr[x] b[1 # it's ]\necho '{{x}}'")).toEqual([QUOTES]);
    expect(brief("echo $((1 << 2)) {{x}}")).toEqual(["word"]);
  });
});

describe("insertIntoSlot", () => {
  const word: ShellSlot = { kind: "word" };
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
      expect(() => insertIntoSlot(value, expanding)).toThrow("the value contains the heredoc terminator line `EOF`; choose another terminator");
    }
    for (const value of ["EOFX", "xEOF", " EOF", "EOF ", "eof"]) expect(insertIntoSlot(value, quoted)).toBe(value);
  });

  test("an error slot and a NUL byte throw", () => {
    expect(() => insertIntoSlot("x", { kind: "error", message: "bad", hint: "fix" })).toThrow(ShellValueError);
    expect(() => insertIntoSlot("a\0b", word)).toThrow("NUL");
    expect(() => insertIntoSlot("a\0b", quoted)).toThrow(ShellValueError);
  });
});
