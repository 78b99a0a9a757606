/**
 * Step control through `aiorch run` (docs/pipeline-reference.md#step-fields, docs/templates.md#conditions, docs/execution.md#retries-and-timeouts): conditions in both forms, skipped
 * names absent downstream, retries with fixed and exponential delays, timeouts, `save:`
 * and `vars:`.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { linesIn, removeScratch, runFixture, runFixtureJson, SLOW, viewLine } from "./harness.ts";

afterAll(removeScratch);

describe("conditions", () => {
  test.concurrent(
    "expressions and the `{{ }}` form decide; skipped names are absent downstream",
    async () => {
      const run = await runFixtureJson("control/conditions.yaml");
      expect(run.exitCode).toBe(0);
      const statuses = Object.fromEntries(run.doc.steps.map((s) => [s.name, [s.status, s.reason ?? null]]));
      expect(statuses).toEqual({
        ok: ["success", null],
        fast_path: ["success", null],
        slow_path: ["skipped", "condition is false"],
        compat_true: ["success", null],
        compat_false: ["skipped", "condition is false"],
        compat_word: ["success", null],
        report: ["success", null],
        report_tpl: ["success", null],
      });
      // A step after a skipped one still runs, and neither the name nor inputs.get() find the skipped result.
      expect(run.doc.outputs.report).toEqual({ fast: "fast", alias: "fast", slow: null, has_slow: false });
      expect(run.doc.outputs.report_tpl).toBe("slow was skipped");
      expect(run.doc.outputs).not.toHaveProperty("slow_path");
      expect(existsSync(join(run.cwd, "slow-ran"))).toBe(false);
      expect(existsSync(join(run.cwd, "compat-false-ran"))).toBe(false);
    },
    SLOW,
  );

  test.concurrent(
    "the other branch when the input changes",
    async () => {
      const run = await runFixtureJson("control/conditions.yaml", ["-i", "mode=slow"]);
      expect(run.exitCode).toBe(0);
      expect(run.step("fast_path")).toMatchObject({ status: "skipped", reason: "condition is false" });
      expect(run.step("compat_word")).toMatchObject({ status: "skipped", reason: "condition is false" });
      expect(run.doc.outputs.report).toEqual({ fast: null, alias: null, slow: "slow", has_slow: true });
      expect(run.doc.outputs.report_tpl).toBe("slow");
      expect(existsSync(join(run.cwd, "slow-ran"))).toBe(true);
    },
    SLOW,
  );

  test.concurrent(
    "the text view shows a skipped step with its reason",
    async () => {
      const run = await runFixture("control/conditions.yaml");
      expect(viewLine(run.stdout, "-", "slow_path")).toMatch(/^- slow_path\s+skipped: condition is false$/);
      expect(viewLine(run.stdout, "-", "compat_false")).toMatch(/^- compat_false\s+skipped: condition is false$/);
      // A skipped step never shows a start line.
      expect(run.stdout).not.toMatch(/^▶ slow_path/m);
    },
    SLOW,
  );
});

/** `300ms`, `1.2s` → milliseconds. */
const ms = (text: string) => (text.endsWith("ms") ? Number(text.slice(0, -2)) : Number(text.slice(0, -1)) * 1000);

/** The `↻ NAME attempt N failed: …; retrying in D` lines of one step: [attempt, delay ms]. */
function retryLines(stdout: string, name: string): Array<[number, number]> {
  const pattern = new RegExp(`^↻ ${name}\\s+attempt (\\d+) failed: .*; retrying in (\\S+)$`, "gm");
  return [...stdout.matchAll(pattern)].map((m) => [Number(m[1]), ms(m[2]!)]);
}

/** Gaps in ms between the attempt timestamps a step wrote. */
const gaps = (stamps: number[]) => stamps.slice(1).map((t, i) => t - stamps[i]!);

describe("retries", () => {
  test.concurrent(
    "a fixed retry_delay between attempts; success on the third attempt; exponential delays grow and are capped",
    async () => {
      const run = await runFixture("control/retry.yaml");
      expect(run.exitCode).toBe(1);
      // flaky: two failures, each followed by exactly the fixed delay, then success.
      expect(retryLines(run.stdout, "flaky")).toEqual([
        [1, 300],
        [2, 300],
      ]);
      expect(viewLine(run.stdout, "✓", "flaky")).toMatch(/^✓ flaky\s+\S+ \(3 attempts\)\s+worked on attempt 3$/);
      const flakyStamps = linesIn(run.cwd, "flaky-attempts.txt").map(Number);
      expect(flakyStamps).toHaveLength(3);
      for (const gap of gaps(flakyStamps)) expect(gap).toBeGreaterThanOrEqual(290);

      // hopeless: 1 + 3 attempts; delays from 200 ms doubling with jitter (half fixed, half random), capped at 500 ms.
      const hopeless = retryLines(run.stdout, "hopeless");
      expect(hopeless.map(([attempt]) => attempt)).toEqual([1, 2, 3]);
      const [d1, d2, d3] = hopeless.map(([, delay]) => delay) as [number, number, number];
      expect(d1).toBeGreaterThanOrEqual(100);
      expect(d1).toBeLessThanOrEqual(200);
      expect(d2).toBeGreaterThanOrEqual(200);
      expect(d2).toBeLessThanOrEqual(400);
      expect(d3).toBeGreaterThanOrEqual(250);
      expect(d3).toBeLessThanOrEqual(500);
      const hopelessGaps = gaps(linesIn(run.cwd, "hopeless-attempts.txt").map(Number));
      expect(hopelessGaps).toHaveLength(3);
      hopelessGaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual([d1, d2, d3][i]! - 10));
      expect(viewLine(run.stdout, "✗", "hopeless")).toMatch(
        /^✗ hopeless\s+\S+ \(4 attempts\)\s+command `.+`(?: \(\+\d+ lines?\))? exited with code 2$/,
      );
    },
    SLOW,
  );

  test.concurrent(
    "attempt counts and the final error in --format json",
    async () => {
      const run = await runFixtureJson("control/retry.yaml");
      expect(run.step("flaky")).toMatchObject({ status: "success", attempts: 3, error: null });
      expect(run.step("hopeless")).toMatchObject({
        status: "failed",
        attempts: 4,
        error: expect.stringMatching(/^command `[^\n]+`(?: \(\+\d+ lines?\))? exited with code 2$/),
        stderr_tail: "still broken",
      });
      expect(linesIn(run.cwd, "hopeless-attempts.txt")).toHaveLength(4);
    },
    SLOW,
  );
});

test.concurrent(
  "timeouts apply per attempt (and are retried) and per foreach item",
  async () => {
    const run = await runFixtureJson("control/timeouts.yaml");
    expect(run.exitCode).toBe(1);
    expect(run.step("slow")).toMatchObject({ status: "failed", attempts: 2, error: "timed out after 300ms" });
    expect(linesIn(run.cwd, "slow-attempts.txt")).toEqual(["attempt", "attempt"]);
    // Item 0 (0.1 s) is within its own 1 s; item 1 (5 s) is not.
    expect(run.step("items")).toMatchObject({ status: "failed", error: "item 1 of 2 failed: timed out after 1s" });
  },
  SLOW,
);

test.concurrent(
  "save: strings as they are, other values as JSON, at a templated path; nothing for a failed step",
  async () => {
    const run = await runFixtureJson("control/save.yaml", ["-i", "tag=v2"]);
    expect(run.exitCode).toBe(1);
    const read = (path: string) => readFileSync(join(run.cwd, "out", path), "utf8");
    expect(read("v2/text.txt")).toBe("line one\nline two");
    expect(JSON.parse(read("data.json"))).toEqual({ n: 1, list: [1, "two"], unicode: "café" });
    expect(JSON.parse(read("numbers.json"))).toEqual([1.5, 3, 4.5]);
    expect(read("flag.json")).toBe("false");
    // A string that happens to be JSON is still a string: written as is.
    expect(read("json-string.txt")).toBe('{"kept": "as text"}');
    expect(existsSync(join(run.cwd, "out", "never.txt"))).toBe(false);
  },
  SLOW,
);

test.concurrent(
  "vars: are rendered in the step's context, keep native types, and can drive a condition",
  async () => {
    const run = await runFixtureJson("control/vars.yaml", ["-i", "who=GRACE"]);
    expect(run.exitCode).toBe(0);
    expect(run.doc.outputs.shell).toBe("user-grace 8 7");
    expect(run.doc.outputs.python_view).toEqual({ doubled: 8, type: "int", names: ["GRACE", "Bob"] });
    expect(run.doc.outputs.gated).toBe("big enough");
    const small = await runFixtureJson("control/vars.yaml", ["-i", "count=2"]);
    expect(small.step("gated")).toMatchObject({ status: "skipped", reason: "condition is false" });
  },
  SLOW,
);
