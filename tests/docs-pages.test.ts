/**
 * Keeps the documentation honest, cheaply: the pipeline keys it documents are the schema's
 * (all of them), its links resolve (and so do the docs pages the program names), its
 * complete pipeline examples pass `aiorch validate` (and the ones marked `<!-- invalid -->`
 * fail it), and its SQL runs against a real history database. The commands and options it
 * names: docs-cli.test.ts.
 *
 * Markers, on the line before a fenced block:
 *   <!-- invalid -->      a pipeline that `aiorch validate` must refuse
 *   <!-- file: PATH -->   write the block to PATH (next to the page's other examples), e.g. a sub-pipeline
 */
import { Database } from "bun:sqlite";
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { REPO_ROOT, runCli, tempDir } from "./helpers/cli.ts";
import { anchors, fencedBlocks, PAGES, prose, read, sections } from "./helpers/markdown.ts";

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
