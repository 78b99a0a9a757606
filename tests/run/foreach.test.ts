/**
 * `foreach:` through `aiorch run` (docs/execution.md#foreach): its three sources, `item`/`item_index`, sequential
 * order, parallel caps (`concurrency:` and `--concurrency`, measured with a directory of
 * in-flight markers), results in item order, and what a failing item does.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { aiorch, linesIn, removeScratch, runFixture, runFixtureJson, scratch, SLOW, viewLine } from "./harness.ts";

afterAll(removeScratch);

const maxInFlight = (cwd: string) => Math.max(...linesIn(cwd, "counts.txt").map(Number));

test.concurrent(
  "foreach over a name, a template with a nested path, and a literal list; item and item_index",
  async () => {
    const run = await runFixtureJson("foreach/sources.yaml");
    expect(run.exitCode).toBe(0);
    expect(run.doc.outputs.by_name).toEqual(["0:x", "1:y"]);
    expect(run.doc.outputs.by_path).toEqual(["0:p", "1:q", "2:r"]);
    expect(run.doc.outputs.by_deep_path).toEqual([10, 21]);
    expect(run.doc.outputs.literal).toEqual([
      [0, "a"],
      [1, { k: "v" }],
      [2, 3],
    ]);
    expect(run.doc.outputs.empty).toEqual([]);
    expect(existsSync(join(run.cwd, "empty-ran"))).toBe(false);
    const given = await runFixtureJson("foreach/sources.yaml", ["-i", "names=one,two,three"]);
    expect(given.doc.outputs.by_name).toEqual(["0:one", "1:two", "2:three"]);
  },
  SLOW,
);

test.concurrent(
  "the start line shows the item count",
  async () => {
    const run = await runFixture("foreach/sources.yaml");
    expect(run.stdout).toMatch(/^▶ by_path\s+run × 3$/m);
    expect(run.stdout).toMatch(/^▶ literal\s+python × 3$/m);
    expect(viewLine(run.stdout, "✓", "by_path")).toMatch(/ \["0:p","1:q","2:r"\]$/);
  },
  SLOW,
);

test.concurrent(
  "sequential by default: each item ends before the next starts, even when earlier items are slower",
  async () => {
    const run = await runFixtureJson("foreach/sequential.yaml");
    expect(run.exitCode).toBe(0);
    expect(linesIn(run.cwd, "events.txt")).toEqual([
      "start 0",
      "end 0",
      "start 1",
      "end 1",
      "start 2",
      "end 2",
      "start 3",
      "end 3",
    ]);
    expect(run.doc.outputs.each).toEqual(["done-0", "done-1", "done-2", "done-3"]);
  },
  SLOW,
);

describe("parallel: true", () => {
  test.concurrent(
    "runs at most `concurrency:` items at once, really in parallel, with results in item order",
    async () => {
      const run = await runFixtureJson("foreach/parallel.yaml");
      expect(run.exitCode).toBe(0);
      expect(linesIn(run.cwd, "counts.txt")).toHaveLength(8);
      expect(maxInFlight(run.cwd)).toBeLessThanOrEqual(3);
      expect(maxInFlight(run.cwd)).toBeGreaterThanOrEqual(2);
      // Item 0 sleeps 1.2 s, the others 0.3 s: the items do not end in item order...
      const finished = linesIn(run.cwd, "finished.txt");
      expect([...finished].sort()).toEqual(["0", "1", "2", "3", "4", "5", "6", "7"]);
      expect(finished[0]).not.toBe("0");
      // ...but the result is in item order.
      expect(run.doc.outputs.fan).toEqual(Array.from({ length: 8 }, (_, i) => `result-${i}`));
    },
    SLOW,
  );

  test.concurrent(
    "--concurrency caps the items in flight below the step's own concurrency",
    async () => {
      const run = await runFixtureJson("foreach/parallel.yaml", ["--concurrency", "2"]);
      expect(run.exitCode).toBe(0);
      expect(linesIn(run.cwd, "counts.txt")).toHaveLength(8);
      expect(maxInFlight(run.cwd)).toBeLessThanOrEqual(2);
      expect(run.doc.outputs.fan).toEqual(Array.from({ length: 8 }, (_, i) => `result-${i}`));
    },
    SLOW,
  );

  test.concurrent(
    "--concurrency 1 makes a parallel python foreach one at a time",
    async () => {
      const run = await runFixtureJson("foreach/parallel-python.yaml", ["--concurrency", "1"]);
      expect(run.exitCode).toBe(0);
      expect(linesIn(run.cwd, "counts.txt")).toEqual(["1", "1", "1", "1", "1", "1"]);
      expect(run.doc.outputs.fan).toEqual([0, 2, 4, 6, 8, 10]);
    },
    SLOW,
  );

  test.concurrent(
    "on a failure the in-flight items finish before the step fails, and no new item starts",
    async () => {
      const run = await runFixtureJson("foreach/failure.yaml");
      expect(run.exitCode).toBe(1);
      expect(run.step("fan")).toMatchObject({
        status: "failed",
        attempts: 1,
        error: expect.stringMatching(/^item 0 of 6 failed: command `[^\n]+`(?: \(\+\d+ lines?\))? exited with code 4$/),
        stderr_tail: "item zero broke",
      });
      // Items 1 and 2 were in flight when item 0 failed: their side effects are complete.
      for (const item of [1, 2]) expect(existsSync(join(run.cwd, `done-${item}`))).toBe(true);
      // Nothing started after the failure.
      for (const item of [3, 4, 5]) expect(existsSync(join(run.cwd, `started-${item}`))).toBe(false);
      expect(run.step("after")).toMatchObject({ status: "skipped", reason: "upstream failed" });
      expect(existsSync(join(run.cwd, "after-ran"))).toBe(false);
      expect(run.step("independent").status).toBe("success");
    },
    SLOW,
  );
});

test.concurrent(
  "sequential: a failing item stops the loop",
  async () => {
    const run = await runFixtureJson("foreach/sequential-failure.yaml");
    expect(run.exitCode).toBe(1);
    expect(run.step("each").error).toEqual(
      expect.stringMatching(
        /^item 1 of 3 failed: command `[^\n]+`(?: \(\+\d+ lines?\))? exited with code 1 and printed nothing$/,
      ),
    );
    expect(["ok", "bad", "later"].map((item) => existsSync(join(run.cwd, `started-${item}`)))).toEqual([
      true,
      true,
      false,
    ]);
  },
  SLOW,
);

test.concurrent(
  "a foreach over something that is not a list fails with what to do",
  async () => {
    const run = await runFixtureJson("foreach/not-a-list.yaml");
    expect(run.exitCode).toBe(1);
    expect(run.step("each").error).toBe(
      "foreach must produce a list, got a string (it looks like JSON text: parse it in a python: step with json.loads first)",
    );
  },
  SLOW,
);

describe("vars in a foreach step", () => {
  test.concurrent(
    "vars reading item (or such a var) are rendered for each item; the others once; validate agrees",
    async () => {
      const cwd = scratch("item-vars");
      const pipeline =
        'name: iv\nsteps:\n  each:\n    foreach: "[1, 2, 3]"\n    vars:\n      double: "{{ item * 2 }}"\n      label: "n{{ double }}"\n      fixed: hello\n    run: echo {{ label }} {{ fixed }} {{ item_index }}\n';
      const outcome = await aiorch(["run", "p.yaml", "--format", "json"], { cwd, files: { "p.yaml": pipeline } });
      expect(outcome.stderr).toBe("");
      expect(JSON.parse(outcome.stdout).outputs).toEqual({ each: ["n2 hello 0", "n4 hello 1", "n6 hello 2"] });
      const validate = await aiorch(["validate", "p.yaml"], { cwd });
      expect(validate.stderr).toBe("");
      expect(validate.exitCode).toBe(0);
    },
    SLOW,
  );
});
