/**
 * Ctrl-C (docs/execution.md#retries-and-timeouts): SIGINT or SIGTERM to aiorch while steps run `sleep 30` children. aiorch
 * must stop starting steps, kill every running process (shell children, the python worker
 * and what it spawned, foreach items), report the run cancelled and exit 130 (SIGTERM: 143).
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fixture, isAlive, pidsIn, removeScratch, SLOW, spawnAiorch, viewLine, waitUntil } from "./harness.ts";

afterAll(removeScratch);

const PID_FILES = [
  "shell-sh.pid",
  "shell-sleep.pid",
  "python-worker.pid",
  "python-sleep.pid",
  "fan-1.pid",
  "fan-2.pid",
];

/** Starts the sleepers, waits until every child has written its pid, then sends `signal`. */
async function interrupt(signal: "SIGINT" | "SIGTERM", extraArgs: string[] = []) {
  const started = spawnAiorch(["run", fixture("signals/sleepers.yaml"), ...extraArgs]);
  const ready = await waitUntil(() => PID_FILES.every((f) => existsSync(join(started.cwd, f))), 15_000);
  if (!ready) {
    started.child.kill("SIGINT");
    const { stdout, stderr } = await started.done;
    throw new Error(`the steps did not all start:\n${stdout}\n${stderr}`);
  }
  // Every pid file is written before its process goes to sleep; give the writes a moment to land.
  await Bun.sleep(100);
  const pids = pidsIn(started.cwd, PID_FILES);
  expect(pids.every((pid) => pid > 0 && isAlive(pid))).toBe(true);
  started.child.kill(signal);
  const run = await started.done;
  const survivors = async () =>
    (await waitUntil(() => pids.every((pid) => !isAlive(pid)), 5000)) ? [] : pids.filter(isAlive);
  return { run, survivors };
}

test.concurrent(
  "SIGINT: exit 130, the run reported cancelled, no child process survives",
  async () => {
    const { run, survivors } = await interrupt("SIGINT");
    expect(run.exitCode).toBe(130);
    expect(await survivors()).toEqual([]);
    for (const step of ["shell", "python_sub", "fan"])
      expect(viewLine(run.stdout, "■", step)).toMatch(new RegExp(`^■ ${step}\\s+cancelled$`));
    expect(viewLine(run.stdout, "-", "after")).toMatch(/^- after\s+skipped: run cancelled$/);
    expect(run.stdout).toMatch(/\n {2}sleepers cancelled\n {2}4 steps, \S+\n$/);
    expect(run.stderr).toContain("interrupted: stopping running steps");
    expect(existsSync(join(run.cwd, "after-ran"))).toBe(false);
  },
  SLOW,
);

test.concurrent(
  "SIGINT with --format json: one document with status cancelled, exit 130",
  async () => {
    const { run, survivors } = await interrupt("SIGINT", ["--format", "json"]);
    expect(run.exitCode).toBe(130);
    expect(await survivors()).toEqual([]);
    const doc = JSON.parse(run.stdout) as {
      status: string;
      steps: Array<{ name: string; status: string; error: string | null }>;
    };
    expect(doc.status).toBe("cancelled");
    // In the order they started (all three at once), the skipped one where it ended.
    expect(doc.steps.map((s) => [s.name, s.status]).sort()).toEqual([
      ["after", "skipped"],
      ["fan", "cancelled"],
      ["python_sub", "cancelled"],
      ["shell", "cancelled"],
    ]);
  },
  SLOW,
);

test.concurrent(
  "SIGTERM is handled the same way, exit 143 (128 + 15, as a shell reports it)",
  async () => {
    const { run, survivors } = await interrupt("SIGTERM");
    expect(run.exitCode).toBe(143);
    expect(await survivors()).toEqual([]);
    expect(run.stdout).toContain("  sleepers cancelled\n");
  },
  SLOW,
);
