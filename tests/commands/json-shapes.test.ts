/**
 * The JSON documents of `run`, `resume`, `history`, `history RUN_ID`, `trace`, `dashboard`,
 * `cache stats` and the error document are checked, key for key and type for type, against
 * the shapes docs/cli.md shows ("JSON output": the fenced blocks after a
 * `<!-- json-shape: NAME -->` line), so the page cannot go stale. Real runs against the
 * local LLM server fill every list the shapes describe (failed items, flow steps, items).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";
import { behave, startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { writePythonHistory } from "../history/python-fixture.ts";
import { aiorch, removeScratch, scratch, SLOW, type RunOutcome } from "../run/harness.ts";

type Shape = string | Shape[] | { [key: string]: Shape };

/** The shapes of docs/cli.md by name. */
function documentedShapes(): Map<string, Shape> {
  const text = readFileSync(join(REPO_ROOT, "docs/cli.md"), "utf8");
  const shapes = new Map<string, Shape>();
  for (const match of text.matchAll(/<!-- json-shape: ([a-z-]+) -->\n```json\n([\s\S]*?)\n```/g)) {
    expect(shapes.has(match[1]!), `shape ${match[1]} twice`).toBe(false);
    shapes.set(match[1]!, JSON.parse(match[2]!) as Shape);
  }
  return shapes;
}

const TYPES: Record<string, (value: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number" && Number.isFinite(v),
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === "boolean",
  null: (v) => v === null,
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  any: () => true,
};

/** Checks documents against the shapes; remembers which shapes met a real value. */
class ShapeChecker {
  readonly used = new Set<string>();
  constructor(readonly shapes: Map<string, Shape>) {}

  /** The differences between `value` and the shape `name`, as `path: problem` lines. */
  check(name: string, value: unknown): string[] {
    return this.match(`@${name}`, value, name);
  }

  private named(name: string): Shape {
    const shape = this.shapes.get(name);
    if (shape === undefined) throw new Error(`docs/cli.md has no shape @${name}`);
    return shape;
  }

  private match(shape: Shape, value: unknown, path: string): string[] {
    if (typeof shape === "string") return this.alternatives(shape, value, path);
    if (Array.isArray(shape)) {
      if (!Array.isArray(value)) return [`${path}: a list expected, got ${JSON.stringify(value)}`];
      return value.flatMap((element, i) => this.match(shape[0]!, element, `${path}[${i}]`));
    }
    if (!TYPES.object!(value)) return [`${path}: an object expected, got ${JSON.stringify(value)}`];
    const keys = this.keysOf(shape);
    const object = value as Record<string, unknown>;
    const problems: string[] = [];
    for (const [key, { shape: keyShape, optional }] of keys) {
      if (!(key in object)) {
        if (!optional) problems.push(`${path}.${key}: missing`);
        continue;
      }
      problems.push(...this.match(keyShape, object[key], `${path}.${key}`));
    }
    for (const key of Object.keys(object))
      if (!keys.has(key)) problems.push(`${path}.${key}: not in the documented shape`);
    return problems;
  }

  /** The keys of an object shape, `"...": "@name"` expanded. */
  private keysOf(shape: { [key: string]: Shape }): Map<string, { shape: Shape; optional: boolean }> {
    const keys = new Map<string, { shape: Shape; optional: boolean }>();
    for (const [key, keyShape] of Object.entries(shape)) {
      if (key === "...") {
        const name = String(keyShape).replace(/^@/, "");
        this.used.add(name);
        const included = this.named(name);
        if (typeof included !== "object" || Array.isArray(included))
          throw new Error(`"...": @${name} is not an object shape`);
        for (const [k, v] of this.keysOf(included)) keys.set(k, v);
      } else keys.set(key.replace(/\?$/, ""), { shape: keyShape, optional: key.endsWith("?") });
    }
    return keys;
  }

  private alternatives(shape: string, value: unknown, path: string): string[] {
    const failures: string[][] = [];
    for (const alternative of shape.split("|").map((a) => a.trim())) {
      if (alternative.startsWith("@")) {
        const problems = this.match(this.named(alternative.slice(1)), value, path);
        if (problems.length === 0) {
          this.used.add(alternative.slice(1));
          return [];
        }
        failures.push(problems);
      } else if (/^'.*'$/.test(alternative)) {
        if (value === alternative.slice(1, -1)) return [];
      } else {
        const test = TYPES[alternative];
        if (!test) throw new Error(`unknown type "${alternative}" in the shape of ${path}`);
        if (test(value)) return [];
      }
    }
    return failures.length === 1 && !shape.includes("|")
      ? failures[0]!
      : [
          `${path}: ${JSON.stringify(value)} is not ${shape}${failures.length ? ` (${failures.flat().join("; ")})` : ""}`,
        ];
  }
}

let server: LlmServer;
let cwd: string;
const shapes = documentedShapes();
const checker = new ShapeChecker(shapes);

beforeAll(async () => {
  server = await startLlmServer({
    rule: (request) =>
      JSON.stringify(request.messages).includes("about bad") ? behave.serverError(400, "refused") : undefined,
  });
  cwd = scratch("json-shapes");
  writeFileSync(
    join(cwd, "aiorch.yaml"),
    `llm:\n  base_url: ${server.url}\n  api_key: test\n  prices:\n    gpt-4o-mini: { input: 0.15, output: 0.6 }\n`,
  );
  writeFileSync(join(cwd, "sub.yaml"), "name: sub\nsteps:\n  inner:\n    run: echo inner\n");
  writeFileSync(
    join(cwd, "p.yaml"),
    [
      "name: shapes",
      "input:",
      "  topics: { type: list, default: [owls, bad, bees] }",
      "steps:",
      "  ask:",
      "    model: gpt-4o-mini",
      '    foreach: "{{ topics }}"',
      "    on_item_failure: continue",
      '    prompt: "Tell me about {{ item }}"',
      "  sub:",
      "    flow: sub.yaml",
      "  gate:",
      "    depends: [ask]",
      "    run: test -f gate-open",
      "  after:",
      "    depends: [gate]",
      "    run: echo done",
      "",
    ].join("\n"),
  );
  writeFileSync(join(cwd, "bad.yaml"), "name: bad\nsteps:\n  a:\n    runn: echo\n");
});
afterAll(async () => {
  await server.stop();
  removeScratch();
});

const cli = (args: string[]) => aiorch(args, { cwd });

/** stdout as one JSON document, checked against shape `name`. */
function expectShape(name: string, outcome: RunOutcome, exitCode: number): Record<string, unknown> {
  expect({ exitCode: outcome.exitCode, stderr: exitCode === 0 ? outcome.stderr : "" }).toEqual({
    exitCode,
    stderr: "",
  });
  const document = JSON.parse(outcome.stdout) as unknown;
  expect({ shape: name, problems: checker.check(name, document) }).toEqual({ shape: name, problems: [] });
  checker.used.add(name);
  return document as Record<string, unknown>;
}

describe("the JSON documents are the shapes docs/cli.md shows", () => {
  test("docs/cli.md shows the shapes", () => {
    expect([...shapes.keys()].sort()).toEqual(
      [
        "cache-stats",
        "dashboard",
        "diagnostic",
        "error",
        "failed-attempt",
        "failed-item",
        "history",
        "history-run",
        "imported",
        "item",
        "items",
        "period",
        "run",
        "run-document",
        "step",
        "step-counts",
        "trace",
        "trace-step",
      ].sort(),
    );
  });

  test(
    "run, history, history RUN_ID, trace (-v), resume, cache stats, dashboard",
    async () => {
      const run = expectShape("run-document", await cli(["run", "p.yaml", "--format", "json"]), 1);
      const steps = run.steps as { name: string; status: string; failed_items: unknown[] }[];
      // Every list the shapes describe has something in it.
      expect(steps.map((s) => [s.name, s.status])).toContainEqual(["sub/inner", "success"]);
      expect(steps.find((s) => s.name === "ask")!.failed_items).toHaveLength(1);
      expect(steps.find((s) => s.name === "after")!.status).toBe("skipped");

      expect(
        (expectShape("history", await cli(["history", "--format", "json"]), 0) as unknown as unknown[]).length,
      ).toBe(1);
      const summary = expectShape("history-run", await cli(["history", "last", "--format", "json"]), 0);
      const trace = expectShape("trace", await cli(["trace", "last", "--format", "json"]), 0);
      expect(trace.steps).toEqual(
        (run.steps as Record<string, unknown>[]).map((step) =>
          expect.objectContaining({
            name: step.name,
            status: step.status,
            items: step.items,
            failed_items: step.failed_items,
          }),
        ),
      );
      expect(summary.step_counts).toEqual(run.step_counts);
      const verbose = expectShape("trace", await cli(["trace", "last", "-v", "--format", "json"]), 0);
      expect((verbose.steps as { all_items?: unknown[] }[]).find((s) => s.all_items)?.all_items).toHaveLength(3);

      writeFileSync(join(cwd, "gate-open"), "");
      const resumed = expectShape("run-document", await cli(["resume", "last", "--format", "json"]), 0);
      expect(resumed.resumed_from).toBe(run.run_id);
      expect(resumed.step_counts).toMatchObject({ reused: 2 });

      const cache = expectShape("cache-stats", await cli(["cache", "stats", "--format", "json"]), 0);
      expect(cache.entries).toBe(2);
      expect(Date.parse(String(cache.oldest))).toBeGreaterThan(0);
      expectShape("dashboard", await cli(["dashboard", "--format", "json"]), 0);
    },
    SLOW * 2,
  );

  test(
    "every failure under --format json: the error document on stdout, the message on stderr",
    async () => {
      for (const [args, kind] of [
        [["trace", "nope1", "--format", "json"], "user_error"],
        [["history", "--limit", "0", "--format=json"], "user_error"],
        [["run", "bad.yaml", "--format", "json"], "invalid_pipeline"],
        [["plan", "bad.yaml", "--json"], "invalid_pipeline"],
        [["cache", "purge", "--format", "json"], "user_error"],
        [["trace", "--format", "json"], "user_error"],
      ] as const) {
        const outcome = await cli([...args]);
        expect({ args, exitCode: outcome.exitCode }).toEqual({ args, exitCode: 2 });
        const document = JSON.parse(outcome.stdout) as {
          error: { kind: string; message: string; diagnostics: unknown[] };
        };
        expect({ args, problems: checker.check("error", document) }).toEqual({ args, problems: [] });
        expect(document.error.kind).toBe(kind);
        expect(outcome.stderr).toContain(
          kind === "invalid_pipeline" ? "unknown key `runn`" : `error: ${document.error.message}`,
        );
        if (kind === "invalid_pipeline") expect(document.error.diagnostics).toHaveLength(1);
      }
      checker.used.add("error");
    },
    SLOW * 2,
  );

  test(
    "runs imported from the Python aiorch's history",
    async () => {
      const home = scratch("json-shapes-python");
      writePythonHistory(join(home, "history.db"));
      writeFileSync(join(home, "p.yaml"), "name: hello\nsteps:\n  a:\n    run: echo hi\n");
      const env = { AIORCH_HOME: home };
      expect((await aiorch(["run", "p.yaml"], { cwd: home, env })).exitCode).toBe(0);
      const runs = expectShape(
        "history",
        await aiorch(["history", "--format", "json"], { cwd: home, env }),
        0,
      ) as unknown as { imported: unknown }[];
      expect(runs.filter((run) => run.imported !== null).length).toBeGreaterThan(0);
      expect(
        expectShape("trace", await aiorch(["trace", "2", "--format", "json"], { cwd: home, env }), 0).imported,
      ).toMatchObject({ python_run_id: 2 });
    },
    SLOW,
  );

  test("every documented shape met a real document", () => {
    expect([...shapes.keys()].filter((name) => !checker.used.has(name))).toEqual([]);
  });
});
