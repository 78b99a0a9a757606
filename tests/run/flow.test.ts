/**
 * `flow:` steps through `aiorch run` (docs/execution.md#flow-steps, docs/pipeline-reference.md#results-names-and-context): the path is relative to the parent file,
 * `input:` maps values into the sub-pipeline (checked against its declared types), nested
 * steps appear as `parent/child`, and the result is the sub-pipeline's outputs.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { removeScratch, runFixture, runFixtureJson, SLOW, viewLine } from "./harness.ts";

afterAll(removeScratch);

test.concurrent(
  "the result of a flow step is the sub-pipeline's declared outputs, or all its step results",
  async () => {
    // The run happens in a scratch directory: `sub/child.yaml` resolves next to the parent file.
    const run = await runFixtureJson("flow/parent.yaml");
    expect(run.exitCode).toBe(0);
    // n arrives as the integer 21 (the child declares it), doubled by python; tags is a list of two.
    expect(run.doc.outputs.calc).toEqual({ doubled: 42, tagged: "fixed-42-2" });
    expect(run.doc.outputs.plain).toEqual({ one: "one", two: ["one", 2] });
    expect(run.doc.outputs.after).toEqual({
      doubled: 42,
      tagged: "fixed-42-2",
      plain: { one: "one", two: ["one", 2] },
    });
    // Every step, a flow's own steps (`parent/child`) right after it, as the trace lists them; the counts are of the parent's.
    const names = run.doc.steps.map((s) => s.name);
    expect(names.filter((name) => !name.includes("/")).sort()).toEqual(["after", "calc", "plain", "prep"]);
    expect(names.slice(names.indexOf("calc"), names.indexOf("calc") + 3)).toEqual(["calc", "calc/double", "calc/tag"]);
    expect(names.slice(names.indexOf("plain"), names.indexOf("plain") + 3)).toEqual([
      "plain",
      "plain/one",
      "plain/two",
    ]);
    expect(run.doc.steps.every((s) => s.status === "success")).toBe(true);
    expect((run.doc as unknown as { step_counts: { total: number; succeeded: number } }).step_counts).toMatchObject({
      total: 4,
      succeeded: 4,
    });
  },
  SLOW,
);

test.concurrent(
  "nested steps start and end as `parent/child` in the text output",
  async () => {
    const run = await runFixture("flow/parent.yaml");
    expect(run.exitCode).toBe(0);
    for (const path of ["calc/double", "calc/tag", "plain/one", "plain/two"]) {
      expect(run.stdout).toMatch(new RegExp(`^▶ ${path}\\s+(run|python)$`, "m"));
      expect(viewLine(run.stdout, "✓", path)).toBeDefined();
    }
    expect(viewLine(run.stdout, "✓", "calc/tag")).toMatch(/ fixed-42-2$/);
    expect(viewLine(run.stdout, "✓", "calc")).toMatch(/ \{"doubled":42,"tagged":"fixed-42-2"\}$/);
    // A nested step ends before its flow step does.
    expect(run.stdout.indexOf("✓ calc/tag")).toBeLessThan(run.stdout.indexOf("✓ calc "));
    expect(run.stdout).toMatch(/^ {2}4 steps, \S+$/m);
  },
  SLOW,
);

test.concurrent(
  "a failing step inside a flow fails the flow step with its name and error; independent steps go on",
  async () => {
    const run = await runFixture("flow/failing-parent.yaml");
    expect(run.exitCode).toBe(1);
    expect(viewLine(run.stdout, "✗", "sub/breaks")).toMatch(/command `.+`(?: \(\+\d+ lines?\))? exited with code 9$/);
    expect(viewLine(run.stdout, "-", "sub/never")).toMatch(/skipped: upstream failed$/);
    expect(viewLine(run.stdout, "✗", "sub")).toMatch(
      /sub-pipeline .?flow-failing-child.? failed at step .?breaks.?: command `.+`(?: \(\+\d+ lines?\))? exited with code 9$/,
    );
    expect(viewLine(run.stdout, "-", "after_sub")).toMatch(/skipped: upstream failed$/);
    expect(viewLine(run.stdout, "✓", "independent")).toMatch(/still runs$/);
    expect(existsSync(join(run.cwd, "never-ran"))).toBe(false);
    expect(existsSync(join(run.cwd, "after-sub-ran"))).toBe(false);
    const json = await runFixtureJson("flow/failing-parent.yaml");
    expect(json.step("sub").error).toEqual(
      expect.stringMatching(
        /^sub-pipeline `flow-failing-child` failed at step `breaks`: command `[^\n]+`(?: \(\+\d+ lines?\))? exited with code 9$/,
      ),
    );
  },
  SLOW,
);

test.concurrent(
  "a flow input the sub-pipeline's type refuses fails the flow step, naming the input and the value",
  async () => {
    const run = await runFixtureJson("flow/bad-input-parent.yaml");
    expect(run.exitCode).toBe(1);
    expect(run.step("calc").error).toBe(
      'inputs of sub-pipeline `flow-child`: input `n`: "not a number" is not an integer (from the flow: step\'s input)',
    );
  },
  SLOW,
);
