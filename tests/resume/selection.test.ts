/**
 * `run --step NAME` and `run --from NAME` (docs/cli.md#aiorch-run): what runs is proved by the log every step
 * appends to; what a step sees is proved by its output.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, linesIn, removeScratch, scratch, SLOW, STACK_TRACE } from "../run/harness.ts";
import { historyFileIn, runsIn } from "./helpers.ts";

afterAll(removeScratch);

/** fetch → parse → report, and an independent `side`; `n` counts the runs of fetch. */
const PIPELINE = `
name: selection
steps:
  fetch:
    run: echo fetch >> log.txt; echo "$(cat n 2>/dev/null || echo 0)"
  parse:
    depends: [fetch]
    python: |
      open("log.txt", "a").write("parse\\n")
      result = {"parsed": int(inputs["fetch"]) + 100}
  report:
    depends: [parse]
    run: echo report >> log.txt; echo report of {{ parse.parsed }}
  side:
    run: echo side >> log.txt; echo S
`;

function project(label: string): string {
  const cwd = scratch(label);
  writeFileSync(join(cwd, "p.yaml"), PIPELINE);
  return cwd;
}

const reset = (cwd: string) => writeFileSync(join(cwd, "log.txt"), "");

describe("--step NAME", () => {
  test.concurrent(
    "runs only that step, with its dependencies' results from the latest successful run",
    async () => {
      const cwd = project("step");
      writeFileSync(join(cwd, "n"), "7");
      expect((await aiorch(["run", "p.yaml"], { cwd })).exitCode).toBe(0);
      writeFileSync(join(cwd, "n"), "9");
      reset(cwd);
      const outcome = await aiorch(["run", "p.yaml", "--step", "report", "--format", "json"], { cwd });
      expect(outcome.exitCode).toBe(0);
      expect(linesIn(cwd, "log.txt")).toEqual(["report"]);
      const doc = JSON.parse(outcome.stdout) as {
        outputs: Record<string, unknown>;
        steps: { name: string; status: string; reason?: string }[];
      };
      expect(doc.outputs.report).toBe("report of 107");
      const byName = Object.fromEntries(doc.steps.map((s) => [s.name, s]));
      expect(byName.fetch).toMatchObject({ status: "success", reason: expect.stringMatching(/^reused from run /) });
      expect(byName.side).toMatchObject({ status: "skipped", reason: "not selected" });
      expect(runsIn(cwd)).toHaveLength(2);
    },
    SLOW,
  );

  test.concurrent(
    "without an earlier run it says which results are missing (exit 2); a root step needs none",
    async () => {
      const cwd = project("step-missing");
      const missing = await aiorch(["run", "p.yaml", "--step", "report"], { cwd });
      expect(missing.exitCode).toBe(2);
      expect(missing.stderr).toContain("error: --step report needs the results of `fetch`, `parse`");
      expect(missing.stderr).toContain("--from fetch");
      expect(missing.stderr).not.toMatch(STACK_TRACE);
      expect(linesIn(cwd, "log.txt")).toEqual([]);
      const root = await aiorch(["run", "p.yaml", "--step", "side"], { cwd });
      expect(root.exitCode).toBe(0);
      expect(linesIn(cwd, "log.txt")).toEqual(["side"]);
    },
    SLOW,
  );

  test.concurrent(
    "an unknown step name is exit 2 with a suggestion",
    async () => {
      const cwd = project("step-unknown");
      const outcome = await aiorch(["run", "p.yaml", "--step", "reprot"], { cwd });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toContain("no step `reprot`");
      expect(outcome.stderr).toContain("did you mean `report`?");
      const both = await aiorch(["run", "p.yaml", "--step", "report", "--from", "parse"], { cwd });
      expect(both.exitCode).toBe(2);
      expect(both.stderr).toContain("--step and --from cannot be used together");
    },
    SLOW,
  );
});

describe("--from NAME", () => {
  test.concurrent(
    "runs that step and everything downstream; the rest comes from the latest run",
    async () => {
      const cwd = project("from");
      writeFileSync(join(cwd, "n"), "1");
      expect((await aiorch(["run", "p.yaml"], { cwd })).exitCode).toBe(0);
      writeFileSync(join(cwd, "n"), "2");
      reset(cwd);
      const outcome = await aiorch(["run", "p.yaml", "--from", "parse", "--format", "json"], { cwd });
      expect(outcome.exitCode).toBe(0);
      expect(linesIn(cwd, "log.txt").sort()).toEqual(["parse", "report"]);
      const doc = JSON.parse(outcome.stdout) as { outputs: Record<string, unknown> };
      // fetch was reused (1, not 2); side too.
      expect(doc.outputs).toEqual({ fetch: "1", parse: { parsed: 101 }, report: "report of 101", side: "S" });
    },
    SLOW,
  );

  test.concurrent(
    "--from a root step needs no history; --no-history records nothing",
    async () => {
      const cwd = project("from-root");
      const outcome = await aiorch(["run", "p.yaml", "--from", "fetch", "--no-history"], { cwd });
      expect(outcome.exitCode).toBe(0);
      expect(linesIn(cwd, "log.txt").sort()).toEqual(["fetch", "parse", "report"]);
      expect(outcome.stdout).toContain("- side");
      expect(outcome.stdout).toContain("not selected");
      expect(existsSync(historyFileIn(cwd))).toBe(false);
    },
    SLOW,
  );
});
