/**
 * Hostile values through real shells: every value must come out byte for byte, and
 * nothing else may run. Commands are built twice — with the shell-scan functions
 * directly, and through the public engine (`compileTemplate(src, "shell").render`).
 *
 * Safety of the test itself: the shells run with a PATH whose first entry holds stub
 * `rm`, `id`, `touch`, `pwn`, … that only log to a canary file, so a quoting bug shows
 * up as a log line instead of running `rm -rf /`. The cwd is an empty temp dir that
 * must stay empty.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileTemplate } from "../../src/template/index.ts";
import { insertIntoSlot, scanShellSlots, ShellValueError } from "../../src/template/shell-scan.ts";

/** The same job as the engine, from this layer's own functions: `{{ name }}` tags only. */
function renderOwn(source: string, vars: Record<string, string>): string {
  const parts = source.split(/\{\{\s*(\w+)\s*\}\}/);
  const pieces: Array<{ text: string } | { output: true }> = [];
  parts.forEach((part, k) => pieces.push(k % 2 ? { output: true } : { text: part }));
  const slots = scanShellSlots(pieces);
  return parts.map((part, k) => (k % 2 ? insertIntoSlot(vars[part] ?? "", slots[(k - 1) / 2]!) : part)).join("");
}

const RENDERERS = [
  { name: "shell-scan functions", render: renderOwn },
  { name: "compileTemplate", render: (source: string, vars: Record<string, string>) => compileTemplate(source, "shell").render(vars) },
] as const;

// ---- a sandbox for the shells -----------------------------------------------------
const base = mkdtempSync(join(tmpdir(), "aiorch-hostile-"));
const bin = join(base, "bin");
const cwd = join(base, "work");
const canary = join(base, "canary.log");
mkdirSync(bin);
mkdirSync(cwd);
for (const name of ["rm", "id", "touch", "pwn", "whoami", "curl", "sh", "bash", "echo"]) {
  writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "ran ${name} $*" >> '${canary}'\n`);
  chmodSync(join(bin, name), 0o755);
}
afterAll(() => rmSync(base, { recursive: true, force: true }));

const SHELLS = ["/bin/sh", Bun.which("bash")].filter((s): s is string => typeof s === "string");
const ENV = { PATH: `${bin}:/usr/bin:/bin`, HOME: "/home/EXPANDED-HOME", LC_ALL: "C.UTF-8" };

/** Runs `command` in every shell; asserts exit 0, exact stdout bytes, and that nothing else ran. */
function expectRuns(command: string, expected: string): void {
  for (const shell of SHELLS) {
    const proc = Bun.spawnSync([shell, "-c", command], { cwd, env: ENV, stdout: "pipe", stderr: "pipe" });
    const ran = existsSync(canary) ? readFileSync(canary, "utf8") : "";
    rmSync(canary, { force: true });
    expect({ shell, ran, files: readdirSync(cwd), stderr: proc.stderr.toString(), exitCode: proc.exitCode }).toEqual({
      shell,
      ran: "",
      files: [],
      stderr: "",
      exitCode: 0,
    });
    expect({ shell, stdout: proc.stdout.toString("utf8") }).toEqual({ shell, stdout: expected });
    expect(Buffer.from(proc.stdout).equals(Buffer.from(expected, "utf8"))).toBe(true); // bytes, not just UTF-16
  }
}

// ---- values and the places they go ------------------------------------------------
let allAscii = "";
for (let code = 1; code < 0x80; code++) allAscii += String.fromCharCode(code);
const tenKb = Array.from({ length: 400 }, (_, k) => `${k}: it's "$(id)" \`id\` ; rm -rf / *\n`).join("").slice(0, 10_240);

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
  { name: "word on a heredoc's line", source: "cat <<EOF; printf '%s' {{ v }}\nbody\nEOF", expected: (v) => `body\n${v}` },
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
          if (form.heredoc) expect(() => renderer.render(form.source, { v: value })).toThrow("heredoc terminator");
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

/** Seeded PRNG (mulberry32) so the random corpus below is the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("random shell text around {{ v }}: every output is refused, or nothing else runs", () => {
  const fragments = [
    ...["{{ v }}", "{{ v }}", " ", " ", "\n", "\t", "'", '"', "`", "\\", "\\\n", "#", ";", ";;", "|", "&&", "=", "~", "$"],
    ...["$(", ")", "(", "((", "))", "$((", "${", "}", "{", "$'", '$"', "[[ ", " -eq ", " ]]", "arr[", "]=1", "x=1 ", "<(", ">"],
    ...["<<", "<<-", "<<EOF", "<<'EOF'", "<<\\EOF", "<<-EOF", "\nEOF\n", "\n\tEOF\n", "EOF", "E", "OF", "case x in", " a)", "esac"],
    ...["echo", "cat", "printf", "x", "$x", "a,b", "<<<", "declare ", "let "],
  ];
  const payloads = ["x'\"`$(pwn a)`pwn b`;pwn c\n pwn d #\\", "'$(pwn e)'", '"$(pwn f)"', "a\nb;pwn g\n", "`pwn h`", "F\npwn i", "a[$(pwn j)]"];
  const next = random(20_240_501);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const scratch = mkdtempSync(join(base, "fuzz-")); // random redirections may create files here
  let accepted = 0;
  for (let round = 0; round < 400; round++) {
    let source = "";
    for (let k = 2 + Math.floor(next() * 12); k > 0; k--) source += pick(fragments);
    const parts = source.split("{{ v }}");
    const slots = scanShellSlots(parts.flatMap((text, k) => (k ? [{ output: true as const }, { text }] : [{ text }])));
    if (slots.some((s) => s.kind === "error")) continue;
    let command: string;
    try {
      command = parts.map((text, k) => (k ? insertIntoSlot(pick(payloads), slots[k - 1]!) + text : text)).join("");
    } catch (e) {
      if (e instanceof ShellValueError) continue;
      throw e;
    }
    accepted++;
    for (const shell of SHELLS) {
      Bun.spawnSync([shell, "-c", command], { cwd: scratch, env: ENV, stdin: "ignore", stdout: "ignore", stderr: "ignore", timeout: 5000 });
      const ran = existsSync(canary) ? readFileSync(canary, "utf8") : "";
      rmSync(canary, { force: true });
      expect({ shell, source, ran }).toEqual({ shell, source, ran: "" });
    }
  }
  expect(accepted).toBeGreaterThan(100); // the corpus must exercise accepted commands, not only refusals
});
