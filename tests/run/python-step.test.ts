/**
 * `python:` steps through `aiorch run` (docs/pipeline-reference.md#results-names-and-context, docs/pipeline-reference.md#results-names-and-context, docs/execution.md#python-steps): result versus printed output,
 * the `inputs` dict (a private copy), tracebacks that point at the step's own lines,
 * timeouts that really stop the code, and bytes between steps.
 */
import { afterAll, expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isAlive, pidsIn, removeScratch, runFixture, runFixtureJson, SLOW, viewLine, waitUntil } from "./harness.ts";

afterAll(removeScratch);

test.concurrent(
  "`result` when assigned, else the printed output (trimmed); inputs is a dict and a private copy",
  async () => {
    const run = await runFixtureJson("python/results.yaml", ["-i", "limit=7"]);
    expect(run.exitCode).toBe(0);
    expect(run.doc.outputs).toEqual({
      printed: "hello from print  \nsecond line",
      assigned: { n: 1, nested: [true, null, 2.5] },
      none_result: "printed wins over None",
      falsy: 0,
      reads_inputs: { who: "Ada", limit: 7, get: "dflt", keys: ["limit", "who"] },
      source: { list: [1, 2] },
      mutator: { list: [1, 2, 99] },
      // The mutation of `inputs` in `mutator` never reached `reader`.
      reader: [{ list: [1, 2] }, "Ada"],
    });
  },
  SLOW,
);

test.concurrent(
  "an exception names the error, the step and the line of the body, and fails the run",
  async () => {
    const run = await runFixtureJson("python/traceback.yaml");
    expect(run.exitCode).toBe(1);
    expect(run.step("parse_rows").error).toBe(
      "ValueError: invalid literal for int() with base 10: 'three' (step parse_rows, line 4 of the body)",
    );
    expect(run.step("divide").error).toBe("ZeroDivisionError: division by zero (step divide, line 3 of the body)");
    const text = await runFixture("python/traceback.yaml");
    expect(viewLine(text.stdout, "✗", "divide")).toMatch(
      /^✗ divide\s+\S+\s+ZeroDivisionError: division by zero \(step divide, line 3 of the body\)$/,
    );
  },
  SLOW,
);

test.concurrent(
  "a python timeout really stops the code, and the children it started",
  async () => {
    const run = await runFixtureJson("python/timeout.yaml");
    expect(run.exitCode).toBe(1);
    expect(run.step("spin")).toMatchObject({ status: "failed", error: "timed out after 2s" });
    const file = join(run.cwd, "grow.txt");
    const before = statSync(file).size;
    expect(before).toBeGreaterThan(0);
    await Bun.sleep(500);
    expect(statSync(file).size).toBe(before);
    const [child] = pidsIn(run.cwd, ["child.pid"]);
    expect(await waitUntil(() => !isAlive(child!), 3000)).toBe(true);
  },
  SLOW,
);

test.concurrent(
  "after a timeout the worker is killed and the retry succeeds in another one",
  async () => {
    const run = await runFixtureJson("python/timeout-retry.yaml");
    expect(run.exitCode).toBe(0);
    expect(run.step("flaky")).toMatchObject({ status: "success", attempts: 2 });
    const { first_pid: first, second_pid: second } = run.doc.outputs.flaky as { first_pid: number; second_pid: number };
    expect(second).not.toBe(first);
    expect(await waitUntil(() => !isAlive(first), 3000)).toBe(true);
  },
  SLOW,
);

test.concurrent(
  "bytes round-trip between steps, nested too, and save: writes them raw",
  async () => {
    const run = await runFixtureJson("python/bytes.yaml");
    expect(run.exitCode).toBe(0);
    expect(run.doc.outputs.check).toEqual({ type: "bytes", len: 260, same: true });
    expect(run.doc.outputs.unpack).toEqual(["bytes", [0, 1, 2, 3], [[97], [255]]]);
    const expected = new Uint8Array([
      ...Array.from({ length: 256 }, (_, i) => i),
      0,
      ...new TextEncoder().encode("end"),
    ]);
    expect(new Uint8Array(readFileSync(join(run.cwd, "blob.bin")))).toEqual(expected);
    // --format json shows bytes as base64 under a marker.
    expect(run.doc.outputs.make).toEqual({ $bytes: Buffer.from(expected).toString("base64") });
  },
  SLOW,
);
