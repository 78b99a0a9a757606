/**
 * The shell corpus (`shell-corpus.txt`, issue 10 part 3): realistic `run:` commands
 * with template values. The measure of "precise, not conservative": no safe line is
 * refused; each renders with sample values to text that `bash -n` and `dash -n` parse;
 * and with hostile values each either fails to render or — run by dash, bash and
 * bash --posix with stub commands that only log — runs no payload.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { TemplateRenderError, checkTemplate, compileTemplate } from "../../src/template/index.ts";
import { shellSandbox } from "./shell-sandbox.ts";

interface Entry {
  source: string;
  /** Marked `## bash`: uses bash syntax (`[[`, `((`, arrays, `<<<`, `<( )`), parsed and run by bash only. */
  bashOnly: boolean;
}

/** Entries are separated by blank lines; `## ` lines are notes (`## bash` marks the next entry). */
function readCorpus(): Entry[] {
  const text = readFileSync(join(import.meta.dir, "shell-corpus.txt"), "utf8");
  const entries: Entry[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n");
    const notes = lines.filter((l) => l.startsWith("## "));
    const source = lines.filter((l) => !l.startsWith("## ")).join("\n");
    if (source.trim() !== "") entries.push({ source, bashOnly: notes.some((n) => n.trim() === "## bash") });
  }
  return entries;
}

const NUMBERS = [
  "n",
  "count",
  "port",
  "limit",
  "timeout",
  "retries",
  "days",
  "size",
  "width",
  "threads",
  "idx",
  "offset",
  "lines",
  "depth",
];
const MORE_NUMBERS = ["year", "batch", "max", "a_num", "b_num", "i", "col"];
const STRINGS = [
  "file",
  "input",
  "output",
  "dir",
  "src",
  "dest",
  "name",
  "user",
  "host",
  "url",
  "pattern",
  "key",
  "value",
  "branch",
  "tag",
  "msg",
];
const MORE_STRINGS = [
  "env",
  "region",
  "bucket",
  "path",
  "ext",
  "sep",
  "label",
  "title",
  "text",
  "word",
  "prefix",
  "suffix",
  "service",
  "table",
];
const OTHER_STRINGS = [
  "db",
  "mode",
  "target",
  "tool",
  "image",
  "email",
  "feature",
  "filter",
  "expr",
  "body",
  "chars",
  "answer",
  "a",
  "b",
  "c",
  "level",
];

/** Sample values: what a pipeline would pass. */
function sampleContext(): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  [...NUMBERS, ...MORE_NUMBERS].forEach((k, j) => (context[k] = k === "year" ? 2024 : k === "col" ? 2 : (j % 5) + 1));
  [...STRINGS, ...MORE_STRINGS, ...OTHER_STRINGS].forEach((k) => (context[k] = `sample-${k}`));
  Object.assign(context, {
    url: "https://example.com/a?b=1&c=2",
    pattern: "error|warn",
    filter: ".items[] | .name",
    expr: "s/a/b/g",
    body: '{"a": 1}',
    sep: ",",
    text: "it's a test",
    items: ["alpha", "beta gamma"],
    cfg: { name: "demo", replicas: 2 },
    report: { total: 12, ok: 10, name: "daily" },
    verbose: true,
    dry_run: false,
  });
  return context;
}

const PAYLOADS = [
  "$(pwn a)",
  "'; pwn b; '",
  "`pwn c`",
  "x\npwn d",
  "a;pwn e",
  '"; pwn f; "',
  "EOF\npwn g",
  "$(pwn h)x",
  "a[$(pwn i)]",
  "-e pwn j",
];

/** Hostile values: every string a payload, numbers left numbers (a payload there must fail to render). */
function hostileContext(seed: number): Record<string, unknown> {
  const context = sampleContext();
  let k = seed;
  for (const key of Object.keys(context)) {
    const v = context[key];
    if (typeof v === "string") context[key] = PAYLOADS[k++ % PAYLOADS.length];
  }
  context.items = [PAYLOADS[seed % PAYLOADS.length], "a b"];
  context.cfg = { name: "$(pwn k)" };
  context.report = { total: 3, ok: 2, name: "`pwn l`" };
  return context;
}

const corpus = readCorpus();
const sandbox = shellSandbox();
afterAll(() => sandbox.cleanup());

/** A PATH of the stubs and a few real tools, so the corpus runs fast and offline (no ssh, curl, docker…). */
function toolPath(): string {
  const dir = join(sandbox.base, "tools");
  mkdirSync(dir, { recursive: true });
  const tools = [
    "cat",
    "sort",
    "uniq",
    "head",
    "tail",
    "wc",
    "tr",
    "cut",
    "sed",
    "awk",
    "grep",
    "find",
    "xargs",
    "basename",
    "dirname",
  ];
  const more = [
    "mkdir",
    "cp",
    "mv",
    "ls",
    "date",
    "seq",
    "paste",
    "tee",
    "mktemp",
    "jq",
    "gzip",
    "tar",
    "stat",
    "fold",
    "nl",
    "rev",
    "diff",
  ];
  for (const tool of [
    ...tools,
    ...more,
    "comm",
    "join",
    "base64",
    "chmod",
    "ln",
    "realpath",
    "readlink",
    "env",
    "printenv",
    "yes",
    "column",
  ]) {
    const path = Bun.which(tool, { PATH: "/usr/bin:/bin" });
    if (path) symlinkSync(path, join(dir, tool));
  }
  return `${(sandbox.env.PATH ?? "").split(":")[0]}:${dir}`;
}

const shellsFor = (entry: Entry) => (entry.bashOnly ? sandbox.shells.filter((s) => s !== "/bin/sh") : sandbox.shells);

describe("the shell corpus", () => {
  test("has at least 300 entries", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
  });

  test("no entry is refused at load time", () => {
    const refused = corpus
      .filter((e) => checkTemplate(e.source, "shell").length)
      .map((e) => ({ source: e.source, errors: checkTemplate(e.source, "shell").map((x) => x.message) }));
    expect(refused).toEqual([]);
  });

  test("every entry renders with sample values to text that bash -n and dash -n parse", () => {
    const context = sampleContext();
    const failures: unknown[] = [];
    for (const entry of corpus) {
      const command = compileTemplate(entry.source, "shell").render(context);
      for (const shell of entry.bashOnly ? ["bash"] : ["bash", "dash"]) {
        const proc = Bun.spawnSync([shell, "-n", "-c", command], { stdout: "pipe", stderr: "pipe" });
        if (proc.exitCode !== 0)
          failures.push({ shell, source: entry.source, command, stderr: proc.stderr.toString() });
      }
    }
    expect(failures).toEqual([]);
  });

  test("with hostile values each entry fails to render or runs no payload (dash, bash, bash --posix)", () => {
    const env = { ...sandbox.env, PATH: toolPath() };
    const scratch = mkdtempSync(join(sandbox.base, "corpus-"));
    let ran = 0;
    let refused = 0;
    const leaks: unknown[] = [];
    corpus.forEach((entry, k) => {
      let command: string;
      try {
        command = compileTemplate(entry.source, "shell").render(hostileContext(k));
      } catch (e) {
        if (!(e instanceof TemplateRenderError)) throw e;
        refused++;
        return;
      }
      for (const shell of shellsFor(entry)) {
        Bun.spawnSync([...shell.split(" "), "-c", command], {
          cwd: scratch,
          env,
          stdin: "ignore",
          stdout: "ignore",
          stderr: "ignore",
          timeout: 1500,
        });
        ran++;
        const log = sandbox.canary(); // what the stubs logged, emptied
        if (log.includes("ran pwn")) leaks.push({ shell, source: entry.source, command, log });
      }
    });
    expect(leaks).toEqual([]);
    expect(ran).toBeGreaterThan(corpus.length * 2); // most entries run, in every shell
    console.log(
      `shell corpus: ${corpus.length} entries, 0 refused at load; hostile values: ${ran} shell runs, ${refused} entries refused at render, no payload ran`,
    );
  }, 600_000);
});
