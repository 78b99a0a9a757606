import type { Database } from "bun:sqlite";
import { statSync } from "node:fs";
import { UserError } from "../errors/user-error.ts";
import { shownStatus } from "./liveness.ts";
import { retryBusy } from "./sqlite-errors.ts";
import type { PruneOptions, PruneResult } from "./types.ts";

const USAGE = "give --older-than (a duration such as 30d) and/or --keep N (a whole number, 0 or more)";

function checkOptions(options: PruneOptions): void {
  const { olderThanMs, keep, now } = options;
  if (olderThanMs === undefined && keep === undefined) {
    throw new UserError("prune needs to know which runs to delete", { hint: USAGE });
  }
  if (olderThanMs !== undefined && !(Number.isFinite(olderThanMs) && olderThanMs >= 0)) {
    throw new UserError(`prune: the age must be a duration of 0 or more, not ${String(olderThanMs)}`, { hint: USAGE });
  }
  if (keep !== undefined && !(Number.isInteger(keep) && keep >= 0)) {
    throw new UserError(`prune: the number of runs to keep must be a whole number of 0 or more, not ${String(keep)}`, {
      hint: USAGE,
    });
  }
  if (now !== undefined && !Number.isFinite(now))
    throw new UserError(`prune: bad clock ${String(now)}`, { hint: USAGE });
}

/** The size of the database and its write-ahead log, in bytes. */
export function databaseBytes(file: string): number {
  let total = 0;
  for (const path of [file, `${file}-wal`]) {
    try {
      total += statSync(path).size;
    } catch {
      // No WAL right after a TRUNCATE checkpoint, and none for an in-memory database.
    }
  }
  return total;
}

/**
 * Deletes the runs matching every option given (older than `olderThanMs` and not among
 * the newest `keep`), with their steps and items, then gives the space back to the disk.
 * A run still in progress (running, its process alive) is never deleted.
 */
export function pruneRuns(db: Database, file: string, options: PruneOptions): PruneResult {
  checkOptions(options);
  const bytesBefore = databaseBytes(file);
  const cutoff = options.olderThanMs === undefined ? null : (options.now ?? Date.now()) - options.olderThanMs;
  let deleted = 0;
  retryBusy(() =>
    db
      .transaction(() => {
        deleted = 0;
        const candidates = db
          .query<
            { id: string; status: string; pid: number; pid_start: string | null },
            [number, number | null, number | null]
          >(
            `SELECT id, status, pid, pid_start FROM (
               SELECT id, status, pid, pid_start, started_at FROM runs ORDER BY started_at DESC, rowid DESC LIMIT -1 OFFSET ?
             ) WHERE ? IS NULL OR started_at < ?`,
          )
          .all(options.keep ?? 0, cutoff, cutoff);
        const remove = db.prepare<unknown, [string]>("DELETE FROM runs WHERE id = ?");
        for (const run of candidates) {
          if (shownStatus(run.status, run.pid, run.id, run.pid_start) === "running") continue;
          deleted += remove.run(run.id).changes;
        }
        remove.finalize();
      })
      .immediate(),
  );
  if (deleted > 0) reclaim(db);
  return { runs: deleted, bytesBefore, bytesAfter: databaseBytes(file) };
}

/**
 * VACUUM rewrites the file without the free pages; in WAL mode it writes through the log,
 * so TRUNCATE checkpoints before and after copy the pages home and empty the log.
 */
function reclaim(db: Database): void {
  retryBusy(() => db.run("PRAGMA wal_checkpoint(TRUNCATE)"));
  retryBusy(() => db.run("VACUUM"));
  retryBusy(() => db.run("PRAGMA wal_checkpoint(TRUNCATE)"));
}
