/**
 * `aiorch resume RUN_ID` (docs/history.md): a new run that reuses every succeeded step and foreach item
 * and runs the rest. Proved by side effects: every step appends to a log file, so a step
 * that ran twice shows twice.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, linesIn, removeScratch, scratch, SLOW, spawnAiorch, STACK_TRACE, waitUntil } from "../run/harness.ts";
import { onlyRunId, runsIn } from "./helpers.ts";

afterAll(removeScratch);

/** `b` fails until the file `ok` exists; item 3 of `c` too. Every step logs its name. */
const FLAKY = `
name: flaky
input:
  who: { type: string, default: nobody }
steps:
  a:
    run: echo a >> log.txt; echo A-{{ who }}
  b:
    depends: [a]
    run: echo b >> log.txt; test -f ok || exit 3; echo B
  c:
    depends: [a]
    foreach: "[1, 2, 3, 4, 5]"
    parallel: true
    run: echo c{{ item }} >> log.txt; if [ {{ item }} = 3 ] && [ ! -f ok ]; then exit 4; fi; echo {{ item }}
  d:
    depends: [b, c]
    run: echo d >> log.txt; echo D
  e:
    run: echo e >> log.txt; echo E
`;

const counts = (lines: string[]) =>
  Object.fromEntries([...new Set(lines)].sort().map((l) => [l, lines.filter((x) => x === l).length]));

describe("resume after a failure", () => {
  test.concurrent(
    "reruns only what did not succeed: the failed step, the failed item, the skipped dependents",
    async () => {
      const cwd = scratch("resume");
      writeFileSync(join(cwd, "p.yaml"), FLAKY);
      const first = await aiorch(["run", "p.yaml", "-i", "who=ada"], { cwd });
      expect(first.exitCode).toBe(1);
      const id = onlyRunId(cwd);
      expect(first.stderr).toContain(`aiorch resume ${id}`);
      expect(counts(linesIn(cwd, "log.txt"))).toEqual({ a: 1, b: 1, c1: 1, c2: 1, c3: 1, c4: 1, c5: 1, e: 1 });

      writeFileSync(join(cwd, "ok"), "");
      writeFileSync(join(cwd, "log.txt"), "");
      const second = await aiorch(["resume", id], { cwd });
      expect(second.stderr).toBe("");
      expect(second.exitCode).toBe(0);
      // Only b, item 3 of c, and d ran again; a, e and the four good items were reused.
      expect(counts(linesIn(cwd, "log.txt"))).toEqual({ b: 1, c3: 1, d: 1 });
      expect(second.stdout).toContain(`↺ a`);
      expect(second.stdout).toContain(`reused from run ${id}`);
      expect(second.stdout).toMatch(/✓ c .*\["1","2","3","4","5"\]/);

      const runs = runsIn(cwd);
      expect(runs.map((r) => r.status)).toEqual(["success", "failed"]);
      expect(runs[0]!.resumedFrom).toBe(id);
      // The original inputs were used: a's reused output and the new run's recorded inputs.
      expect(runs[0]!.inputs).toEqual({ who: "ada" });
    },
    SLOW,
  );

  test.concurrent(
    "a resumed run that fails again can be resumed in turn",
    async () => {
      const cwd = scratch("resume-chain");
      writeFileSync(join(cwd, "p.yaml"), FLAKY);
      await aiorch(["run", "p.yaml"], { cwd });
      const first = onlyRunId(cwd);
      writeFileSync(join(cwd, "log.txt"), "");
      const again = await aiorch(["resume", first], { cwd });
      expect(again.exitCode).toBe(1);
      expect(counts(linesIn(cwd, "log.txt"))).toEqual({ b: 1, c3: 1 });
      const second = runsIn(cwd)[0]!.id;
      writeFileSync(join(cwd, "ok"), "");
      writeFileSync(join(cwd, "log.txt"), "");
      // Both runs may start in the same second: only the random end of an id tells them apart.
      const end = second.slice(-4);
      const last = await aiorch(["resume", first.includes(end) ? second : end], { cwd });
      expect(last.exitCode).toBe(0);
      expect(counts(linesIn(cwd, "log.txt"))).toEqual({ b: 1, c3: 1, d: 1 });
    },
    SLOW,
  );

  test.concurrent(
    "--format json: one document; reused steps are successes with their reason",
    async () => {
      const cwd = scratch("resume-json");
      writeFileSync(join(cwd, "p.yaml"), FLAKY);
      await aiorch(["run", "p.yaml"], { cwd });
      const id = onlyRunId(cwd);
      writeFileSync(join(cwd, "ok"), "");
      const outcome = await aiorch(["resume", id, "--format", "json"], { cwd });
      expect(outcome.exitCode).toBe(0);
      const doc = JSON.parse(outcome.stdout) as {
        status: string;
        outputs: Record<string, unknown>;
        steps: { name: string; status: string; attempts: number; reason?: string }[];
      };
      expect(doc.status).toBe("success");
      expect(doc.outputs).toEqual({ a: "A-nobody", b: "B", c: ["1", "2", "3", "4", "5"], d: "D", e: "E" });
      expect(doc.steps.find((s) => s.name === "a")).toMatchObject({
        status: "success",
        attempts: 0,
        reason: `reused from run ${id}`,
      });
      expect(doc.steps.find((s) => s.name === "b")).toMatchObject({ status: "success", attempts: 1 });
    },
    SLOW,
  );

  test.concurrent(
    "a flow that failed half-way reuses its inner steps that succeeded",
    async () => {
      const cwd = scratch("resume-flow");
      writeFileSync(
        join(cwd, "child.yaml"),
        "name: child\nsteps:\n  one:\n    run: echo one >> log.txt; echo 1\n  two:\n    depends: [one]\n    run: echo two >> log.txt; test -f ok || exit 5; echo 2\n",
      );
      writeFileSync(
        join(cwd, "p.yaml"),
        "name: parent\nsteps:\n  sub:\n    flow: child.yaml\n  after:\n    depends: [sub]\n    run: echo after >> log.txt\n",
      );
      expect((await aiorch(["run", "p.yaml"], { cwd })).exitCode).toBe(1);
      writeFileSync(join(cwd, "ok"), "");
      writeFileSync(join(cwd, "log.txt"), "");
      const resumed = await aiorch(["resume", onlyRunId(cwd)], { cwd });
      expect(resumed.exitCode).toBe(0);
      expect(linesIn(cwd, "log.txt")).toEqual(["two", "after"]);
    },
    SLOW,
  );
});

describe("resume after Ctrl-C", () => {
  test.concurrent(
    "a cancelled run is resumable; the step that finished is not run again",
    async () => {
      const cwd = scratch("resume-cancel");
      writeFileSync(
        join(cwd, "p.yaml"),
        "name: slow\nsteps:\n  quick:\n    run: echo quick >> log.txt\n  slow:\n    depends: [quick]\n    run: echo slow-start >> log.txt; test -f fast || sleep 30; echo slow-end >> log.txt\n",
      );
      const { child, done } = spawnAiorch(["run", "p.yaml"], { cwd });
      expect(await waitUntil(() => linesIn(cwd, "log.txt").includes("slow-start"), 15_000)).toBe(true);
      child.kill("SIGINT");
      const cancelled = await done;
      expect(cancelled.exitCode).toBe(130);
      expect(runsIn(cwd)[0]!.status).toBe("cancelled");
      writeFileSync(join(cwd, "fast"), "");
      writeFileSync(join(cwd, "log.txt"), "");
      const resumed = await aiorch(["resume", onlyRunId(cwd)], { cwd });
      expect(resumed.exitCode).toBe(0);
      expect(linesIn(cwd, "log.txt")).toEqual(["slow-start", "slow-end"]);
    },
    SLOW,
  );
});

describe("what resume refuses", () => {
  test.concurrent(
    "a successful run, an unknown id, a run whose file is gone: exit 2 with a hint, no stack trace",
    async () => {
      const cwd = scratch("resume-refuse");
      writeFileSync(join(cwd, "ok.yaml"), "name: fine\nsteps:\n  a:\n    run: echo a\n");
      expect((await aiorch(["run", "ok.yaml"], { cwd })).exitCode).toBe(0);
      const id = onlyRunId(cwd);
      const success = await aiorch(["resume", id], { cwd });
      expect(success.exitCode).toBe(2);
      expect(success.stderr).toContain(`error: run ${id} succeeded: there is nothing to resume`);
      expect(success.stderr).toContain("hint: `aiorch run");

      const unknown = await aiorch(["resume", "zzzz-not-a-run"], { cwd });
      expect(unknown.exitCode).toBe(2);
      expect(unknown.stderr).toContain('error: no run "zzzz-not-a-run" in the history');

      writeFileSync(join(cwd, "bad.yaml"), "name: gone\nsteps:\n  a:\n    run: exit 1\n");
      expect((await aiorch(["run", "bad.yaml"], { cwd })).exitCode).toBe(1);
      const failed = runsIn(cwd)[0]!.id;
      rmSync(join(cwd, "bad.yaml"));
      const gone = await aiorch(["resume", failed], { cwd });
      expect(gone.exitCode).toBe(2);
      expect(gone.stderr).toContain("which no longer exists");
      for (const outcome of [success, unknown, gone]) expect(outcome.stderr).not.toMatch(STACK_TRACE);
    },
    SLOW,
  );

  test.concurrent(
    "resume with no run id is a usage error",
    async () => {
      const outcome = await aiorch(["resume"]);
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toMatch(/run_id|RUN_ID/i);
      expect(outcome.stderr).not.toMatch(STACK_TRACE);
    },
    SLOW,
  );
});
