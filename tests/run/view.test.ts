/**
 * What a user of `aiorch run` sees (docs/cli.md#aiorch-run): the live view's start and end lines, skipped
 * steps, the summary, `-v`, the one JSON document of `--format json`, `--dry`, and the
 * exit codes 0/1/2 (130 is in signals.test.ts).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { aiorch, fixture, removeScratch, runFixture, runFixtureJson, SLOW, STACK_TRACE, viewLine } from "./harness.ts";

afterAll(removeScratch);

describe("the live view (NO_COLOR=1)", () => {
  test.concurrent(
    "a start line and an end line per step, a preview of the result, skipped steps, the summary",
    async () => {
      const run = await runFixture("view/view.yaml");
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toBe("");
      const lines = run.stdout.split("\n");
      expect(lines).toContain("▶ greet     run");
      expect(lines).toContain("▶ data      python");
      expect(viewLine(run.stdout, "✓", "greet")).toMatch(/^✓ greet\s+\d+ms {2}hello Ada$/);
      expect(viewLine(run.stdout, "✓", "lines")).toMatch(/^✓ lines\s+\d+ms {2}first line \(\+2 lines\)$/);
      expect(viewLine(run.stdout, "✓", "data")).toMatch(/^✓ data\s+\d+ms {2}\{"who":"Ada","n":\[1,2,3\]\}$/);
      expect(lines).toContain("- never     skipped: condition is false");
      // Each step starts before it ends; a dependent starts after its dependency ends.
      expect(lines.indexOf("▶ greet     run")).toBeLessThan(lines.findIndex((l) => l.startsWith("✓ greet")));
      expect(lines.findIndex((l) => l.startsWith("✓ greet"))).toBeLessThan(
        lines.findIndex((l) => l.startsWith("▶ lines")),
      );
      // Without -v neither commands nor full results are shown.
      expect(run.stdout).not.toContain("echo hello Ada");
      expect(run.stdout).not.toContain("second line");
      // The pipeline's declared outputs end the summary, one line each.
      // No prompt step: no cost.
      expect(run.stdout).toMatch(
        /\n\n {2}view succeeded\n {2}4 steps, \d+ms\n {2}outputs\n {4}greeting {2}hello Ada\n {4}count {5}3\n$/,
      );
      expect(existsSync(join(run.cwd, "never-ran"))).toBe(false);
    },
    SLOW,
  );

  test.concurrent(
    "-v shows the rendered command or body and the full result",
    async () => {
      const run = await runFixture("view/view.yaml", ["-v", "-i", "who=Grace Hopper"]);
      expect(run.exitCode).toBe(0);
      // The command as it runs: the value quoted as one shell word.
      expect(run.stdout).toContain("\n    echo hello 'Grace Hopper'\n");
      expect(run.stdout).toContain('\n    result = {"who": inputs["who"], "n": [1, 2, 3]}\n');
      expect(run.stdout).toContain("\n    first line\n    second line\n    third line\n");
      expect(run.stdout).toContain(
        '\n    {\n      "who": "Grace Hopper",\n      "n": [\n        1,\n        2,\n        3\n      ]\n    }\n',
      );
    },
    SLOW,
  );

  test.concurrent(
    "a failed run: the error under the step, skipped dependents, `failed` in the summary",
    async () => {
      const run = await runFixture("view/plain.yaml");
      expect(run.exitCode).toBe(1);
      expect(viewLine(run.stdout, "✗", "broken")).toMatch(
        /^✗ broken\s+\d+ms {2}command `.+`(?: \(\+\d+ lines?\))? exited with code 3$/,
      );
      expect(run.stdout).toContain("\n    stderr:\n      broken on purpose\n");
      expect(viewLine(run.stdout, "-", "after_broken")).toMatch(/^- after_broken\s+skipped: upstream failed$/);
      expect(run.stdout).toMatch(/\n {2}plain failed\n {2}4 steps, \d+ms\n$/);
    },
    SLOW,
  );
});

describe("--format json", () => {
  // The whole shape is checked against docs/cli.md by tests/commands/json-shapes.test.ts.
  const STEP_KEYS = [
    "attempts",
    "cache_hits",
    "cached",
    "completion_tokens",
    "cost",
    "duration_ms",
    "ended_at",
    "error",
    "failed_attempts",
    "failed_items",
    "items",
    "llm_requests",
    "model",
    "name",
    "primitive",
    "prompt_tokens",
    "reasks",
    "reason",
    "reused",
    "started_at",
    "status",
    "stderr_tail",
    "stdout_tail",
    "warnings",
  ];

  test.concurrent(
    "prints one JSON document and nothing else; outputs are the declared outputs",
    async () => {
      const run = await runFixtureJson("view/view.yaml", ["-v"]);
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toBe("");
      expect(run.stdout.trimEnd().split("\n")[0]).toBe("{");
      expect(run.stdout.trimEnd().endsWith("}")).toBe(true);
      expect(Object.keys(run.doc).sort()).toEqual([
        "cost",
        "duration_ms",
        "ended_at",
        "file",
        "imported",
        "inputs",
        "outputs",
        "outputs_error",
        "pid",
        "pipeline",
        "resumable",
        "resumed_from",
        "run_id",
        "started_at",
        "status",
        "step_counts",
        "steps",
      ]);
      expect(run.doc.run_id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
      expect(run.doc.status).toBe("success");
      expect(run.doc.cost).toBe(0);
      expect(Number.isInteger(run.doc.duration_ms)).toBe(true);
      expect(run.doc.outputs).toEqual({ greeting: "hello Ada", count: 3 });
      // In the order they started; a step that never started where it ended.
      expect(run.doc.steps.map((s) => s.name).sort()).toEqual(["data", "greet", "lines", "never"]);
      for (const step of run.doc.steps.filter((s) => s.name !== "never")) {
        expect(Object.keys(step).sort()).toEqual(STEP_KEYS);
        expect(step).toMatchObject({ status: "success", attempts: 1, cost: 0, error: null });
        expect(Number.isInteger(step.duration_ms)).toBe(true);
      }
      expect(run.step("never")).toMatchObject({
        status: "skipped",
        attempts: 0,
        error: null,
        reason: "condition is false",
      });
    },
    SLOW,
  );

  test.concurrent(
    "without declared outputs, outputs are every successful step's result; a failure is status failed, exit 1",
    async () => {
      const run = await runFixtureJson("view/plain.yaml");
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toBe("");
      expect(run.doc.status).toBe("failed");
      expect(run.doc.outputs).toEqual({ one: "one", two: ["one", 2] });
      expect(run.step("broken")).toMatchObject({
        status: "failed",
        attempts: 1,
        error: expect.stringMatching(/^command `[^\n]+`(?: \(\+\d+ lines?\))? exited with code 3$/),
        stderr_tail: "broken on purpose",
      });
      expect(run.step("after_broken")).toMatchObject({
        status: "skipped",
        attempts: 0,
        error: null,
        reason: "upstream failed",
      });
    },
    SLOW,
  );
});

describe("--dry", () => {
  test.concurrent(
    "prints the plan and runs nothing",
    async () => {
      const run = await runFixture("view/dry.yaml", ["--dry", "-i", "n=5"]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain("Pipeline: dry");
      expect(run.stdout).toMatch(/^ {3}0: first\s+\[run\]$/m);
      expect(run.stdout).toMatch(/^ {3}1: second\s+\[python\]$/m);
      expect(run.stdout).toMatch(/^ {6}third\s+\[flow \.\.\/flow\/sub\/plain\.yaml\]$/m);
      expect(run.stdout).toContain("3 steps in 2 layers");
      expect(run.stdout).not.toContain("▶");
      expect(existsSync(join(run.cwd, "first-ran"))).toBe(false);
      expect(existsSync(join(run.cwd, "second-ran"))).toBe(false);
    },
    SLOW,
  );

  test.concurrent(
    "still resolves the inputs: a bad one is exit 2",
    async () => {
      const run = await runFixture("view/dry.yaml", ["--dry", "-i", "n=many"]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('input `n`: "many" is not an integer');
    },
    SLOW,
  );

  test.concurrent(
    "the same pipeline without --dry does create the markers",
    async () => {
      const run = await runFixture("view/dry.yaml");
      expect(run.exitCode).toBe(0);
      expect(existsSync(join(run.cwd, "first-ran"))).toBe(true);
      expect(existsSync(join(run.cwd, "second-ran"))).toBe(true);
    },
    SLOW,
  );
});

describe("exit codes", () => {
  test.concurrent(
    "2 for an invalid pipeline: the problem with file:line:col, nothing runs, no stack trace",
    async () => {
      const run = await runFixture("view/invalid.yaml");
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(
        `${fixture("view/invalid.yaml")}:7:15: error: step \`second\` depends on unknown step \`frist\` (did you mean \`first\`?)`,
      );
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(run.stdout).toBe("");
      expect(existsSync(join(run.cwd, "first-ran"))).toBe(false);
    },
    SLOW,
  );

  test.concurrent(
    "2 for an invalid pipeline with --format json: the error document with the diagnostics on stdout, the problem on stderr",
    async () => {
      const run = await runFixture("view/invalid.yaml", ["--format", "json"]);
      expect(run.exitCode).toBe(2);
      const { error } = JSON.parse(run.stdout) as {
        error: {
          kind: string;
          exit_code: number;
          diagnostics: Array<{ line: number; col: number; step: string; message: string; severity: string }>;
        };
      };
      expect(error).toMatchObject({ kind: "invalid_pipeline", exit_code: 2 });
      expect(error.diagnostics).toHaveLength(1);
      expect(error.diagnostics[0]).toMatchObject({ line: 7, col: 15, step: "second", severity: "error" });
      expect(run.stderr).toContain(":7:15: error: ");
      expect(existsSync(join(run.cwd, "first-ran"))).toBe(false);
    },
    SLOW,
  );

  test.concurrent.each([
    [
      "an unknown option",
      ["run", fixture("view/view.yaml"), "--dyr"],
      "unknown option `--dyr` for `aiorch run` (did you mean `--dry`?)",
    ],
    [
      "a missing pipeline file",
      ["run", "no-such-pipeline.yaml"],
      "no-such-pipeline.yaml: error: no-such-pipeline.yaml: file not found",
    ],
    ["a missing file argument (and no Aiorch.yaml here)", ["run"], "error: no pipeline file given, and none in"],
    ["a bad --format", ["run", fixture("view/view.yaml"), "--format", "xml"], "Expected one of: text, json."],
  ])(
    "2 for %s, with a message and no stack trace",
    async (_label, args, message) => {
      const run = await aiorch(args);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(run.stdout).not.toContain("▶");
    },
    SLOW,
  );
});
