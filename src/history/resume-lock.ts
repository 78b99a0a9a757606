/**
 * One process at a time resumes a run. Two resumes of the same run would both rerun its
 * unfinished steps (twice the side effects, twice the cost) and record two competing
 * continuations. The lock is a row of `resume_locks` (schema 6) holding the resuming
 * process's pid and start, taken in an IMMEDIATE transaction; a row whose process is gone
 * (killed, crashed) is taken over. A run that an earlier resume already completed is not
 * resumed again: that resume is named instead.
 */
import type { Database } from "bun:sqlite";
import { isSameProcess } from "./liveness.ts";
import { ownProcessStart } from "./process-identity.ts";

/** Why a run cannot be resumed now. */
export type ResumeBlock = { kind: "locked"; pid: number; resumeRun: string } | { kind: "completed"; by: string };

/**
 * Takes the lock on resuming `runId` for run `resumeRun` of this process, unless another
 * live process holds it or a resume of `runId` already succeeded. Returns what blocks it.
 */
export function takeResumeLock(db: Database, runId: string, resumeRun: string): ResumeBlock | undefined {
  return db
    .transaction((): ResumeBlock | undefined => {
      const holder = db
        .query<{ pid: number; pid_start: string | null; resume_run: string }, [string]>(
          "SELECT pid, pid_start, resume_run FROM resume_locks WHERE run_id = ?",
        )
        .get(runId);
      if (holder && holder.pid !== process.pid && isSameProcess(holder.pid, holder.pid_start)) {
        return { kind: "locked", pid: holder.pid, resumeRun: holder.resume_run };
      }
      const done = db
        .query<{ id: string }, [string]>(
          "SELECT id FROM runs WHERE resumed_from = ? AND status = 'success' ORDER BY started_at DESC, rowid DESC LIMIT 1",
        )
        .get(runId);
      if (done) return { kind: "completed", by: done.id };
      db.query(
        "INSERT OR REPLACE INTO resume_locks (run_id, pid, pid_start, resume_run, taken_at) VALUES (?, ?, ?, ?, ?)",
      ).run(runId, process.pid, ownProcessStart() ?? null, resumeRun, Date.now());
      return undefined;
    })
    .immediate();
}

/** Gives the lock back (only the one this resume holds). */
export function releaseResumeLock(db: Database, runId: string, resumeRun: string): void {
  db.query("DELETE FROM resume_locks WHERE run_id = ? AND resume_run = ? AND pid = ?").run(
    runId,
    resumeRun,
    process.pid,
  );
}
