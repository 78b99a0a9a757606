/**
 * Finding every process a step started, including those that left its process group.
 *
 * A step's processes run in their own process group, and killing the group ends what stayed
 * in it. A process that called `setsid` (`setsid cmd &`, python's `start_new_session=True`,
 * any daemon) is outside the group and would survive — holding the step's pipes, so that
 * aiorch waited for it too. What such a process keeps is its environment: every process of a
 * step starts with `AIORCH_STEP_TOKEN=<random>` in it and passes it on through fork, exec,
 * setsid and double forks. On kill, aiorch looks for that token in the environment of every
 * process it may signal and kills the holders.
 *
 * Linux reads `/proc/PID/environ` (the environment a process was started with). macOS reads
 * `ps eww` (the environment as started, for the user's own processes). A process that
 * empties its environment (`env -i`) or, in a python step, forks without exec (the token is
 * set in the worker's `os.environ` per job, which `/proc` does not show for a bare fork) is
 * not found this way; its process group is still killed.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The environment variable that marks a step's processes. */
export const STEP_TOKEN_VAR = "AIORCH_STEP_TOKEN";

/** A fresh token for one step attempt (one shell command, one python job). */
export function newStepToken(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** The pids of processes started with `token` in their environment (never this process). */
export function tokenHolders(token: string): number[] {
  const needle = `${STEP_TOKEN_VAR}=${token}`;
  if (process.platform === "linux") return procHolders(Buffer.from(`\0${needle}\0`));
  if (process.platform === "darwin") return psHolders(needle);
  return [];
}

function procHolders(needle: Buffer): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    try {
      // A leading NUL lets the first variable match like the others.
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`)]);
      if (environ.includes(needle)) found.push(pid);
    } catch {
      // Gone meanwhile, or another user's process (which we could not signal anyway).
    }
  }
  return found;
}

function psHolders(needle: string): number[] {
  try {
    const ps = Bun.spawnSync(["ps", "eww", "-A", "-o", "pid=,command="], { stdout: "pipe", stderr: "ignore" });
    const found: number[] = [];
    for (const line of ps.stdout.toString().split("\n")) {
      const match = /^\s*(\d+)\s(.*)$/.exec(line);
      if (!match) continue;
      const pid = Number(match[1]);
      const at = match[2]!.indexOf(needle);
      const end = at + needle.length;
      if (at !== -1 && pid !== process.pid && (end === match[2]!.length || match[2]![end] === " ")) found.push(pid);
    }
    return found;
  } catch {
    return [];
  }
}

/**
 * SIGKILLs every process holding `token`, scanning again until none is left (a process may
 * fork between a scan and its kill; its children hold the token too), at most a few rounds.
 */
export function killTokenHolders(token: string): void {
  for (let round = 0; round < 5; round++) {
    const holders = tokenHolders(token);
    if (holders.length === 0) return;
    for (const pid of holders) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
}
