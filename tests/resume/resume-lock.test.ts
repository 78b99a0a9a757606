/**
 * One resume of a run at a time (issue 12 item 6): a second `resume` of a run that another
 * process is resuming exits 2 naming that process and its run; a lock left by a resume that
 * was killed does not block the next one; and a run an earlier resume already completed is
 * not run again: `resume` exits 2 naming the run that completed it.
 * Before, the second resume ran the unfinished steps again, concurrently (here it would
 * have slept 300 s), and a completed run was resumed again from its original state.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, isAlive, readIn, removeScratch, scratch, SLOW, spawnAiorch, waitUntil } from "../run/harness.ts";
import { onlyRunId, runsIn } from "./helpers.ts";

afterAll(removeScratch);

/** `slow` fails without `ok`; with it, it writes its shell's pid and sleeps (unless `fast` exists). */
const PIPELINE = `
name: lockable
steps:
  first:
    run: echo first
  slow:
    depends: [first]
    run: |
      test -f ok || exit 1
      echo $$ > slow.pid
      test -f fast || sleep 300
`;

async function failedRun(): Promise<{ cwd: string; id: string }> {
  const cwd = scratch("resume-lock");
  writeFileSync(join(cwd, "p.yaml"), PIPELINE);
  expect((await aiorch(["run", "p.yaml"], { cwd })).exitCode).toBe(1);
  return { cwd, id: onlyRunId(cwd) };
}

/** Starts `resume id` and waits until its `slow` step sleeps. */
async function resumeUntilSlow(cwd: string, id: string) {
  rmSync(join(cwd, "slow.pid"), { force: true });
  const resume = spawnAiorch(["resume", id], { cwd });
  if (!(await waitUntil(() => Number(readIn(cwd, "slow.pid")?.trim()) > 0, 20_000))) {
    resume.child.kill("SIGKILL");
    const { stdout, stderr } = await resume.done;
    throw new Error(`the resume did not reach its slow step:\n${stdout}\n${stderr}`);
  }
  return resume;
}

/** The run the resume in progress recorded (the one resuming `id`, still running). */
function resumeRunOf(cwd: string, id: string): string {
  const runs = runsIn(cwd).filter((r) => r.resumedFrom === id && r.status === "running");
  expect(runs).toHaveLength(1);
  return runs[0]!.id;
}

test.concurrent(
  "a second resume while one runs: exit 2 naming the process and its run; after it ends, resume works again",
  async () => {
    const { cwd, id } = await failedRun();
    writeFileSync(join(cwd, "ok"), "");
    const first = await resumeUntilSlow(cwd, id);
    try {
      const resumeRun = resumeRunOf(cwd, id);
      const second = await aiorch(["resume", id], { cwd });
      expect(second.exitCode).toBe(2);
      expect(second.stderr).toContain(
        `run ${id} is being resumed by process ${first.child.pid} (resume run ${resumeRun})`,
      );
      expect(second.stderr).toContain(`aiorch resume ${resumeRun}`);
    } finally {
      first.child.kill("SIGINT");
    }
    expect((await first.done).exitCode).toBe(130);
    // The lock went with it: the next resume runs (and fails at once without `ok`).
    rmSync(join(cwd, "ok"));
    const third = await aiorch(["resume", id], { cwd });
    expect(third.stderr).not.toContain("is being resumed");
    expect(third.exitCode).toBe(1);
  },
  SLOW,
);

test.concurrent(
  "a lock left by a resume that was killed (kill -9) does not block the next resume",
  async () => {
    const { cwd, id } = await failedRun();
    writeFileSync(join(cwd, "ok"), "");
    const first = await resumeUntilSlow(cwd, id);
    const shell = Number(readIn(cwd, "slow.pid")?.trim());
    first.child.kill("SIGKILL");
    await first.done;
    // aiorch died without cleaning up: end its step's process group ourselves.
    process.kill(-shell, "SIGKILL");
    expect(await waitUntil(() => !isAlive(first.child.pid) && !isAlive(shell), 10_000)).toBe(true);
    writeFileSync(join(cwd, "fast"), "");
    const next = await aiorch(["resume", id], { cwd });
    expect(next.stderr).not.toContain("is being resumed");
    expect(next.exitCode).toBe(0);
  },
  SLOW,
);

test.concurrent(
  "resuming a run that an earlier resume completed: exit 2 naming that run, nothing runs again",
  async () => {
    const { cwd, id } = await failedRun();
    writeFileSync(join(cwd, "ok"), "");
    writeFileSync(join(cwd, "fast"), "");
    const completed = await aiorch(["resume", id], { cwd });
    expect(completed.exitCode).toBe(0);
    const by = runsIn(cwd).find((r) => r.resumedFrom === id)!.id;
    rmSync(join(cwd, "slow.pid"));
    const again = await aiorch(["resume", id], { cwd });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(
      `run ${id} was already resumed by run ${by}, which succeeded: nothing is left to resume`,
    );
    expect(existsSync(join(cwd, "slow.pid"))).toBe(false);
    expect(runsIn(cwd)).toHaveLength(2);
  },
  SLOW,
);
