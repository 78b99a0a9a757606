/**
 * Regressions: each test once reproduced an engine bug found while writing tests/run/,
 * and now guards its fix.
 */
import { expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { aiorch, scratch } from "./harness.ts";

/** Writes `yaml` as pipeline.yaml (plus extra files) in a fresh directory; runs it there. */
async function runYaml(
  yaml: string,
  args: string[] = [],
  env: Record<string, string> = {},
  extra: Record<string, string> = {},
) {
  const dir = scratch("bug");
  writeFileSync(join(dir, "pipeline.yaml"), yaml);
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return aiorch(["run", "pipeline.yaml", ...args], { cwd: dir, env });
}

test("1. a timeout on a flow: step is ignored", async () => {
  const run = await runYaml(
    "name: ft\nsteps:\n  sub:\n    flow: child.yaml\n    timeout: 1s\n",
    ["--format", "json"],
    {},
    { "child.yaml": "name: child\nsteps:\n  slow:\n    run: sleep 3; touch child-finished; echo done\n" },
  );
  const doc = JSON.parse(run.stdout);
  expect(doc.steps[0]).toMatchObject({ status: "failed", error: "timed out after 1s" }); // actual: success after 3 s
  expect(existsSync(join(run.cwd, "child-finished"))).toBe(false); // actual: true
}, 20_000);

test("2. time spent waiting for a --concurrency slot counts against timeout:", async () => {
  const run = await runYaml(
    "name: qt\nsteps:\n  long:\n    run: sleep 2; echo long\n  quick:\n    timeout: 1s\n    run: touch quick-ran; echo quick\n",
    ["--concurrency", "1", "--format", "json"],
  );
  const doc = JSON.parse(run.stdout);
  expect(doc.steps[1]).toMatchObject({ name: "quick", status: "success" }); // actual: failed "timed out after 1s"
  expect(existsSync(join(run.cwd, "quick-ran"))).toBe(true); // actual: false - it never ran
}, 20_000);

test("3. time spent waiting for a python worker counts against timeout: (per foreach item)", async () => {
  const items = availableParallelism() + 1; // one more item than the pool has workers
  const run = await runYaml(
    `name: pq\nsteps:\n  fan:\n    foreach: ${JSON.stringify(Array.from({ length: items }, (_, i) => i))}\n    parallel: true\n    timeout: 1s\n    python: |\n      import time\n      time.sleep(0.7)\n      result = inputs["item"]\n`,
    ["--format", "json"],
  );
  const doc = JSON.parse(run.stdout);
  expect(doc.steps[0]).toMatchObject({ status: "success" }); // actual: "item N of N failed: timed out after 1s"
}, 20_000);

test("4. the live view prints nothing when NODE_ENV=test (or TEST=1)", async () => {
  const run = await runYaml("name: quiet\nsteps:\n  hello:\n    run: echo hi\n", [], { NODE_ENV: "test" });
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toContain("✓ hello"); // actual: stdout is ""
  expect(run.stdout).toContain("quiet succeeded");
}, 20_000);

test("5. in CI (CI=true) every line of the live view is prefixed with [log]", async () => {
  const run = await runYaml("name: ci\nsteps:\n  hello:\n    run: echo hi\n", [], { CI: "true" });
  expect(run.stdout.split("\n")[0]).toBe("▶ hello     run"); // actual: "[log] ▶ hello     run"
}, 20_000);

test("6. the live view eats backticks and _underscores_ from results and from -v commands", async () => {
  const run = await runYaml(
    "name: ticks\nsteps:\n  t:\n    run: |\n      echo 'see `man sh` and my _private_ helper'\n",
    ["-v"],
  );
  expect(run.stdout).toContain("echo 'see `man sh` and my _private_ helper'"); // actual: "echo 'see man sh and my private helper'"
  expect(run.stdout).toMatch(/✓ t\s+\S+\s+see `man sh` and my _private_ helper/); // actual: backticks and underscores gone
}, 20_000);

test("7. a YAML alias to a scalar is refused as `a mapping`", async () => {
  const run = await runYaml("name: alias\nsteps:\n  one:\n    run: &cmd echo hi\n  two:\n    run: *cmd\n", [
    "--format",
    "json",
  ]);
  expect(run.exitCode).toBe(0); // actual: 2, "step `two`: `run` must be a string, got a mapping"
}, 20_000);

test("8. with --concurrency, a queued step's start line and clock start before it gets a slot", async () => {
  const run = await runYaml("name: q\nsteps:\n  a:\n    run: sleep 1\n  b:\n    run: echo b\n", ["--concurrency", "1"]);
  const lines = run.stdout.split("\n");
  // b may only be shown as started after a has ended, and its duration must not include the wait.
  expect(lines.findIndex((l) => l.startsWith("▶ b"))).toBeGreaterThan(lines.findIndex((l) => l.startsWith("✓ a")));
  expect(lines.find((l) => l.startsWith("✓ b"))).toMatch(/✓ b\s+\d+ms/); // actual: "✓ b  1.01s"
}, 20_000);
