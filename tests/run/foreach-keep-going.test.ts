/**
 * `on_item_failure: continue` through `aiorch run` (issue 13 item 15): every item runs
 * (after its retries), the step succeeds with None in the failed slots, its dependents run,
 * and the failures are listed — under the step's line, at the end of the run, in
 * `--format json` (`failed_items`) and in `aiorch trace`. Validation warns when there is no
 * foreach and suggests the word for a misspelt value.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  aiorch,
  fixture,
  linesIn,
  removeScratch,
  runFixture,
  runFixtureJson,
  scratch,
  SLOW,
  spawnAiorch,
  viewLine,
  waitUntil,
} from "./harness.ts";

afterAll(removeScratch);

test.concurrent(
  "every item runs, failed ones after their retries; the step succeeds with None in their slots and its dependent runs",
  async () => {
    const run = await runFixtureJson("foreach/keep-going.yaml");
    expect(run.exitCode).toBe(0);
    expect(run.doc.status).toBe("success");
    expect(run.doc.outputs.fan).toEqual(["ok-0", null, "ok-2", "ok-3", null, "ok-5"]);
    // Items 1 and 4 ran twice (retry: 1), the others once.
    const attempts = linesIn(run.cwd, "attempts.txt").sort();
    expect(attempts).toEqual(["0", "1", "1", "2", "3", "4", "4", "5"]);
    const fan = run.step("fan") as unknown as {
      status: string;
      error: null;
      failed_items: { index: number; error: string }[];
    };
    expect(fan.status).toBe("success");
    expect(fan.error).toBeNull();
    expect(fan.failed_items.map((f) => f.index)).toEqual([1, 4]);
    expect(fan.failed_items[0]!.error).toMatch(/exited with code 3$/);
    expect(run.doc.outputs.count).toBe(2);
    // A sequential foreach goes on past its first item too.
    expect(["a", "b", "c"].map((item) => existsSync(join(run.cwd, `ran-${item}`)))).toEqual([true, true, true]);
    expect(run.doc.outputs.sequential).toEqual([null, "b", "c"]);
    expect(["a", "b", "c"].map((item) => existsSync(join(run.cwd, `out/${item}.txt`)))).toEqual([false, true, true]);
    // Steps that lost no item have an empty list; each failed item has its own rendered command.
    expect((run.step("count") as unknown as { failed_items: unknown[] }).failed_items).toEqual([]);
    expect((fan.failed_items[0] as { input?: string }).input).toContain("1");
    expect((fan.failed_items[1] as { input?: string }).input).toContain("4");
  },
  SLOW,
);

test.concurrent(
  "the live view lists the failed items under the step and again at the end",
  async () => {
    const run = await runFixture("foreach/keep-going.yaml");
    expect(run.exitCode).toBe(0);
    expect(viewLine(run.stdout, "✓", "fan")).toBeDefined();
    const lines = run.stdout.split("\n");
    const under = lines.indexOf("    fan: 2 of 6 items failed:");
    expect(under).toBeGreaterThan(-1);
    expect(lines[under + 1]).toMatch(
      /^ {6}\[1\] command `.*`(?: \(\+\d+ lines?\))? exited with code 3 … item 1 broke$/,
    );
    expect(lines[under + 2]).toMatch(/^ {6}\[4\] /);
    const summary = lines.indexOf("  foreach-keep-going succeeded");
    expect(summary).toBeGreaterThan(under);
    const tail = lines.slice(summary);
    expect(tail).toContain("  ! fan: 2 of 6 items failed:");
    expect(tail).toContain("  ! sequential: 1 of 3 items failed:");
    expect(
      tail.some((line) =>
        /^ {6}\[0\] command `.*`(?: \(\+\d+ lines?\))? exited with code 1 and printed nothing$/.test(line),
      ),
    ).toBe(true);
  },
  SLOW,
);

test.concurrent(
  "trace shows the failed items of the step that kept going",
  async () => {
    const cwd = scratch("keep-going-trace");
    const run = await runFixtureJson("foreach/keep-going.yaml", [], { cwd });
    expect(run.exitCode).toBe(0);
    const trace = await aiorch(["trace", run.doc.run_id], { cwd });
    expect(trace.exitCode).toBe(0);
    expect(trace.stdout).toMatch(/items\s+.*2 failed/);
    expect(trace.stdout).toMatch(/^ +\[1\] command `.*`(?: \(\+\d+ lines?\))? exited with code 3/m);
    expect(trace.stdout).toMatch(/^ +\[4\] command `.*`(?: \(\+\d+ lines?\))? exited with code 3/m);
    expect(trace.stdout).toMatch(/^✓ +fan /m);
  },
  SLOW,
);

test.concurrent(
  "validate: on_item_failure without foreach is a warning; a misspelt value is an error with a suggestion",
  async () => {
    const cwd = scratch("keep-going-validate");
    writeFileSync(
      join(cwd, "no-foreach.yaml"),
      "name: p\nsteps:\n  one:\n    run: echo hi\n    on_item_failure: continue\n",
    );
    writeFileSync(
      join(cwd, "typo.yaml"),
      "name: p\nsteps:\n  each:\n    foreach: [1, 2]\n    run: echo {{ item }}\n    on_item_failure: contine\n",
    );
    const warned = await aiorch(["validate", "no-foreach.yaml"], { cwd });
    expect(warned.exitCode).toBe(0);
    expect(warned.stdout + warned.stderr).toContain(
      "no-foreach.yaml:5:5: warning: step `one`: `on_item_failure` only applies with foreach: and is ignored here",
    );
    const refused = await aiorch(["validate", "typo.yaml"], { cwd });
    expect(refused.exitCode).toBe(2);
    expect(refused.stdout + refused.stderr).toContain(
      'typo.yaml:6:22: error: step `each`: `on_item_failure` must be one of fail, continue, got "contine" (did you mean `continue`?)',
    );
  },
  SLOW,
);

test.concurrent(
  "explain says what a failed item does",
  async () => {
    const explained = await aiorch(["explain", fixture("foreach/keep-going.yaml"), "fan"]);
    expect(explained.exitCode).toBe(0);
    expect(explained.stdout).toContain(
      "A failed item does not stop the others (on_item_failure: continue): its slot holds None, the step still succeeds, and the failed items are listed.",
    );
    const plain = await aiorch(["explain", fixture("foreach/sources.yaml"), "by_path"]);
    expect(plain.stdout).toContain("It runs once for each item");
    expect(plain.stdout).not.toContain("on_item_failure");
  },
  SLOW,
);

test.concurrent(
  "Ctrl-C still stops a foreach that keeps going: the step is cancelled, no item after it starts",
  async () => {
    const started = spawnAiorch(["run", fixture("foreach/keep-going-slow.yaml"), "--format", "json"]);
    expect(await waitUntil(() => existsSync(join(started.cwd, "started-0")), 15_000)).toBe(true);
    started.child.kill("SIGINT");
    const outcome = await started.done;
    expect(outcome.exitCode).toBe(130);
    const doc = JSON.parse(outcome.stdout) as {
      status: string;
      steps: { name: string; status: string; failed_items?: unknown }[];
    };
    expect(doc.status).toBe("cancelled");
    expect(doc.steps[0]).toMatchObject({ name: "each", status: "cancelled" });
    expect(doc.steps[0]!.failed_items).toEqual([]);
    expect(existsSync(join(started.cwd, "started-1"))).toBe(false);
  },
  SLOW,
);
