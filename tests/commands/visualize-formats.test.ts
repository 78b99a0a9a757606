/**
 * `aiorch visualize --format mermaid|dot` (issue 13 item 13): the text is read back with a
 * small parser of each language and must give exactly the steps and edges that
 * `--format json` gives, names with `-`, a Mermaid keyword (`end`) and a condition full of
 * quotes and `#` included; foreach and conditional steps are marked; handlers are joined by
 * dashed edges. With Graphviz installed, `dot -Tsvg` must accept the digraph.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const TRICKY = `
name: demo.v2
steps:
  fetch-data:
    run: echo hi
  parse_rows:
    depends: [fetch-data]
    python: "result = [1, 2]"
  end:
    depends: [parse_rows]
    foreach: "[1, 2]"
    run: echo {{ item }}
  notify:
    depends: [fetch-data, parse_rows]
    condition: 'parse_rows | length > 1 and "a#b;<i>" != "x"'
    run: echo n
    on_failure: alert
  alert:
    run: echo alert
`;

/** A layered random DAG of `n` steps with `-` in their names (deterministic). */
function randomPipeline(n: number): string {
  let state = 7;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ["name: wide-dag", "steps:"];
  for (let i = 0; i < n; i++) {
    const parents = [
      ...new Set(Array.from({ length: i === 0 ? 0 : 1 + Math.floor(next() * 3) }, () => Math.floor(next() * i))),
    ];
    lines.push(`  step-${i}:`, "    run: echo x");
    if (parents.length > 0) lines.push(`    depends: [${parents.map((p) => `step-${p}`).join(", ")}]`);
  }
  return lines.join("\n");
}

function pipelineFile(text: string): string {
  const dir = tempDir("visualize");
  made.push(dir);
  writeFileSync(join(dir, "p.yaml"), text);
  return join(dir, "p.yaml");
}

function visualize(file: string, format: string): string {
  const r = runCli(["visualize", file, "--format", format]);
  expect({ format, exitCode: r.exitCode }).toEqual({ format, exitCode: 0 });
  return r.stdout;
}

interface ReadBack {
  /** Step name → shape (mermaid: `[`, `[[`, `{{`; dot: its attributes). */
  nodes: Map<string, { label: string; shape: string }>;
  edges: string[];
  failureEdges: string[];
}

/** Reads a Mermaid flowchart as visualize writes it; every line must be understood. */
function readMermaid(text: string): ReadBack {
  const lines = text.trimEnd().split("\n");
  expect(lines[0]).toStartWith("%% pipeline ");
  expect(lines[1]).toBe("flowchart TD");
  const names = new Map<string, string>();
  const read: ReadBack = { nodes: new Map(), edges: [], failureEdges: [] };
  const decode = (s: string) => s.replace(/#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  for (const line of lines.slice(2)) {
    const node = /^ {2}(s\d+)(\[\[|\{\{|\[)"([^"]*)"(\]\]|\}\}|\])$/.exec(line);
    const edge = /^ {2}(s\d+) (-->|-\. on failure \.->) (s\d+)$/.exec(line);
    if (node) {
      const [name, details] = node[3]!.split("<br/>").map(decode);
      names.set(node[1]!, name!);
      read.nodes.set(name!, { label: details!, shape: node[2]! });
    } else if (edge) {
      const pair = `${names.get(edge[1]!)} -> ${names.get(edge[3]!)}`;
      (edge[2] === "-->" ? read.edges : read.failureEdges).push(pair);
    } else throw new Error(`unexpected mermaid line: ${line}`);
  }
  return read;
}

const DOT_ID = String.raw`"(?:[^"\\]|\\.)*"`;

/** Reads a Graphviz digraph as visualize writes it; every line must be understood. */
function readDot(text: string): ReadBack {
  const lines = text.trimEnd().split("\n");
  expect(lines[0]).toMatch(new RegExp(`^digraph ${DOT_ID} \\{$`));
  expect(lines.at(-1)).toBe("}");
  const read: ReadBack = { nodes: new Map(), edges: [], failureEdges: [] };
  const unquote = (s: string) => JSON.parse(s) as string;
  for (const line of lines.slice(1, -1)) {
    const node = new RegExp(`^ {2}(${DOT_ID}) \\[label=(${DOT_ID})(.*)\\];$`).exec(line);
    const edge = new RegExp(`^ {2}(${DOT_ID}) -> (${DOT_ID})( \\[style=dashed, label="on failure"\\])?;$`).exec(line);
    if (node) {
      const [name, details] = unquote(node[2]!).split("\n");
      expect(unquote(node[1]!)).toBe(name!);
      read.nodes.set(name!, { label: details!, shape: node[3]! });
    } else if (edge) {
      (edge[3] ? read.failureEdges : read.edges).push(`${unquote(edge[1]!)} -> ${unquote(edge[2]!)}`);
    } else if (!/^ {2}(rankdir=TB|node \[shape=box, fontname="Helvetica"\]);$/.test(line)) {
      throw new Error(`unexpected dot line: ${line}`);
    }
  }
  return read;
}

/** What `--format json` says: the truth the other formats must match. */
function truth(file: string): { names: string[]; edges: string[] } {
  const doc = JSON.parse(visualize(file, "json")) as {
    nodes: { name: string }[];
    edges: [string, string][];
    handlers: { name: string }[];
  };
  return {
    names: [...doc.nodes.map((n) => n.name), ...doc.handlers.map((h) => h.name)].sort(),
    edges: doc.edges.map(([a, b]) => `${a} -> ${b}`).sort(),
  };
}

describe("visualize --format mermaid|dot", () => {
  test.each([["mermaid"], ["dot"]])(
    "%s: every step and edge, names and conditions escaped, foreach and condition marked",
    (format) => {
      const file = pipelineFile(TRICKY);
      const read = (format === "mermaid" ? readMermaid : readDot)(visualize(file, format));
      const { names, edges } = truth(file);
      expect([...read.nodes.keys()].sort()).toEqual(names);
      expect([...read.edges].sort()).toEqual(edges);
      expect(read.failureEdges).toEqual(["notify -> alert"]);
      expect(read.nodes.get("notify")!.label).toBe('run · if parse_rows | length > 1 and "a#b;<i>" != "x"');
      expect(read.nodes.get("end")!.label).toBe("run · foreach [1, 2]");
      expect(read.nodes.get("parse_rows")!.label).toBe("python");
      const shape = (name: string) => read.nodes.get(name)!.shape;
      if (format === "mermaid") expect([shape("fetch-data"), shape("end"), shape("notify")]).toEqual(["[", "[[", "{{"]);
      else
        expect([shape("fetch-data"), shape("end"), shape("notify")]).toEqual([
          "",
          ", shape=box3d",
          ', style="rounded,dashed"',
        ]);
    },
  );

  test("a 60-step random DAG reads back to the edges of --format json in both languages", () => {
    const file = pipelineFile(randomPipeline(60));
    const { names, edges } = truth(file);
    expect(edges.length).toBeGreaterThan(60);
    for (const read of [readMermaid(visualize(file, "mermaid")), readDot(visualize(file, "dot"))]) {
      expect([...read.nodes.keys()].sort()).toEqual(names);
      expect([...read.edges].sort()).toEqual(edges);
    }
  });

  test("ascii stays the default, text is the same, and an unknown format is refused", () => {
    const file = pipelineFile(TRICKY);
    const ascii = visualize(file, "ascii");
    expect(ascii).toContain("parse_rows [python]  <- fetch-data");
    expect(ascii).toContain("on failure of notify: alert [run]");
    expect(visualize(file, "text")).toBe(ascii);
    expect(runCli(["visualize", file]).stdout).toBe(ascii);
    const bad = runCli(["visualize", file, "--format", "svg"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("svg");
  });

  test("Graphviz accepts the digraph (when dot is installed; else the text is checked for balanced quotes)", () => {
    const text = visualize(pipelineFile(TRICKY), "dot");
    const unescapedQuotes = text.replace(/\\./g, "").split('"').length - 1;
    expect(unescapedQuotes % 2).toBe(0);
    if (Bun.which("dot") === null) return;
    const svg = Bun.spawnSync(["dot", "-Tsvg"], { stdin: new TextEncoder().encode(text) });
    expect(svg.exitCode).toBe(0);
    expect(svg.stdout.toString()).toContain("fetch&#45;data");
  });
});
