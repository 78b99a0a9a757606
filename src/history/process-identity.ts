/**
 * What tells one process from another that later got the same pid: its start time. Pids
 * are reused — quickly in containers, where aiorch is often pid 1 or 7 — so "a process with
 * this pid exists" does not mean "the process that started this run is still there". A run
 * is recorded with its process's start (see {@link processStart}); it is alive only while a
 * process with that pid AND that start exists.
 */
import { readFileSync } from "node:fs";

let bootId: string | undefined;

/** Linux: the boot's random id, so a start time (counted from boot) is not confused across reboots. */
function linuxBootId(): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      bootId = "";
    }
  }
  return bootId;
}

/**
 * When process `pid` started, as an opaque string compared for equality only; undefined
 * when it is gone or the system does not tell. Linux: the boot id and field 22 of
 * `/proc/PID/stat` (clock ticks since boot). macOS: `ps -o lstart=` (to the second).
 */
export function processStart(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (process.platform === "linux") {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // The command name (field 2) may hold spaces and parentheses: count from the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = fields[19];
      return ticks ? `${linuxBootId()}/${ticks}` : undefined;
    } catch {
      return undefined;
    }
  }
  if (process.platform === "darwin") {
    try {
      const ps = Bun.spawnSync(["ps", "-o", "lstart=", "-p", String(pid)], { stdout: "pipe", stderr: "ignore" });
      const text = ps.stdout.toString().trim();
      return ps.exitCode === 0 && text ? text : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** This process's start, worked out once. */
let ownStart: string | undefined | null = null;

/** {@link processStart} of this process. */
export function ownProcessStart(): string | undefined {
  if (ownStart === null) ownStart = processStart(process.pid);
  return ownStart;
}
