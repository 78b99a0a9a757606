import type { Database } from "bun:sqlite";
import { editDistance } from "../errors/did-you-mean.ts";
import { UserError } from "../errors/user-error.ts";
import { shownStatus } from "./liveness.ts";
import { toRunRow, type Bound, type RunRecord } from "./row-codec.ts";
import type { RunFilter, RunRow, ShownStatus } from "./types.ts";

const DEFAULT_LIMIT = 20;

const STATUSES: readonly ShownStatus[] = ["running", "success", "failed", "cancelled", "crashed"];

/**
 * The columns of a run. A finished run shows its recorded total; a running (or crashed)
 * one the sum of the steps recorded so far, which is what it has cost until now.
 */
export const RUN_SELECT = `
  SELECT r.id, r.pipeline, r.file, r.inputs, r.status, r.started_at, r.finished_at,
         CASE WHEN r.status = 'running'
              THEN (SELECT COALESCE(SUM(s.cost), 0) FROM steps s WHERE s.run_id = r.id)
              ELSE r.total_cost END AS cost,
         r.pid, r.pid_start, r.resumed_from, r.imported_from, r.imported_id,
         r.file_path, r.sources, r.inputs_digest, r.reused_unmatched
  FROM runs r`;

/** Newest first; rowid (insertion order) breaks ties without defeating the started_at indexes. */
export const NEWEST_FIRST = "ORDER BY r.started_at DESC, r.rowid DESC";

/** A stored run as the commands see it, with its shown status (crashed when its process is gone). */
export function toRow(record: RunRecord): RunRow {
  return toRunRow(record, shownStatus(record.status, record.pid, record.id, record.pid_start));
}

/** Runs matching `filter`, newest first. See {@link RunFilter} for the defaults. */
export function listRuns(db: Database, filter: RunFilter = {}): RunRow[] {
  const limit = filter.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new UserError(`history limit must be a whole number of at least 1, not ${String(filter.limit)}`, {
      hint: "pass --limit 20, for example",
    });
  }
  const status = filter.status;
  if (status !== undefined && !STATUSES.includes(status)) {
    throw new UserError(`unknown run status "${String(status)}"`, { hint: `use one of ${STATUSES.join(", ")}` });
  }
  const where: string[] = [];
  const params: Bound[] = [];
  if (filter.pipeline !== undefined) {
    where.push("r.pipeline = ?");
    params.push(filter.pipeline);
  }
  // Running and crashed are both stored as running; which one a run is, only its process (pid and start) says.
  const stored = status === "crashed" ? "running" : status;
  if (stored !== undefined) {
    where.push("r.status = ?");
    params.push(stored);
  }
  const sql = `${RUN_SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ${NEWEST_FIRST}`;
  if (stored !== "running") {
    return db
      .query<RunRecord, Bound[]>(`${sql} LIMIT ?`)
      .all(...params, limit)
      .map(toRow);
  }
  const rows: RunRow[] = [];
  for (const record of db.query<RunRecord, Bound[]>(sql).iterate(...params)) {
    const row = toRow(record);
    if (row.status === status) rows.push(row);
    if (rows.length >= limit) break;
  }
  return rows;
}

/** The newest id of a run made here (not imported), to show what ids look like; undefined in an empty history. */
export function exampleRunId(db: Database): string | undefined {
  return db
    .query<{ id: string }, []>(`SELECT r.id FROM runs r WHERE r.imported_id IS NULL ${NEWEST_FIRST} LIMIT 1`)
    .get()?.id;
}

/**
 * Up to `count` ids close to `id`: a typo in the whole id or in a prefix of it. Newer runs
 * first among ids equally close.
 */
export function closestRunIds(db: Database, id: string, count = 3): string[] {
  const wanted = id.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(wanted.length / 3)));
  const scored: { id: string; distance: number; order: number }[] = [];
  let order = 0;
  for (const { id: candidate } of db.query<{ id: string }, []>(`SELECT r.id FROM runs r ${NEWEST_FIRST}`).iterate()) {
    const lower = candidate.toLowerCase();
    const distance = Math.min(editDistance(wanted, lower), editDistance(wanted, lower.slice(0, wanted.length)));
    if (distance <= limit) scored.push({ id: candidate, distance, order });
    order++;
  }
  scored.sort((a, b) => a.distance - b.distance || a.order - b.order);
  return scored.slice(0, count).map((s) => s.id);
}

/** Runs of the pipeline file at `filePath` (absolute), newest first: at most `limit`. */
export function runsOfFile(db: Database, filePath: string, limit: number): RunRow[] {
  return db
    .query<RunRecord, [string, number]>(`${RUN_SELECT} WHERE r.file_path = ? ${NEWEST_FIRST} LIMIT ?`)
    .all(filePath, limit)
    .map(toRow);
}

/** The newest run of `pipeline`, with the given shown status if one is asked for. */
export function latestRun(db: Database, pipeline: string, status?: ShownStatus): RunRow | undefined {
  return listRuns(db, status === undefined ? { pipeline, limit: 1 } : { pipeline, status, limit: 1 })[0];
}

/**
 * The Python aiorch numbered its runs; ours are not numbers. Someone typing `trace 12` gets
 * told how ids look here, with a real one (`example`, the newest run) when there is one.
 */
export function numericRunIdError(id: string, file: string, example: string | undefined): UserError {
  const like = example ? `${example} (the newest run)` : "20261206-203011-3fa9";
  return new UserError(
    `no run ${id} in the history (${file}): run ids here are not numbers but the start time (UTC) and 4 characters, like ${like}`,
    {
      hint: "`aiorch history` lists the runs and their ids (`last` is the newest; any 4 or more characters of an id that no other id has are enough); runs imported from the Python aiorch's history answer to their old number",
    },
  );
}
