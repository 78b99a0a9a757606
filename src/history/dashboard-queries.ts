/**
 * The figures of `aiorch dashboard`: runs and spending over three periods, and since a
 * given time, spending by pipeline and by model, and the latest failures. Grouped queries
 * over the started_at and pipeline indexes; the recent runs and the cache figures come
 * from the queries `history` and `cache stats` already use.
 */
import type { Database } from "bun:sqlite";

/** Runs started in a period and what they spent. */
export interface PeriodTotals {
  runs: number;
  failed: number;
  cost: number;
}

/** One pipeline's runs since the dashboard's start time. */
export interface PipelineTotals {
  pipeline: string;
  runs: number;
  failed: number;
  cost: number;
  /** Mean length of its finished runs; null when none finished. */
  avgDurationMs: number | null;
}

/** LLM calls of one model since the dashboard's start time (steps; `cached`: questions the LLM cache answered, at no cost). */
export interface ModelTotals {
  model: string;
  steps: number;
  cached: number;
  promptTokens: number;
  completionTokens: number;
  cost: number;
}

export interface FailedRun {
  id: string;
  pipeline: string;
  startedAt: number;
}

export interface DashboardFigures {
  /** The last 24 hours, the last 7 days, all recorded runs. */
  day: PeriodTotals;
  week: PeriodTotals;
  all: PeriodTotals;
  pipelines: PipelineTotals[];
  models: ModelTotals[];
  failures: FailedRun[];
}

const DAY_MS = 86_400_000;

function totals(db: Database, since: number): PeriodTotals {
  const row = db
    .query<{ runs: number; failed: number; cost: number }, [number]>(
      "SELECT COUNT(*) AS runs, COALESCE(SUM(status = 'failed'), 0) AS failed, COALESCE(SUM(total_cost), 0) AS cost FROM runs WHERE started_at >= ?",
    )
    .get(since)!;
  return { runs: row.runs, failed: row.failed, cost: row.cost };
}

/**
 * The dashboard's figures at `now`; the breakdowns cover runs started at or after `since`,
 * most expensive first (then most runs), `top` rows each; `failures` the newest few failed runs.
 */
export function dashboardFigures(db: Database, options: { now: number; since: number; top: number }): DashboardFigures {
  const { now, since, top } = options;
  const pipelines = db
    .query<{ pipeline: string; runs: number; failed: number; cost: number; avg: number | null }, [number, number]>(
      `SELECT pipeline, COUNT(*) AS runs, COALESCE(SUM(status = 'failed'), 0) AS failed, COALESCE(SUM(total_cost), 0) AS cost,
              AVG(finished_at - started_at) AS avg
       FROM runs WHERE started_at >= ? GROUP BY pipeline ORDER BY cost DESC, runs DESC, pipeline LIMIT ?`,
    )
    .all(since, top)
    .map((r) => ({ pipeline: r.pipeline, runs: r.runs, failed: r.failed, cost: r.cost, avgDurationMs: r.avg }));
  const models = db
    .query<
      { model: string; steps: number; cached: number; prompt: number; completion: number; cost: number },
      [number, number]
    >(
      `SELECT s.model AS model, COUNT(*) AS steps, COALESCE(SUM(COALESCE(s.cache_hits, s.cached)), 0) AS cached, COALESCE(SUM(s.prompt_tokens), 0) AS prompt,
              COALESCE(SUM(s.completion_tokens), 0) AS completion, COALESCE(SUM(s.cost), 0) AS cost
       FROM steps s JOIN runs r ON r.id = s.run_id
       WHERE r.started_at >= ? AND s.model IS NOT NULL AND s.model != ''
       GROUP BY s.model ORDER BY cost DESC, steps DESC, s.model LIMIT ?`,
    )
    .all(since, top)
    .map((r) => ({
      model: r.model,
      steps: r.steps,
      cached: r.cached,
      promptTokens: r.prompt,
      completionTokens: r.completion,
      cost: r.cost,
    }));
  const failures = db
    .query<{ id: string; pipeline: string; started_at: number }, [number]>(
      "SELECT id, pipeline, started_at FROM runs WHERE status = 'failed' ORDER BY started_at DESC, rowid DESC LIMIT ?",
    )
    .all(top)
    .map((r) => ({ id: r.id, pipeline: r.pipeline, startedAt: r.started_at }));
  return {
    day: totals(db, now - DAY_MS),
    week: totals(db, now - 7 * DAY_MS),
    all: totals(db, 0),
    pipelines,
    models,
    failures,
  };
}
