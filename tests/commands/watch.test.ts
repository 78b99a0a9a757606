/**
 * `aiorch run --watch`: the real CLI is started, files are changed under it, and the runs
 * it makes are counted (each run appends a line to runs.log). Every wait is bounded, and
 * the child is killed at the end whatever happened.
 */
import { afterAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeScratch, spawnAiorch, waitUntil } from "../run/harness.ts";

afterAll(removeScratch);

const PIPELINE = `name: watched
input:
  note: {type: string}
steps:
  record:
    run: echo {{ note }} >> runs.log
  sub:
    flow: sub.yaml
`;
const SUB = "name: sub\nsteps:\n  inner:\n    run: echo inner\n";

/** Longer than a poll and the quiet time of the watcher (150 + 300 ms), so that it has taken its snapshot. */
const SETTLE_MS = 700;

test("--watch runs again when the pipeline, a flow file or an @file input changes; a burst is one run; Ctrl-C exits 130", async () => {
  const { child, cwd, done } = spawnAiorch(["run", "--watch", "--set", "note=@note.txt"], {
    files: { "Aiorch.yaml": PIPELINE, "sub.yaml": SUB, "note.txt": "first" },
  });
  const runs = () => {
    try {
      return readFileSync(join(cwd, "runs.log"), "utf8").trim().split("\n").length;
    } catch {
      return 0;
    }
  };
  try {
    expect(await waitUntil(() => runs() === 1, 10_000)).toBe(true);
    await Bun.sleep(SETTLE_MS);

    writeFileSync(join(cwd, "note.txt"), "second");
    expect(await waitUntil(() => runs() === 2, 10_000)).toBe(true);
    expect(readFileSync(join(cwd, "runs.log"), "utf8")).toContain("second");
    await Bun.sleep(SETTLE_MS);

    writeFileSync(join(cwd, "sub.yaml"), SUB.replace("echo inner", "echo changed"));
    expect(await waitUntil(() => runs() === 3, 10_000)).toBe(true);
    await Bun.sleep(SETTLE_MS);

    writeFileSync(join(cwd, "Aiorch.yaml"), `${PIPELINE}# edited\n`);
    expect(await waitUntil(() => runs() === 4, 10_000)).toBe(true);
    await Bun.sleep(SETTLE_MS);

    // Three saves 50 ms apart: one run once they stop.
    for (const text of ["a", "b", "c"]) {
      writeFileSync(join(cwd, "note.txt"), text);
      await Bun.sleep(50);
    }
    expect(await waitUntil(() => runs() === 5, 10_000)).toBe(true);
    await Bun.sleep(SETTLE_MS * 2);
    expect(runs()).toBe(5);

    child.kill("SIGINT");
    const outcome = await Promise.race([done, Bun.sleep(10_000).then(() => undefined)]);
    expect(outcome).toBeDefined();
    expect(outcome!.exitCode).toBe(130);
    expect(outcome!.stderr).toContain("for changes; Ctrl-C to stop");
    expect(outcome!.stderr).toContain("stopped watching");
    expect(outcome!.stdout.match(/watched succeeded/g)?.length).toBe(5);
  } finally {
    child.kill("SIGKILL");
  }
}, 60_000);
