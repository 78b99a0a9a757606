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
 * The status to show for a stored run: `crashed` for a `running` run whose process is gone.
 * A run recorded with this process's pid that this process did not start belongs to an
 * earlier process that had the same pid (common in containers, where aiorch is often
 * pid 1): it crashed too.
 */
export function shownStatus(status: string, pid: number, id: string): ShownStatus {
  if (status !== "running") return status as ShownStatus;
  if (pid === process.pid) return startedHere.has(id) ? "running" : "crashed";
  return isAlive(pid) ? "running" : "crashed";
}
