import type { Database } from "bun:sqlite";
import { toItemRow, type ItemRecord } from "./row-codec.ts";
import type { ItemCounts, ItemRow, StepCounts, StepRow } from "./types.ts";

/** The reason the engine records on a reused step starts with this (see engine/reuse.ts). */
const REUSED_PREFIX = "reused from run ";

/**
 * How the top-level steps of each run ended, in one grouped query over the primary key:
 * what the STEPS column of `aiorch history` shows. Runs without steps are absent.
 */
export function stepCounts(db: Database, runIds: readonly string[]): Map<string, StepCounts> {
  const counts = new Map<string, StepCounts>();
  if (runIds.length === 0) return counts;
  const rows = db
    .query<{ run_id: string; status: StepRow["status"]; reused: number; n: number; cached: number }, [string, string]>(
      `SELECT run_id, status, COALESCE(reason, '') LIKE ? AS reused, COUNT(*) AS n, SUM(cached) AS cached
       FROM steps
       WHERE run_id IN (SELECT value FROM json_each(?)) AND instr(name, '/') = 0
       GROUP BY run_id, status, reused`,
    )
    .all(`${REUSED_PREFIX}%`, JSON.stringify(runIds));
  for (const row of rows) {
    let count = counts.get(row.run_id);
    if (!count) counts.set(row.run_id, (count = { total: 0, byStatus: {}, reused: 0, cached: 0 }));
    count.total += row.n;
    count.byStatus[row.status] = (count.byStatus[row.status] ?? 0) + row.n;
    if (row.reused && row.status === "success") count.reused += row.n;
    // Old versions stored a step the cache answered as `cached`: it succeeded.
    if (row.status === "success" || row.status === "cached") count.cached += row.cached ?? 0;
  }
  return counts;
}

/** The recorded foreach items of every step of a run, counted by status in one grouped query. */
export function itemCounts(db: Database, runId: string): Map<string, ItemCounts> {
  const counts = new Map<string, ItemCounts>();
  const rows = db
    .query<{ step: string; status: string; n: number; cached: number }, [string]>(
      "SELECT step, status, COUNT(*) AS n, SUM(cached) AS cached FROM items WHERE run_id = ? GROUP BY step, status",
    )
    .all(runId);
  for (const row of rows) {
    let count = counts.get(row.step);
    if (!count) counts.set(row.step, (count = { success: 0, failed: 0, cancelled: 0, cached: 0 }));
    if (row.status === "success" || row.status === "failed" || row.status === "cancelled") count[row.status] += row.n;
    if (row.status === "success") count.cached += row.cached ?? 0;
  }
  return counts;
}

/** The first `limit` failed items of a step, by index; a negative `limit` (SQLite: no limit) gives all of them. */
export function failedItems(db: Database, runId: string, step: string, limit: number): ItemRow[] {
  return db
    .query<ItemRecord, [string, string, number]>(
      "SELECT * FROM items WHERE run_id = ? AND step = ? AND status = 'failed' ORDER BY idx LIMIT ?",
    )
    .all(runId, step, limit)
    .map(toItemRow);
}
