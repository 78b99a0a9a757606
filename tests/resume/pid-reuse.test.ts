/**
 * Crash detection survives pid reuse (issue 12 item 5): a run is recorded with its
 * process's start time besides its pid, so a `running` run whose pid now belongs to another
 * process (here: this test's own process, alive, started at another time) shows as crashed
 * in `history` and `trace`, and `resume` takes it up instead of asking to kill that process.
 * Before, such a run showed `running` for as long as the unrelated process lived, and
 * `resume` refused it ("still running (pid N)").
 */
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { processStart } from "../../src/history/process-identity.ts";
import { aiorch, removeScratch, scratch, SLOW } from "../run/harness.ts";
import { historyFileIn, onlyRunId } from "./helpers.ts";

afterAll(removeScratch);

const PIPELINE = `
name: reused-pid
steps:
  first:
    run: echo first
  second:
    depends: [first]
    run: test -f ok && echo second
`;

/** Makes run `id` look unfinished, recorded by process `pid` that started at `start` (when the schema records starts). */
function recordAsRunning(cwd: string, id: string, pid: number, start: string): void {
  const db = new Database(historyFileIn(cwd));
  try {
    db.query("UPDATE runs SET status = 'running', finished_at = NULL, pid = ? WHERE id = ?").run(pid, id);
    const columns = db
      .query<{ name: string }, []>("PRAGMA table_info(runs)")
      .all()
      .map((c) => c.name);
    if (columns.includes("pid_start")) db.query("UPDATE runs SET pid_start = ? WHERE id = ?").run(start, id);
  } finally {
    db.close();
  }
}

/** A failed run of PIPELINE in a fresh folder: its id and folder. */
async function failedRun(): Promise<{ cwd: string; id: string }> {
  const cwd = scratch("pid-reuse");
  writeFileSync(join(cwd, "p.yaml"), PIPELINE);
  const first = await aiorch(["run", "p.yaml"], { cwd });
  expect(first.exitCode).toBe(1);
  return { cwd, id: onlyRunId(cwd) };
}

test.concurrent(
  "a pid now held by an unrelated process (another start time): history and trace say crashed, resume proceeds",
  async () => {
    const { cwd, id } = await failedRun();
    const mine = processStart(process.pid);
    expect(mine).toBeDefined();
    recordAsRunning(cwd, id, process.pid, `${mine}-not-this-process`);

    const history = await aiorch(["history"], { cwd });
    expect(history.exitCode).toBe(0);
    expect(history.stdout.split("\n").find((line) => line.startsWith(id))).toMatch(/\bcrashed\b/);
    const trace = await aiorch(["trace", id], { cwd });
    expect(trace.exitCode).toBe(0);
    expect(trace.stdout).toContain("crashed");
    expect(trace.stdout).not.toMatch(/\brunning \(pid/);

    writeFileSync(join(cwd, "ok"), "");
    const resumed = await aiorch(["resume", id], { cwd });
    expect(resumed.stderr).not.toContain("still running");
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toContain("reused-pid succeeded");
  },
  SLOW,
);

test.concurrent(
  "the same pid with the same start time is the same process: still running, resume refuses",
  async () => {
    const { cwd, id } = await failedRun();
    recordAsRunning(cwd, id, process.pid, processStart(process.pid)!);
    const history = await aiorch(["history"], { cwd });
    expect(history.stdout.split("\n").find((line) => line.startsWith(id))).toMatch(/\brunning\b/);
    const resumed = await aiorch(["resume", id], { cwd });
    expect(resumed.exitCode).toBe(2);
    expect(resumed.stderr).toContain(`run ${id} is still running (pid ${process.pid})`);
  },
  SLOW,
);
