/**
 * The queries of `aiorch ui` that the commands do not make: runs a page at a time (keyset
 * pagination, so the 10,000th run costs what the first does), a foreach step's items filtered
 * and paged, their timeline, spending per day, a pipeline's trend, the links between a run
 * and its resumes, and a cheap fingerprint of a run for the live view.
 */
import type { Database } from "bun:sqlite";
import { decodeJson, toItemRow, type Bound, type ItemRecord, type RunRecord } from "./row-codec.ts";
import { NEWEST_FIRST, RUN_SELECT, toRow } from "./run-queries.ts";
import type { ItemRow, RunRow, ShownStatus } from "./types.ts";

/** Which runs a page shows; every field is optional. */
export interface RunPageFilter {
  pipeline?: string;
  status?: ShownStatus;
  /** Runs started at or after this time (epoch ms). */
  since?: number;
  /** Runs started before this time (epoch ms). */
  until?: number;
  /** The page after this run (the last id of the previous page). */
  after?: string;
  limit: number;
}

/** One page of runs, newest first, and whether more follow. */
export interface RunPage {
  runs: RunRow[];
  more: boolean;
}

/** A page of runs, newest first: a range of the started_at index, never the whole table. */
export function pageRuns(db: Database, filter: RunPageFilter): RunPage {
  const where: string[] = [];
  const params: Bound[] = [];
  const add = (condition: string, value: Bound | undefined) => {
    if (value === undefined) return;
    where.push(condition);
    params.push(value);
  };
  const stored = filter.status === "crashed" ? "running" : filter.status;
  add("r.pipeline = ?", filter.pipeline);
  add("r.status = ?", stored);
  add("r.started_at >= ?", filter.since);
  add("r.started_at < ?", filter.until);
  add("(r.started_at, r.rowid) < (SELECT started_at, rowid FROM runs WHERE id = ?)", filter.after);
  const sql = `${RUN_SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ${NEWEST_FIRST}`;
  const runs: RunRow[] = [];
  if (stored !== "running") {
    const rows = db
      .query<RunRecord, Bound[]>(`${sql} LIMIT ?`)
      .all(...params, filter.limit + 1)
      .map(toRow);
    return { runs: rows.slice(0, filter.limit), more: rows.length > filter.limit };
  }
  // Running and crashed are both stored as running: only the process tells them apart.
  for (const record of db.query<RunRecord, Bound[]>(sql).iterate(...params)) {
    const row = toRow(record);
    if (row.status !== filter.status) continue;
    if (runs.length === filter.limit) return { runs, more: true };
    runs.push(row);
  }
  return { runs, more: false };
}

/** Questions the LLM cache answered in each of these runs (one grouped query); runs without any are absent. */
export function cacheHitsOf(db: Database, runIds: readonly string[]): Map<string, number> {
  const rows = db
    .query<{ run_id: string; hits: number }, [string]>(
      `SELECT run_id, SUM(COALESCE(cache_hits, cached)) AS hits FROM steps
       WHERE run_id IN (SELECT value FROM json_each(?)) AND instr(name, '/') = 0 GROUP BY run_id`,
    )
    .all(JSON.stringify(runIds));
  return new Map(rows.filter((r) => r.hits > 0).map((r) => [r.run_id, r.hits]));
}

/** The runs that resumed `runId` (`aiorch resume`), oldest first. */
export function resumesOf(db: Database, runId: string): string[] {
  return db
    .query<{ id: string }, [string]>("SELECT id FROM runs WHERE resumed_from = ? ORDER BY started_at, rowid")
    .all(runId)
    .map((r) => r.id);
}

/** The run's top-level DAG as recorded when it ran (step → its dependencies); null for runs before schema 10. */
export function runGraph(db: Database, runId: string): Record<string, string[]> | null {
  const text =
    db.query<{ graph: string | null }, [string]>("SELECT graph FROM runs WHERE id = ?").get(runId)?.graph ?? null;
  return text === null ? null : (decodeJson(text) as Record<string, string[]>);
}

/** Which items of a step a page shows. `text` is searched in the index, input, output and error (case-insensitive). */
export interface ItemPageFilter {
  status?: ItemRow["status"];
  text?: string;
  offset: number;
  limit: number;
}

/** A page of a step's items by index, and how many match the filter in all. */
export function pageItems(
  db: Database,
  runId: string,
  step: string,
  filter: ItemPageFilter,
): { total: number; items: ItemRow[] } {
  const where = ["run_id = ?", "step = ?"];
  const params: Bound[] = [runId, step];
  if (filter.status !== undefined) {
    where.push("status = ?");
    params.push(filter.status);
  }
  const text = filter.text?.trim().toLowerCase();
  if (text) {
    where.push(
      "(CAST(idx AS TEXT) = ? OR instr(lower(COALESCE(input, '')), ?) > 0 OR instr(lower(COALESCE(output, '')), ?) > 0 OR instr(lower(COALESCE(error, '')), ?) > 0)",
    );
    params.push(text, text, text, text);
  }
  const clause = where.join(" AND ");
  const total =
    db.query<{ n: number }, Bound[]>(`SELECT COUNT(*) AS n FROM items WHERE ${clause}`).get(...params)?.n ?? 0;
  const items = db
    .query<ItemRecord, Bound[]>(`SELECT * FROM items WHERE ${clause} ORDER BY idx LIMIT ? OFFSET ?`)
    .all(...params, filter.limit, filter.offset)
    .map(toItemRow);
  return { total, items };
}

/** Every item of a step as columns (index, status, end time, duration, cached): what the item timeline draws. */
export interface ItemTimeline {
  index: number[];
  status: ItemRow["status"][];
  endedAt: (number | null)[];
  durationMs: number[];
  cached: boolean[];
}

export function itemTimeline(db: Database, runId: string, step: string): ItemTimeline {
  const timeline: ItemTimeline = { index: [], status: [], endedAt: [], durationMs: [], cached: [] };
  const rows = db
    .query<
      { idx: number; status: ItemRow["status"]; ended_at: number | null; duration_ms: number; cached: number },
      [string, string]
    >("SELECT idx, status, ended_at, duration_ms, cached FROM items WHERE run_id = ? AND step = ? ORDER BY idx")
    .iterate(runId, step);
  for (const row of rows) {
    timeline.index.push(row.idx);
    timeline.status.push(row.status);
    timeline.endedAt.push(row.ended_at);
    timeline.durationMs.push(row.duration_ms);
    timeline.cached.push(row.cached === 1);
  }
  return timeline;
}

/** Spending on one UTC day by one pipeline or model. */
export interface DailyCost {
  /** The day's start (epoch ms, UTC midnight). */
  day: number;
  key: string;
  cost: number;
  runs: number;
}

const DAY_MS = 86_400_000;

/** Spending per UTC day since `since`: by pipeline (each run's total) and by model (its steps' costs, with the questions the cache answered). */
export function dailyCosts(
  db: Database,
  since: number,
): { pipelines: DailyCost[]; models: (DailyCost & { cacheHits: number; tokens: number })[] } {
  const pipelines = db
    .query<DailyCost, [number, number, number]>(
      `SELECT (r.started_at / ?) * ? AS day, r.pipeline AS key,
              COALESCE(SUM(CASE WHEN r.status = 'running' THEN (SELECT COALESCE(SUM(s.cost), 0) FROM steps s WHERE s.run_id = r.id) ELSE r.total_cost END), 0) AS cost,
              COUNT(*) AS runs
       FROM runs r WHERE r.started_at >= ? GROUP BY day, key ORDER BY day, key`,
    )
    .all(DAY_MS, DAY_MS, since);
  const models = db
    .query<DailyCost & { cacheHits: number; tokens: number }, [number, number, number]>(
      `SELECT (r.started_at / ?) * ? AS day, s.model AS key, COALESCE(SUM(s.cost), 0) AS cost, COUNT(DISTINCT r.id) AS runs,
              COALESCE(SUM(COALESCE(s.cache_hits, s.cached)), 0) AS cacheHits,
              COALESCE(SUM(COALESCE(s.prompt_tokens, 0) + COALESCE(s.completion_tokens, 0)), 0) AS tokens
       FROM steps s JOIN runs r ON r.id = s.run_id
       WHERE r.started_at >= ? AND s.model IS NOT NULL AND s.model != ''
       GROUP BY day, key ORDER BY day, key`,
    )
    .all(DAY_MS, DAY_MS, since);
  return { pipelines, models };
}

/** Each pipeline recorded, with its number of runs and its newest start, most recent first. */
export function pipelineNames(db: Database): { pipeline: string; runs: number; lastStartedAt: number }[] {
  return db
    .query<{ pipeline: string; runs: number; lastStartedAt: number }, []>(
      "SELECT pipeline, COUNT(*) AS runs, MAX(started_at) AS lastStartedAt FROM runs GROUP BY pipeline ORDER BY lastStartedAt DESC",
    )
    .all();
}

/** What changes while a run goes on: compared by the live view to know when to send the run again. */
export function runFingerprint(db: Database, runId: string): string {
  const row = db
    .query<
      {
        status: string;
        finished_at: number | null;
        steps: number | null;
        step_rows: number;
        items: number;
        items_end: number | null;
      },
      [string, string, string]
    >(
      `SELECT r.status, r.finished_at,
              (SELECT MAX(recorded_at) FROM steps WHERE run_id = ?) AS steps, (SELECT COUNT(*) FROM steps WHERE run_id = r.id) AS step_rows,
              (SELECT COUNT(*) FROM items WHERE run_id = ?) AS items, (SELECT MAX(ended_at) FROM items WHERE run_id = r.id) AS items_end
       FROM runs r WHERE r.id = ?`,
    )
    .get(runId, runId, runId);
  return row ? `${row.status}/${row.finished_at}/${row.steps}/${row.step_rows}/${row.items}/${row.items_end}` : "gone";
}
