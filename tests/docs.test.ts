/**
 * Keeps the documentation honest, cheaply: the commands and options it names exist, the
 * pipeline keys it documents are the schema's (all of them), its links resolve, its
 * complete pipeline examples pass `aiorch validate` (and the ones marked
 * `<!-- invalid -->` fail it), and its SQL runs against a real history database.
 *
 * Markers, on the line before a fenced block:
 *   <!-- invalid -->      a pipeline that `aiorch validate` must refuse
 *   <!-- file: PATH -->   write the block to PATH (next to the page's other examples), e.g. a sub-pipeline
 */
import { Database } from "bun:sqlite";
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { aiorchCommand, REPO_ROOT, runCli, tempDir } from "./helpers/cli.ts";

const PAGES = [
  "README.md",
  ...readdirSync(join(REPO_ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];
const read = (page: string) => readFileSync(join(REPO_ROOT, page), "utf8");

interface Block {
  lang: string;
  body: string;
  /** The `<!-- … -->` comment on the line before the fence, if any. */
  marker: string | undefined;
  line: number;
}

/** Fenced blocks (``` or ~~~), with their language and the marker comment before them. */
function fencedBlocks(text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence)) body.push(lines[j++]!.slice(open[1]!.length));
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === "") k--;
    const marker = k >= 0 ? /^<!--\s*(.*?)\s*-->$/.exec(lines[k]!.trim())?.[1] : undefined;
    blocks.push({ lang: open[3]!, body: body.join("\n"), marker, line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The text outside fenced blocks (block lines blanked, so line numbers stay). */
function prose(text: string): string {
  const lines = text.split("\n");
  let fence: string | undefined;
  return lines
    .map((line) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence) {
        if (marker?.startsWith(fence)) fence = undefined;
        return "";
      }
      if (marker) {
        fence = marker;
        return "";
      }
      return line;
    })
    .join("\n");
}

/** Inline code spans of the prose. */
function codeSpans(text: string): string[] {
  return [...prose(text).matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)].map((m) => m[2]!.trim());
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces → `-`, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const plain = match[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

/** `## heading` sections of a page: heading text → section text (code included). */
function sections(text: string, level: number): { heading: string; body: string }[] {
  const hashes = "#".repeat(level);
  const out: { heading: string; body: string }[] = [];
  const plain = prose(text).split("\n");
  const raw = text.split("\n");
  let current: { heading: string; lines: string[] } | undefined;
  for (let i = 0; i < raw.length; i++) {
    const heading = new RegExp(`^${hashes}\\s+(.+?)\\s*$`).exec(plain[i]!);
    const higher = /^(#+)\s/.exec(plain[i]!);
    if (heading || (higher && higher[1]!.length < level)) {
      if (current) out.push({ heading: current.heading, body: current.lines.join("\n") });
      current = heading ? { heading: heading[1]!, lines: [] } : undefined;
      continue;
    }
    current?.lines.push(raw[i]!);
  }
  if (current) out.push({ heading: current.heading, body: current.lines.join("\n") });
  return out;
}

/** Every place code shows a command line: code-span text and each line of a shell/plain code block. */
function codeLines(text: string): string[] {
  const fromBlocks = fencedBlocks(text)
    .filter((b) => ["", "sh", "bash", "shell", "console", "text"].includes(b.lang))
    .flatMap((b) => b.body.split("\n"));
  return [...codeSpans(text), ...fromBlocks];
}

const FLAG = /(?<![\w$./=-])(--?[a-zA-Z][\w-]*)/g;

/** Options written after `aiorch COMMAND` on one line, up to a pipe, `;`, `&&`, `#` or `)`. */
function commandUses(line: string): { command: string; flags: string[] }[] {
  const uses: { command: string; flags: string[] }[] = [];
  for (const match of line.matchAll(/(?<![\w/.-])aiorch ([a-z][a-z-]*)([^|;&#)]*)/g)) {
    const rest = match[2]!.split(" -- ")[0]!;
    uses.push({ command: match[1]!, flags: [...rest.matchAll(FLAG)].map((m) => normalizeFlag(m[1]!)) });
  }
  return uses;
}

/** `-iname=Ada` is `-i` with its value attached (as the CLI reads it). */
function normalizeFlag(flag: string): string {
  if (/^-i./.test(flag)) return "-i";
  return flag.split("=")[0]!;
}

const GLOBAL_FLAGS = ["--help", "-h", "--version", "-V"];

/** Commands from `aiorch --help`, and each command's options from `aiorch COMMAND --help`. */
const cli: { commands: string[]; flags: Map<string, Set<string>> } = { commands: [], flags: new Map() };

async function helpOf(args: string[]): Promise<string> {
  const child = Bun.spawn([...aiorchCommand(), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const text = await new Response(child.stdout).text();
  expect(await child.exited).toBe(0);
  return text;
}

/** The options in a help text's OPTIONS rows (two spaces in; wrapped text is further in): `-v, --verbose`, `--input <FILE|JSON>`, `--cache, --no-cache`. */
function helpFlags(help: string): Set<string> {
  const flags = new Set(["--help", "-h"]);
  const options = (help.split(/^OPTIONS$/m)[1] ?? "").split(/^EXAMPLES$/m)[0]!;
  for (const line of options.split("\n")) {
    if (!/^ {2}-/.test(line)) continue;
    const names = line.trim().split(/\s{2,}/)[0] ?? "";
    for (const part of names.split(/,\s*/)) {
      const name = /^(--?[a-zA-Z][\w-]*)/.exec(part)?.[1];
      if (!name) continue;
      flags.add(/^--[a-zA-Z]$/.test(name) ? name.slice(1) : name);
    }
  }
  return flags;
}

beforeAll(async () => {
  const top = await helpOf(["--help"]);
  const list = top.split(/^COMMANDS$/m)[1]!.split(/^EXAMPLES$/m)[0]!;
  cli.commands = [...list.matchAll(/^ {2}([a-z][a-z-]*)\s{2,}/gm)].map((m) => m[1]!);
  const helps = await Promise.all(cli.commands.map((c) => helpOf([c, "--help"])));
  cli.commands.forEach((c, i) => cli.flags.set(c, helpFlags(helps[i]!)));
});

describe("docs/cli.md", () => {
  const page = read("docs/cli.md");

  test("the CLI has commands and options to compare with", () => {
    expect(cli.commands).toContain("run");
    expect(cli.flags.get("run")).toContain("--max-cost");
    expect(cli.flags.get("run")).toContain("-i");
  });

  test("has a section for every command, and only for commands", () => {
    const documented = sections(page, 2)
      .map((s) => /^`aiorch ([a-z-]+)`$/.exec(s.heading)?.[1])
      .filter((c): c is string => c !== undefined);
    expect(documented.sort()).toEqual([...cli.commands].sort());
  });

  test("every option named in a command's section is an option of that command", () => {
    const wrong: string[] = [];
    for (const { heading, body } of sections(page, 2)) {
      const command = /^`aiorch ([a-z-]+)`$/.exec(heading)?.[1];
      const known = command
        ? cli.flags.get(command)
        : new Set([...GLOBAL_FLAGS, ...[...cli.flags.values()].flatMap((s) => [...s])]);
      if (!known) continue;
      for (const line of body.split("\n")) {
        if (/unknown option/.test(line)) continue; // examples of a refused option
        for (const m of line.matchAll(FLAG)) {
          const flag = normalizeFlag(m[1]!);
          if (!known.has(flag) && !GLOBAL_FLAGS.includes(flag)) wrong.push(`${heading}: ${flag}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  test("every option of every command is documented in its section", () => {
    const missing: string[] = [];
    for (const { heading, body } of sections(page, 2)) {
      const command = /^`aiorch ([a-z-]+)`$/.exec(heading)?.[1];
      if (!command) continue;
      for (const flag of cli.flags.get(command) ?? []) {
        if (flag === "--help" || flag === "-h") continue;
        // A switch on by default is documented by its --no- form, and the reverse.
        const pair = flag.startsWith("--no-") ? `--${flag.slice(5)}` : `--no-${flag.slice(2)}`;
        const mentioned = (f: string) => new RegExp(`(?<![\\w-])${f.replace(/[-]/g, "\\-")}(?![\\w-])`).test(body);
        if (!mentioned(flag) && !mentioned(pair)) missing.push(`${command}: ${flag}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("commands written in the docs", () => {
  test.each(PAGES)("%s: every `aiorch COMMAND` exists and its options are that command's", (page) => {
    const wrong: string[] = [];
    for (const line of codeLines(read(page))) {
      for (const use of commandUses(line)) {
        if (use.command === "help") continue;
        const known = cli.flags.get(use.command);
        if (!known) {
          wrong.push(`unknown command in: ${line.trim()}`);
          continue;
        }
        for (const flag of use.flags)
          if (!known.has(flag) && !GLOBAL_FLAGS.includes(flag))
            wrong.push(`${flag} is not an option of ${use.command}: ${line.trim()}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/** The property names of a JSON Schema object (not recursing into property values). */
function propertyNames(node: { properties?: Record<string, unknown> }): string[] {
  return Object.keys(node.properties ?? {});
}

describe("docs/pipeline-reference.md", () => {
  const page = read("docs/pipeline-reference.md");
  type Node = {
    properties?: Record<string, Node>;
    patternProperties?: Record<string, Node>;
    anyOf?: Node[];
    type?: string;
  };
  const schema = JSON.parse(read("schemas/pipeline.v1.schema.json")) as Node;
  const only = (map: Record<string, Node> | undefined): Node => Object.values(map ?? {})[0] ?? {};
  const inputField = only(schema.properties?.input?.patternProperties).anyOf?.find((s) => s.type === "object") ?? {};
  const step = only(schema.properties?.steps?.patternProperties);
  const groups: [string, string[]][] = [
    ["Top-level keys", propertyNames(schema)],
    ["Input fields", propertyNames(inputField)],
    ["Step fields", propertyNames(step)],
  ];

  test.each(groups)("section %s documents exactly the schema's keys, one ### section each", (group, keys) => {
    const section = sections(page, 2).find((s) => s.heading === group);
    expect(section).toBeDefined();
    const documented = sections(section!.body, 3).map(
      (s) => /^`([a-z_]+)`$/.exec(s.heading)?.[1] ?? `(not a key: ${s.heading})`,
    );
    expect(documented.filter((k) => !keys.includes(k))).toEqual([]);
    expect(keys.filter((k) => !documented.includes(k))).toEqual([]);
  });
});

describe("links", () => {
  test.each(PAGES)("%s: every relative link resolves (anchors to headings)", (page) => {
    const text = read(page);
    const broken: string[] = [];
    for (const m of prose(text).matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue;
      const [path, anchor] = target.split("#") as [string, string | undefined];
      const file = path === "" ? join(REPO_ROOT, page) : resolve(dirname(join(REPO_ROOT, page)), path);
      if (!existsSync(file)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (
        anchor !== undefined &&
        statSync(file).isFile() &&
        file.endsWith(".md") &&
        !anchors(readFileSync(file, "utf8")).has(anchor)
      ) {
        broken.push(`${target}: no heading with this anchor`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe("docs pages named by the program", () => {
  /** Every `docs/PAGE.md` or `docs/PAGE.md#anchor` written in src/ (hints, messages, comments). */
  function docReferences(): { where: string; page: string; anchor: string | undefined }[] {
    const found: { where: string; page: string; anchor: string | undefined }[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) {
          for (const m of readFileSync(path, "utf8").matchAll(/\bdocs\/([\w-]+\.md)(?:#([\w-]+))?/g)) {
            found.push({ where: path.slice(REPO_ROOT.length + 1), page: `docs/${m[1]}`, anchor: m[2] });
          }
        }
      }
    };
    walk(join(REPO_ROOT, "src"));
    return found;
  }

  test("every docs/PAGE.md#anchor in src/ names a page that exists and a heading it has", () => {
    const references = docReferences();
    expect(references.some((r) => r.page === "docs/config.md" && r.anchor === "keys")).toBe(true);
    const broken = references.filter(
      (r) => !existsSync(join(REPO_ROOT, r.page)) || (r.anchor !== undefined && !anchors(read(r.page)).has(r.anchor)),
    );
    expect(broken).toEqual([]);
  });
});

describe("pipeline examples", () => {
  const COMPLETE = /^steps:/m;

  test.each(PAGES)("%s: complete yaml pipelines validate; ones marked invalid do not", (page) => {
    const blocks = fencedBlocks(read(page)).filter((b) => b.lang === "yaml" || b.lang === "yml");
    const dir = tempDir("docs");
    const expectations: { file: string; valid: boolean; line: number }[] = [];
    blocks.forEach((block, i) => {
      const named = block.marker?.startsWith("file:") ? block.marker.slice(5).trim() : undefined;
      const complete = COMPLETE.test(block.body);
      if (!complete && !named) return;
      const file = join(dir, named ?? `block-${i + 1}-line-${block.line}.yaml`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${block.body}\n`);
      if (complete) expectations.push({ file, valid: block.marker !== "invalid", line: block.line });
    });
    // The reference pages are made of examples: a parser slip must not skip them silently.
    if (["docs/pipeline-reference.md", "docs/templates.md"].includes(page))
      expect(expectations.length).toBeGreaterThan(5);
    if (expectations.length === 0) return;
    const r = runCli(["validate", ...expectations.map((e) => e.file), "--format", "json"], { cwd: dir });
    const parsed = JSON.parse(r.stdout) as
      | { file: string; valid: boolean; errors: { message: string }[] }
      | { file: string; valid: boolean; errors: { message: string }[] }[];
    const reports = Array.isArray(parsed) ? parsed : [parsed];
    const wrong = expectations.flatMap((e, i) => {
      const report = reports[i]!;
      if (report.valid === e.valid) return [];
      return [
        `${page}:${e.line}: expected ${e.valid ? "valid" : "invalid"}${report.errors.length ? `; errors: ${report.errors.map((x) => x.message).join(" | ")}` : ""}`,
      ];
    });
    expect(wrong).toEqual([]);
  });
});

describe("docs/history.md", () => {
  const page = read("docs/history.md");
  let db: Database;

  beforeAll(() => {
    // A real history: a foreach, a flow, a failed step with a handler, a skipped step.
    const dir = tempDir("docs-history");
    const home = join(dir, "home");
    writeFileSync(join(dir, "sub.yaml"), ["name: sub", "steps:", "  inner:", "    run: echo inner"].join("\n"));
    writeFileSync(
      join(dir, "p.yaml"),
      [
        "name: docs-history",
        "steps:",
        "  each:",
        "    foreach: [1, 2, 3]",
        "    run: echo {{ item }}",
        "  nested:",
        "    flow: sub.yaml",
        "  boom:",
        "    run: exit 3",
        "    on_failure: cleanup",
        "  after:",
        "    run: echo never",
        "    depends: [boom]",
        "  cleanup:",
        "    run: echo cleaned",
      ].join("\n"),
    );
    const r = runCli(["run", join(dir, "p.yaml")], { cwd: dir, env: { AIORCH_HOME: home } });
    expect(r.exitCode).toBe(1);
    db = new Database(join(home, "history.db"), { readonly: true });
  });

  test("every column of every table is documented, and every documented column exists", () => {
    const tables = ["runs", "steps", "items", "llm_cache"];
    for (const table of tables) {
      const section = sections(page, 3).find((s) => s.heading === `\`${table}\``);
      expect(section, `a ### \`${table}\` section`).toBeDefined();
      const documented = [...section!.body.matchAll(/^\|\s*`([a-z_]+)`/gm)].map((m) => m[1]!);
      const actual = db
        .query<{ name: string }, []>(`PRAGMA table_info(${table})`)
        .all()
        .map((c) => c.name);
      expect({ table, documented: documented.sort() }).toEqual({ table, documented: [...actual].sort() });
    }
  });

  test("every ```sql block runs against the schema", () => {
    const queries = fencedBlocks(page).filter((b) => b.lang === "sql");
    expect(queries.length).toBeGreaterThan(3);
    for (const q of queries) {
      expect(() => db.query(q.body).all(), `docs/history.md:${q.line}`).not.toThrow();
    }
  });
});
