/**
 * docs/execution.md#scheduling and docs/execution.md#retries-and-timeouts through `aiorch run`: the ready queue (no layer barrier), `--concurrency`,
 * what a failure does to its dependents and to independent branches, `on_failure`
 * handlers, and that a step only sees its ancestors. The same rules in process, with a fake
 * step kind: src/engine/scheduler.test.ts.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { concurrencyArg } from "../../src/cli/run-args.ts";
import { UserError } from "../../src/errors/user-error.ts";
import { linesIn, readIn, removeScratch, runFixture, runFixtureJson, SLOW, viewLine } from "./harness.ts";

afterAll(removeScratch);

describe("a step starts as soon as its own dependencies finish", () => {
  test.concurrent(
    "in a → b plus a slow independent c, b finishes before c",
    async () => {
      const run = await runFixture("scheduler/no-barrier.yaml");
      expect(run.exitCode).toBe(0);
      expect(linesIn(run.cwd, "finished.txt")).toEqual(["a", "b", "c"]);
      // The live view agrees: b's end line comes before c's.
      const lines = run.stdout.split("\n");
      const bEnd = lines.findIndex((l) => l.startsWith("✓ b "));
      const cEnd = lines.findIndex((l) => l.startsWith("✓ c "));
      expect(bEnd).toBeGreaterThan(-1);
      expect(cEnd).toBeGreaterThan(bEnd);
    },
    SLOW,
  );
});

describe("--concurrency N caps the steps in flight across the run", () => {
  const maxInFlight = (cwd: string) => Math.max(...linesIn(cwd, "counts.txt").map(Number));

  test.concurrent(
    "--concurrency 1: never more than one step in flight, shell and python alike",
    async () => {
      const run = await runFixtureJson("scheduler/in-flight.yaml", ["--concurrency", "1"]);
      expect(run.exitCode).toBe(0);
      expect(run.doc.steps.map((s) => s.status)).toEqual(["success", "success", "success", "success"]);
      expect(linesIn(run.cwd, "counts.txt")).toEqual(["1", "1", "1", "1"]);
    },
    SLOW,
  );

  test.concurrent(
    "--concurrency 2: at most two in flight",
    async () => {
      const run = await runFixtureJson("scheduler/in-flight.yaml", ["--concurrency", "2"]);
      expect(run.exitCode).toBe(0);
      expect(linesIn(run.cwd, "counts.txt")).toHaveLength(4);
      expect(maxInFlight(run.cwd)).toBeLessThanOrEqual(2);
    },
    SLOW,
  );

  test.concurrent(
    "without --concurrency the independent steps do overlap (the probe can see it)",
    async () => {
      const run = await runFixtureJson("scheduler/in-flight.yaml");
      expect(run.exitCode).toBe(0);
      expect(maxInFlight(run.cwd)).toBeGreaterThanOrEqual(2);
    },
    SLOW,
  );

  test.each([["0"], ["-1"], ["two"], ["1.5"]])("in process: --concurrency %s is a usage error (exit 2)", (value) => {
    let error: unknown;
    try {
      concurrencyArg(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message).toContain(
      `--concurrency must be a whole number of at least 1, got "${value}"`,
    );
  });

  // Through the CLI, one of the table (a negative number after `=`, as argv has it).
  test.concurrent.each([["-1"]])(
    "--concurrency %s is a usage error (exit 2) and runs nothing",
    async (value) => {
      const run = await runFixture("scheduler/no-barrier.yaml", [`--concurrency=${value}`]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(`--concurrency must be a whole number of at least 1, got "${value}"`);
      expect(existsSync(join(run.cwd, "finished.txt"))).toBe(false);
    },
    SLOW,
  );
});

describe("a failed step", () => {
  test.concurrent(
    "skips its dependents as upstream failed, lets the independent branch run, calls its handler, exits 1",
    async () => {
      const run = await runFixtureJson("scheduler/failure.yaml");
      expect(run.exitCode).toBe(1);
      expect(run.doc.status).toBe("failed");
      // Steps in the order they started (the handler too); the skipped ones where they ended.
      const summary = run.doc.steps.map(({ name, status, attempts, reason }) => ({ name, status, attempts, reason }));
      expect(summary.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: "build", status: "failed", attempts: 1, reason: null },
        { name: "cleanup", status: "success", attempts: 1, reason: null },
        { name: "docs", status: "success", attempts: 1, reason: null },
        { name: "package", status: "skipped", attempts: 0, reason: "upstream failed" },
        { name: "prepare", status: "success", attempts: 1, reason: null },
        { name: "publish", status: "skipped", attempts: 0, reason: "upstream failed" },
      ] as never);
      expect(run.step("build").error).toEqual(
        expect.stringMatching(/^command `[^\n]+`(?: \(\+\d+ lines?\))? exited with code 3$/),
      );
      // Nothing downstream of build ran; the independent branch did.
      expect(existsSync(join(run.cwd, "package-ran"))).toBe(false);
      expect(existsSync(join(run.cwd, "publish-ran"))).toBe(false);
      expect(existsSync(join(run.cwd, "docs-ran"))).toBe(true);
      // The handler saw which step failed and why (the error carries the stderr).
      expect(readIn(run.cwd, "handler.txt")).toEqual(
        expect.stringMatching(
          /^build\ncommand `[^\n]+`(?: \(\+\d+ lines?\))? exited with code 3; stderr \(last 20 lines\):\nfatal: missing header foo\.h$/,
        ),
      );
      expect(run.doc.outputs.cleanup).toEqual({
        failed_step: "build",
        error: expect.stringMatching(
          /^command `[^\n]+`(?: \(\+\d+ lines?\))? exited with code 3; stderr \(last 20 lines\):\nfatal: missing header foo\.h$/,
        ),
      });
      expect(run.doc.outputs).not.toHaveProperty("package");
    },
    SLOW,
  );

  test.concurrent(
    "the text view shows the failure, the skipped steps with their reason, and a failed summary",
    async () => {
      const run = await runFixture("scheduler/failure.yaml");
      expect(run.exitCode).toBe(1);
      expect(viewLine(run.stdout, "✗", "build")).toMatch(
        /^✗ build\s+\S+\s+command `.+`(?: \(\+\d+ lines?\))? exited with code 3$/,
      );
      expect(run.stdout).toContain("    fatal: missing header foo.h");
      expect(viewLine(run.stdout, "-", "package")).toMatch(/^- package\s+skipped: upstream failed$/);
      expect(viewLine(run.stdout, "-", "publish")).toMatch(/^- publish\s+skipped: upstream failed$/);
      expect(viewLine(run.stdout, "✓", "docs")).toMatch(/docs built$/);
      expect(viewLine(run.stdout, "✓", "cleanup")).toContain('{"failed_step":"build"');
      expect(run.stdout).toMatch(/\n {2}failure failed\n {2}6 steps, \S+\n$/);
    },
    SLOW,
  );

  test.concurrent(
    "a handler is not scheduled on its own: it does not run when nothing fails",
    async () => {
      const run = await runFixtureJson("scheduler/handler-idle.yaml");
      expect(run.exitCode).toBe(0);
      expect(run.doc.steps.map((s) => s.name)).toEqual(["work"]);
      expect(existsSync(join(run.cwd, "handler-ran"))).toBe(false);
    },
    SLOW,
  );
});

test.concurrent(
  "a step sees its ancestors only, never a step that merely finished earlier",
  async () => {
    const run = await runFixture("scheduler/ancestors.yaml");
    expect(run.exitCode).toBe(0);
    expect(viewLine(run.stdout, "✓", "late")).toMatch(/ \{"sees_early":false,"value":null\}$/);
    expect(viewLine(run.stdout, "✓", "joined")).toMatch(/ \["early",\{"sees_early":false,"value":null\}\]$/);
    // Validation warns about the read, on stderr, without changing the exit code.
    expect(run.stderr).toContain(
      'warning: step `late` reads inputs["early"], which is neither an input nor the result of a step it depends on',
    );
  },
  SLOW,
);
