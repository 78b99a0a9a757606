/**
 * Hostile values through real shells: every value must come out byte for byte, and
 * nothing else may run. Commands are built twice — with the shell-scan functions
 * directly, and through the public engine (`compileTemplate(src, "shell").render`).
 * The shells run in a sandbox of stub commands that only log (`shell-sandbox.ts`).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { compileTemplate } from "../../src/template/index.ts";
import { placeValues } from "../../src/template/shell-render.ts";
import { scanShellSlots } from "../../src/template/shell-scan.ts";
import { ShellValueError } from "../../src/template/shell-slot.ts";
import { random, shellSandbox } from "./shell-sandbox.ts";
import { SHELL_HEREDOCS, SHELL_OPENERS, SHELL_PUNCTUATION } from "./shell-fragments.ts";

/** The same job as the engine, from this layer's own functions: `{{ name }}` tags only. */
function renderOwn(source: string, vars: Record<string, string>): string {
  const parts = source.split(/\{\{\s*(\w+)\s*\}\}/);
  return placeValues(
    parts.filter((_, k) => k % 2 === 0),
    parts.filter((_, k) => k % 2 === 1).map((name) => vars[name] ?? ""),
  );
}

const RENDERERS = [
  { name: "shell-scan functions", render: renderOwn },
  {
    name: "compileTemplate",
    render: (source: string, vars: Record<string, string>) => compileTemplate(source, "shell").render(vars),
  },
] as const;

const sandbox = shellSandbox();
afterAll(() => sandbox.cleanup());
const { expectRuns } = sandbox;

// ---- values and the places they go ------------------------------------------------
let allAscii = "";
for (let code = 1; code < 0x80; code++) allAscii += String.fromCharCode(code);
const tenKb = Array.from({ length: 400 }, (_, k) => `${k}: it's "$(id)" \`id\` ; rm -rf / *\n`)
  .join("")
  .slice(0, 10_240);

const VALUES: Array<[string, string]> = [
  ["command separator", "; rm -rf /"],
  ["command substitution", "$(id)"],
  ["backticks", "`id`"],
  ["single quote", "'"],
  ["double quote", '"'],
  ["mixed quotes", `it's "quoted"`],
  ["newline", "a\nb"],
  ["one backslash", "\\"],
  ["two backslashes", "\\\\"],
  ["trailing backslash", "a\\"],
  ["backslash-newline", "a\\\nb"],
  ["variable", "$HOME"],
  ["glob", "*"],
  ["tilde", "~"],
  ["unicode", "héllo 🌍"],
  ["right-to-left", "\u202Eשלום עולם مرحبا\u202C"],
  ["leading -n", "-n"],
  ["empty", ""],
  ["10 KB", tenKb],
  ["NUL removed", "a\0b\0c".replaceAll("\0", "")],
  ["single-quote breakout", "'; pwn; '"],
  ["double-quote breakout", '"; pwn; "'],
  ["touch payloads", "$(touch canary) `touch canary` ; touch canary && touch canary2"],
  ["heredoc breakout attempt", "x\nEOFX\nEOF \n pwn"],
  ["all ASCII 1-127", allAscii],
  ["CR LF", "a\r\nb\r"],
  ["printf format", "%s %d %n \\n"],
  ["comment", "# not a comment"],
  ["globs and braces", "[a-z]* ? {a,b} {1..3}"],
  ["assignment", "PATH=/nowhere"],
  ["ANSI-C, arithmetic, parameter", "$'\\x41' $((1+1)) ${HOME:-x}"],
  ["leading dashes", "--help"],
];

interface Form {
  name: string;
  source: string;
  expected: (v: string) => string;
  /** The value lands in a heredoc body (terminated by `EOF`). */
  heredoc?: true;
  /** Values the shell itself cannot carry in this form (documented limits). */
  skip?: (v: string) => boolean;
}
const FORMS: Form[] = [
  { name: "plain word", source: "printf '%s' {{ v }}", expected: (v) => v },
  { name: "glued word", source: "printf '%s' pre{{ v }}post", expected: (v) => `pre${v}post` },
  {
    name: "word inside $( )",
    source: `r=$(printf '%s' {{ v }}; printf x); printf '%s' "\${r%x}"`,
    expected: (v) => v,
  },
  {
    name: 'word inside "$( )"',
    source: `r="$(printf '%s' {{ v }}; printf x)"; printf '%s' "\${r%x}"`,
    expected: (v) => v,
  },
  {
    name: "word on a heredoc's line",
    source: "cat <<EOF; printf '%s' {{ v }}\nbody\nEOF",
    expected: (v) => `body\n${v}`,
  },
  { name: "unquoted heredoc", source: "cat <<EOF\n{{ v }}\nEOF", expected: (v) => `${v}\n`, heredoc: true },
  { name: "quoted heredoc", source: "cat <<'EOF'\n{{ v }}\nEOF", expected: (v) => `${v}\n`, heredoc: true },
  {
    name: "<<- heredoc",
    source: "cat <<-EOF\n\t{{ v }}\n\tEOF",
    expected: (v) => `${v}\n`,
    heredoc: true,
    skip: (v) => /\n\t/.test(v), // `<<-` strips leading tabs from every body line, values included
  },
];

for (const renderer of RENDERERS) {
  describe(`hostile values via ${renderer.name}`, () => {
    for (const form of FORMS) {
      for (const [label, value] of VALUES) {
        if (form.skip?.(value)) continue;
        test(`${form.name}: ${label}`, () => {
          expectRuns(renderer.render(form.source, { v: value }), form.expected(value));
        });
      }
    }

    test("a heredoc value holding the terminator line is refused; as a word it is fine", () => {
      for (const form of FORMS) {
        for (const value of ["EOF", "a\nEOF\nb; pwn", "\tEOF"]) {
          const endsIt = !value.startsWith("\t") || form.source.includes("<<-"); // a tab hides the terminator from `<<`
          if (form.heredoc && endsIt)
            expect(() => renderer.render(form.source, { v: value })).toThrow("heredoc terminator");
          else expectRuns(renderer.render(form.source, { v: value }), form.expected(value));
        }
      }
    });

    test("a NUL byte is refused", () => {
      expect(() => renderer.render("printf '%s' {{ v }}", { v: "a\0b" })).toThrow();
    });

    test("a newline value on a pending heredoc's line does not start the body", () => {
      expectRuns(renderer.render("cat <<EOF; printf '%s' {{ v }}\nbody\nEOF", { v: "x\nEOF\n" }), "body\nx\nEOF\n");
    });
  });
}

test("a refused slot: ShellValueError from the functions, a load-time error from compileTemplate", () => {
  expect(() => renderOwn(`echo "{{ v }}"`, { v: "x" })).toThrow(ShellValueError);
  expect(() => compileTemplate(`echo "{{ v }}"`, "shell")).toThrow("`{{ }}` inside quotes in a run: command");
});

test("random shell text around {{ v }}: every output is refused, or nothing else runs", () => {
  const fragments = [
    "{{ v }}",
    "{{ v }}",
    ...SHELL_PUNCTUATION,
    ...SHELL_OPENERS,
    ...SHELL_HEREDOCS,
    ...["echo", "cat", "printf", "x", "$x", "a,b", "<<<", "declare ", "let "],
  ];
  const payloads = [
    "x'\"`$(pwn a)`pwn b`;pwn c\n pwn d #\\",
    "'$(pwn e)'",
    '"$(pwn f)"',
    "a\nb;pwn g\n",
    "`pwn h`",
    "F\npwn i",
    "a[$(pwn j)]",
  ];
  const next = random(20_240_501);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const scratch = mkdtempSync(join(sandbox.base, "fuzz-")); // random redirections may create files here
  let accepted = 0;
  for (let round = 0; round < 400; round++) {
    let source = "";
    for (let k = 2 + Math.floor(next() * 12); k > 0; k--) source += pick(fragments);
    const parts = source.split("{{ v }}");
    const slots = scanShellSlots(parts.flatMap((text, k) => (k ? [{ output: true as const }, { text }] : [{ text }])));
    if (slots.some((s) => s.kind === "error")) continue;
    let command: string;
    try {
      command = placeValues(
        parts,
        parts.slice(1).map(() => pick(payloads)),
      );
    } catch (e) {
      if (e instanceof ShellValueError) continue;
      throw e;
    }
    accepted++;
    for (const shell of sandbox.shells) {
      expect({ shell, source, ran: sandbox.stubsRun(shell, command, scratch) }).toEqual({ shell, source, ran: "" });
    }
  }
  expect(accepted).toBeGreaterThan(100); // the corpus must exercise accepted commands, not only refusals
});
