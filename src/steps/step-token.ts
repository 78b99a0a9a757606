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
 * The variable holds a chain, `outer:inner`: a step that runs aiorch (or anything that marks
 * its own children) keeps the marks it inherited, so killing the outer step reaches the
 * inner steps' processes too.
 *
 * Linux reads `/proc/PID/environ` (the environment a process was started with). macOS reads
 * `ps eww` (the environment as started, for the user's own processes). A process that
 * empties its environment (`env -i`) is not found this way; its process group is still
 * killed.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The environment variable that marks a step's processes. */
export const STEP_TOKEN_VAR = "AIORCH_STEP_TOKEN";

/** A fresh token for one step attempt (one shell command, one python job). */
export function newStepToken(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** The value of {@link STEP_TOKEN_VAR} for processes marked with `token` in an environment that held `inherited`. */
export function tokenChain(inherited: string | undefined, token: string): string {
  return inherited ? `${inherited}:${token}` : token;
}

/** `env` with `token` added to its chain of marks. */
export function markedEnv(env: Record<string, string | undefined>, token: string): Record<string, string> {
  const marked: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) marked[key] = value;
  marked[STEP_TOKEN_VAR] = tokenChain(env[STEP_TOKEN_VAR], token);
  return marked;
}

/** Whether a value of {@link STEP_TOKEN_VAR} holds `token`. */
function chainHolds(chain: string, token: string): boolean {
  return chain.split(":").includes(token);
}

/** The pids of processes started with `token` in their environment (never this process). */
export function tokenHolders(token: string): number[] {
  if (process.platform === "linux") return procHolders(token);
  if (process.platform === "darwin") return psHolders(token);
  return [];
}

const PROC_NEEDLE = Buffer.from(`\0${STEP_TOKEN_VAR}=`);

function procHolders(token: string): number[] {
  const quick = Buffer.from(token);
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
      if (!environ.includes(quick)) continue;
      const at = environ.indexOf(PROC_NEEDLE);
      if (at === -1) continue;
      const start = at + PROC_NEEDLE.length;
      const end = environ.indexOf(0, start);
      if (chainHolds(environ.toString("latin1", start, end === -1 ? environ.length : end), token)) found.push(pid);
    } catch {
      // Gone meanwhile, or another user's process (which we could not signal anyway).
    }
  }
  return found;
}

function psHolders(token: string): number[] {
  const needle = `${STEP_TOKEN_VAR}=`;
  try {
    const ps = Bun.spawnSync(["ps", "eww", "-A", "-o", "pid=,command="], { stdout: "pipe", stderr: "ignore" });
    const found: number[] = [];
    for (const line of ps.stdout.toString().split("\n")) {
      const match = /^\s*(\d+)\s(.*)$/.exec(line);
      if (!match) continue;
      const pid = Number(match[1]);
      const text = match[2]!;
      // The last occurrence: the environment follows the command's own arguments.
      const at = text.lastIndexOf(needle);
      if (at === -1 || pid === process.pid) continue;
      const start = at + needle.length;
      const end = text.indexOf(" ", start);
      if (chainHolds(text.slice(start, end === -1 ? text.length : end), token)) found.push(pid);
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
