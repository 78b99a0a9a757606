/**
 * `run:` steps through `aiorch run` (docs/pipeline-reference.md#env, docs/pipeline-reference.md#results-names-and-context, docs/execution.md#run-steps): environment with `${VAR}` expansion,
 * `cwd:`, timeouts that kill the whole process group, the message of a non-zero exit,
 * and the AIORCH_MAX_OUTPUT cap.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAlive, pidsIn, removeScratch, runFixtureJson, scratch, SLOW, waitUntil } from "./harness.ts";

afterAll(removeScratch);

describe("env: at pipeline and step level", () => {
  test.concurrent(
    "${VAR} and ${VAR:-default} expand from the invoking environment; step env overrides; the rest is inherited",
    async () => {
      const run = await runFixtureJson("run-step/env.yaml", [], {
        env: { WHO_ENV: "Ada", EMPTY_FOR_AIORCH_TEST: "", PARENT_ONLY: "inherited" },
      });
      expect(run.exitCode).toBe(0);
      expect(run.doc.outputs.shell).toBe("hello Ada|fallback value|empty means default|Ada|pipeline|[]|inherited|");
      // A step's env sees the pipeline's (GREETING) and wins over it (PLAIN).
      expect(run.doc.outputs.step_env).toBe("step|hello Ada, again|step default|hello Ada|");
      // python: steps get the same environment; another step's env does not leak in.
      expect(run.doc.outputs.python_env).toEqual(["hello Ada", "fallback value", "python step", "inherited", null]);
    },
    SLOW,
  );
});

test.concurrent(
  "cwd: is relative to where aiorch runs, for run: and python:, and defaults to it",
  async () => {
    const dir = scratch("cwd");
    mkdirSync(join(dir, "sub", "deeper"), { recursive: true });
    writeFileSync(join(dir, "sub", "marker-file"), "");
    writeFileSync(join(dir, "sub", "deeper", "here.txt"), "deeper\n");
    const run = await runFixtureJson("run-step/cwd.yaml", [], { cwd: dir });
    expect(run.exitCode).toBe(0);
    const real = realpathSync(dir);
    expect(realpathSync(run.doc.outputs.default_dir as string)).toBe(real);
    const [shellCwd, ...listing] = (run.doc.outputs.shell_sub as string).split("\n");
    expect([realpathSync(shellCwd!), ...listing]).toEqual([join(real, "sub"), "deeper", "marker-file"]);
    const [pyCwd, content] = run.doc.outputs.python_sub as [string, string];
    expect([realpathSync(pyCwd), content]).toEqual([join(real, "sub", "deeper"), "deeper"]);
  },
  SLOW,
);

test.concurrent(
  "a timeout kills the whole process group: the background child started by the step is gone",
  async () => {
    const run = await runFixtureJson("run-step/timeout-group.yaml");
    expect(run.exitCode).toBe(1);
    expect(run.step("hang")).toMatchObject({ status: "failed", attempts: 1, error: "timed out after 2s" });
    const [background, shell] = pidsIn(run.cwd, ["background.pid", "shell.pid"]);
    expect(background).toBeGreaterThan(0);
    expect(shell).toBeGreaterThan(0);
    // The kill is SIGKILL to the group, so they are gone at once; a few seconds of slack for a busy machine.
    expect(await waitUntil(() => !isAlive(background!) && !isAlive(shell!), 3000)).toBe(true);
    expect(existsSync(join(run.cwd, "not-reached"))).toBe(false);
  },
  SLOW,
);

test.concurrent(
  "a non-zero exit fails with the exit code; the JSON step has the last 40 lines of stdout and stderr",
  async () => {
    const run = await runFixtureJson("run-step/exit-code.yaml");
    expect(run.exitCode).toBe(1);
    const noisy = run.step("noisy") as unknown as { error: string; stdout_tail: string | null; stderr_tail: string };
    expect(noisy.error).toMatch(/^command `[^\n]+`(?: \(\+\d+ lines?\))? exited with code 7$/);
    expect(noisy.stderr_tail.split("\n")).toEqual(Array.from({ length: 30 }, (_, i) => `problem line ${i + 1}`));
    expect(noisy.stdout_tail).toBe("some stdout");
    expect(run.step("quiet").error).toMatch(
      /^command `[^\n]+`(?: \(\+\d+ lines?\))? exited with code 5 and printed nothing$/,
    );
  },
  SLOW,
);

describe("AIORCH_MAX_OUTPUT", () => {
  test.concurrent(
    "output over the cap fails the step clearly, and an endless producer is stopped",
    async () => {
      const run = await runFixtureJson("run-step/max-output.yaml", [], { env: { AIORCH_MAX_OUTPUT: "1000" } });
      expect(run.exitCode).toBe(1);
      const message =
        "the command printed more than 1000 bytes; raise AIORCH_MAX_OUTPUT or write large output to a file (save: or a redirect)";
      expect(run.step("five_k")).toMatchObject({ status: "failed", error: message });
      expect(run.step("endless")).toMatchObject({ status: "failed", error: message });
      const [endless] = pidsIn(run.cwd, ["endless.pid"]);
      expect(await waitUntil(() => !isAlive(endless!), 3000)).toBe(true);
    },
    SLOW,
  );

  test.concurrent(
    "output under the cap is the result",
    async () => {
      const run = await runFixtureJson("run-step/max-output.yaml", [], { env: { AIORCH_MAX_OUTPUT: "6000" } });
      expect(run.step("five_k").status).toBe("success");
      expect(run.doc.outputs.five_k).toBe("x".repeat(5000));
      expect(run.step("endless").error).toStartWith("the command printed more than 6000 bytes");
    },
    SLOW,
  );
});

test.concurrent(
  "the result is stdout with surrounding whitespace stripped (as Python's str.strip); stderr is not in it; JSON text stays a string",
  async () => {
    const run = await runFixtureJson("run-step/results.yaml");
    expect(run.exitCode).toBe(0);
    expect(run.doc.outputs.padded).toBe("two leading spaces");
    expect(run.doc.outputs.stderr_only).toBe("to-stdout");
    expect(run.doc.outputs.json_text).toBe('{"a": [1, 2]}');
    expect(run.doc.outputs.reader).toEqual(["str", { a: [1, 2] }]);
  },
  SLOW,
);
