import { processStart } from "./process-identity.ts";
import type { ShownStatus } from "./types.ts";

/** Runs this process started with its own pid (through any store): alive for as long as it is. */
const startedHere = new Set<string>();

/** Notes that this process started run `id`. */
export function markStartedHere(id: string): void {
  startedHere.add(id);
}

/** Forgets run `id` once it has finished. */
export function markFinishedHere(id: string): void {
  startedHere.delete(id);
}

/**
 * Whether process `pid` exists. `process.kill(pid, 0)` sends nothing: it fails with ESRCH
 * when there is no such process, EPERM when it belongs to another user (so it exists).
 */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !(error instanceof Error && "code" in error && error.code === "ESRCH");
  }
}

/**
 * Whether the process that recorded `pid` and `start` is still running: a process with that
 * pid exists and started then. Without a recorded start (rows older than schema 6, or a
 * system that does not tell) only the pid is checked.
 */
export function isSameProcess(pid: number, start: string | null | undefined): boolean {
  if (!isAlive(pid)) return false;
  if (!start) return true;
  const now = processStart(pid);
  return now === undefined || now === start;
}

/**
 * The status to show for a stored run: `crashed` for a `running` run whose process is gone
 * — no process with its pid, or one that started at another time (the pid was reused).
 * A run recorded with this process's pid that this process did not start belongs to an
 * earlier process that had the same pid (common in containers, where aiorch is often
 * pid 1): it crashed too.
 */
export function shownStatus(status: string, pid: number, id: string, start?: string | null): ShownStatus {
  if (status !== "running") return status as ShownStatus;
  if (pid === process.pid) return startedHere.has(id) ? "running" : "crashed";
  return isSameProcess(pid, start) ? "running" : "crashed";
}
