/**
 * What the view shows while steps run: with -v every printed line as it is written,
 * prefixed with the step (and item); in a log (no terminal) a progress line at a steady
 * interval; a resume's reused items; --quiet for cron. Steps wait for a file that the test
 * creates only after it has seen the line it expects, so "live" is proven without timing.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, SLOW, spawnWatched, viewLine } from "./harness.ts";

afterAll(removeScratch);

/** Shell that waits (at most 20 s) until the file `name` exists. */
const waitForFile = (name: string) => `i=0; while [ ! -f ${name} ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done`;

describe("-v: printed lines appear as they are written", () => {
  test.concurrent(
    "run: and python: steps, and foreach items, each line prefixed with its step",
    async () => {
      const pipeline = `name: live
steps:
  build:
    run: |
      echo compiling
      ${waitForFile("go-build")}
      echo linked >&2
  check:
    python: |
      import os, time
      print("checking", flush=True)
      for _ in range(400):
          if os.path.exists("go-check"):
              break
          time.sleep(0.05)
      print("checked")
  each:
    foreach: [a, b]
    run: echo item {{ item }}
`;
      const run = spawnWatched(["run", "p.yaml", "-v"], { files: { "p.yaml": pipeline } });
      // Shown while the step is still waiting: the line came before the step ended.
      await run.waitFor("\nbuild    | compiling\n");
      expect(run.stdout()).not.toContain("✓ build");
      writeFileSync(join(run.cwd, "go-build"), "");
      await run.waitFor("\ncheck    | checking\n");
      expect(run.stdout()).not.toContain("✓ check");
      writeFileSync(join(run.cwd, "go-check"), "");
      const done = await run.done;
      expect(done.exitCode).toBe(0);
      expect(done.stdout).toContain("\nbuild    | linked\n");
      expect(done.stdout).toContain("\ncheck    | checked\n");
      expect(done.stdout).toContain("\neach[0]  | item a\n");
      expect(done.stdout).toContain("\neach[1]  | item b\n");
    },
    SLOW,
  );

  test.concurrent(
    "without -v nothing a step prints is shown while it runs",
    async () => {
      const run = await aiorch(["run", "p.yaml"], {
        files: { "p.yaml": "name: t\nsteps:\n  s:\n    run: |\n      echo hidden >&2\n      echo result\n" },
      });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).not.toContain("hidden");
      expect(run.stdout).not.toContain(" | ");
    },
    SLOW,
  );
});

describe("progress without a terminal (a CI log)", () => {
  test.concurrent(
    "a long step and a long foreach print a progress line every AIORCH_PROGRESS_INTERVAL",
    async () => {
      const pipeline = `name: slow
steps:
  wait:
    run: |
      ${waitForFile("go")}
  fan:
    foreach: [1, 2, 3]
    run: |
      ${waitForFile("go")}
`;
      const run = spawnWatched(["run", "p.yaml"], {
        files: { "p.yaml": pipeline },
        env: { AIORCH_PROGRESS_INTERVAL: "200ms" },
      });
      await run.waitFor(/\n {2}wait {2}running for \S+\n/);
      await run.waitFor(/\n {2}fan {2}0\/3 \(0%\) {2}0\.0 items\/s\n/);
      writeFileSync(join(run.cwd, "go"), "");
      const done = await run.done;
      expect(done.exitCode).toBe(0);
      // Plain lines: nothing that redraws a terminal.
      expect(done.stdout).not.toContain("\x1b[");
    },
    SLOW,
  );

  test.concurrent(
    "a bad AIORCH_PROGRESS_INTERVAL is a usage error",
    async () => {
      const run = await aiorch(["run", "p.yaml"], {
        files: { "p.yaml": "name: t\nsteps:\n  s:\n    run: echo hi\n" },
        env: { AIORCH_PROGRESS_INTERVAL: "soon" },
      });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('AIORCH_PROGRESS_INTERVAL must be a duration such as 30s or 2m, got "soon"');
    },
    SLOW,
  );
});

describe("a resume names the items it reused", () => {
  test.concurrent(
    "the start line counts them; the items that ran are the rest",
    async () => {
      const pipeline = `name: fan
steps:
  each:
    foreach: [1, 2, 3, 4]
    run: |
      if [ {{ item }} = 3 ] && [ ! -f fixed ]; then exit 1; fi
      echo {{ item }} >> ran.txt
`;
      const first = await aiorch(["run", "p.yaml"], { files: { "p.yaml": pipeline } });
      expect(first.exitCode).toBe(1);
      writeFileSync(join(first.cwd, "fixed"), "");
      const resumed = await aiorch(["resume", "last"], { cwd: first.cwd });
      expect(resumed.exitCode).toBe(0);
      expect(resumed.stdout).toContain("▶ each      run × 4 (2 reused)\n");
    },
    SLOW,
  );
});

describe("--quiet", () => {
  const PIPELINE =
    "name: nightly\nsteps:\n  fetch:\n    run: echo fetched\n  report:\n    depends: [fetch]\n    run: echo reported\n";

  test.concurrent(
    "a success prints one line",
    async () => {
      const run = await aiorch(["run", "p.yaml", "--quiet"], { files: { "p.yaml": PIPELINE } });
      expect(run.exitCode).toBe(0);
      // No prompt step, no cost.
      expect(run.stdout).toMatch(/^nightly succeeded: 2 steps, \S+\n$/);
      expect(run.stderr).toBe("");
    },
    SLOW,
  );

  test.concurrent(
    "a failure prints the failed step with its output, and the final line",
    async () => {
      const failing =
        "name: nightly\nsteps:\n  fetch:\n    run: echo fetched\n  backup:\n    run: |\n      echo disk full >&2\n      exit 3\n";
      const run = await aiorch(["run", "p.yaml", "-q"], { files: { "p.yaml": failing } });
      expect(run.exitCode).toBe(1);
      expect(run.stdout.split("\n")).toEqual([
        expect.stringMatching(/^✗ backup\s+\S+ {2}command `echo disk full >&2` \(\+1 line\) exited with code 3$/),
        "    stderr:",
        "      disk full",
        expect.stringMatching(/^nightly failed: 2 steps, \S+$/),
        "",
      ]);
      expect(viewLine(run.stdout, "✓", "fetch")).toBeUndefined();
    },
    SLOW,
  );

  test.concurrent(
    "-v and --quiet together are refused",
    async () => {
      const run = await aiorch(["run", "p.yaml", "-v", "--quiet"], { files: { "p.yaml": PIPELINE } });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain("-v and --quiet cannot be used together");
    },
    SLOW,
  );
});
