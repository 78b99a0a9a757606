/**
 * Issue 12 item 4: a step's timeout, Ctrl-C, SIGTERM and SIGHUP end everything the step
 * started, including processes that left its process group (a new session holding the
 * step's stdout and stderr), and aiorch does not wait for the pipes they held. The exit
 * code names the signal (130, 143, 129) and the recorded status agrees with it.
 *
 * Before: the timeout and SIGTERM cases waited for the detached `sleep 300` (the tests hit
 * their time limit), SIGHUP killed aiorch and left every step running, SIGTERM exited 130,
 * and a python step leaving a detached child never let the run end (a SIGINT sent once the
 * run was recorded `success` then made aiorch exit 130).
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  fixture,
  isAlive,
  pidsIn,
  readIn,
  removeScratch,
  SLOW,
  spawnAiorch,
  viewLine,
  waitUntil,
  type RunOptions,
} from "./harness.ts";
import { builtBinary } from "../helpers/binary.ts";

afterAll(removeScratch);

const PID_FILES = ["shell-detached.pid", "shell-sh.pid", "python-detached.pid", "python-worker.pid"];

/** The statuses recorded for the runs in `cwd`'s AIORCH_HOME. */
function recordedStatuses(cwd: string): string[] {
  const file = join(cwd, ".aiorch-home", "history.db");
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true });
  try {
    return db
      .query<{ status: string }, []>("SELECT status FROM runs")
      .all()
      .map((r) => r.status);
  } catch {
    return []; // the file is being created
  } finally {
    db.close();
  }
}

/** Kills what a test left running on purpose (or what a failing test left behind). */
function cleanUp(pids: number[]): void {
  for (const pid of pids) {
    try {
      if (pid > 0) process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}

/** Runs detached.yaml, waits for every pid file, sends `signal`, and returns the outcome and whether every process is gone. */
async function interruptDetached(signal: "SIGINT" | "SIGTERM" | "SIGHUP", options: RunOptions = {}) {
  const started = spawnAiorch(["run", fixture("signals/detached.yaml")], options);
  const ready = await waitUntil(() => PID_FILES.every((f) => Number(readIn(started.cwd, f)?.trim()) > 0), 20_000);
  if (!ready) {
    started.child.kill("SIGKILL");
    const { stdout, stderr } = await started.done;
    throw new Error(`the steps did not all start:\n${stdout}\n${stderr}`);
  }
  const pids = pidsIn(started.cwd, PID_FILES);
  try {
    expect(pids.every(isAlive)).toBe(true);
    started.child.kill(signal);
    const run = await started.done;
    const gone = await waitUntil(() => pids.every((pid) => !isAlive(pid)), 10_000);
    return { run, gone, survivors: pids.filter(isAlive) };
  } finally {
    cleanUp(pids);
  }
}

for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
] as const) {
  test.concurrent(
    `${signal}: exit ${code}, every process ends (those in a new session too), the run is recorded cancelled`,
    async () => {
      const { run, gone, survivors } = await interruptDetached(signal);
      expect({ exit: run.exitCode, survivors }).toEqual({ exit: code, survivors: [] });
      expect(gone).toBe(true);
      expect(viewLine(run.stdout, "■", "shell")).toMatch(/cancelled$/);
      expect(viewLine(run.stdout, "■", "python_step")).toMatch(/cancelled$/);
      expect(run.stdout).toContain("  detached cancelled\n");
      expect(recordedStatuses(run.cwd)).toEqual(["cancelled"]);
    },
    SLOW,
  );
}

test.concurrent(
  "a timeout ends the steps' detached processes, and the run ends without waiting for them",
  async () => {
    const started = spawnAiorch(["run", fixture("signals/detached-timeout.yaml")]);
    const run = await started.done;
    const pids = pidsIn(run.cwd, ["shell-detached.pid", "python-detached.pid", "python-forked.pid"]);
    try {
      expect(run.exitCode).toBe(1);
      expect(viewLine(run.stdout, "✗", "shell")).toMatch(/timed out after 2s$/);
      expect(viewLine(run.stdout, "✗", "python_step")).toMatch(/timed out after 2s$/);
      expect(viewLine(run.stdout, "✗", "python_fork")).toMatch(/timed out after 2s$/);
      expect(pids.every((pid) => pid > 0)).toBe(true);
      expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)), 10_000)).toBe(true);
      expect(recordedStatuses(run.cwd)).toEqual(["failed"]);
    } finally {
      cleanUp(pids);
    }
  },
  SLOW,
);

test.concurrent(
  "a python step that leaves a detached child holding the worker's stderr: the run still ends, exit 0, recorded success",
  async () => {
    const started = spawnAiorch(["run", fixture("signals/detached-left.yaml")]);
    let left = 0;
    try {
      // Once the run is recorded, a signal may only end aiorch with the code of that status.
      await waitUntil(() => recordedStatuses(started.cwd).includes("success"), 20_000);
      left = Number(readIn(started.cwd, "left.pid")?.trim());
      started.child.kill("SIGINT");
      const run = await started.done;
      expect({ exit: run.exitCode, recorded: recordedStatuses(run.cwd) }).toEqual({ exit: 0, recorded: ["success"] });
      // Ending normally does not kill what a step chose to leave running.
      expect(left > 0 && isAlive(left)).toBe(true);
    } finally {
      cleanUp([left]);
    }
  },
  SLOW,
);

describe("the compiled binary", () => {
  let binary = "";
  beforeAll(() => {
    binary = builtBinary();
  }, 180_000);

  test(
    "SIGTERM: exit 143, every process ends, recorded cancelled",
    async () => {
      const { run, gone, survivors } = await interruptDetached("SIGTERM", { command: [binary] });
      expect({ exit: run.exitCode, survivors }).toEqual({ exit: 143, survivors: [] });
      expect(gone).toBe(true);
      expect(recordedStatuses(run.cwd)).toEqual(["cancelled"]);
    },
    SLOW,
  );
});
