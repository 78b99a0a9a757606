/**
 * `aiorch dashboard`: one screen of the history — runs and spending today, this week and
 * in all, the recent runs (the `history` table), spending by pipeline and by model, the
 * latest failures and the LLM cache. Pure: rows and the clock in, text or JSON out.
 */
import type { DashboardFigures, PeriodTotals, RunRow, StepCounts } from "../history/index.ts";
import { formatDuration } from "../model/duration.ts";
import { formatCompactTime, formatCostCell, isoTime, plural } from "./history-format.ts";
import { renderRunTable, runListJson } from "./history-view.ts";
import { cacheStatsJson, cacheStatsLines } from "./cache-stats-view.ts";
import { renderTable } from "./table.ts";

/** The LLM cache's figures (`ResponseCache.stats`). */
export interface CacheFigures {
  entries: number;
  hits: number;
  savedUsd: number;
  oldest: number | null;
  newest: number | null;
}

/** Everything one dashboard shows. */
export interface Dashboard {
  /** The history database read. */
  file: string;
  figures: DashboardFigures;
  recent: readonly RunRow[];
  counts: ReadonlyMap<string, StepCounts>;
  cache: CacheFigures;
  /** The breakdowns cover runs started since this time; `sinceLabel` says it as given (`7d`). */
  since: number;
  sinceLabel: string;
  /** The `--limit` of recent runs. */
  limit: number;
  now: number;
}

const successRate = (t: PeriodTotals) => (t.runs === 0 ? null : Math.round(((t.runs - t.failed) / t.runs) * 1000) / 10);

function periodLine(label: string, t: PeriodTotals): string {
  const rate = successRate(t);
  return `  ${label.padEnd(13)}${plural(t.runs, "run").padEnd(10)}${String(t.failed).padStart(4)} failed  ${formatCostCell(t.cost).padStart(10)}${rate === null ? "" : `  ${rate}% ok`}`;
}

function section(title: string, body: string[]): string[] {
  return ["", title, ...body];
}

/** The dashboard as text: sections one under another, each a heading and an aligned table. */
export function renderDashboard(d: Dashboard): string {
  const { figures } = d;
  const lines = [
    `aiorch dashboard — ${d.file}`,
    "",
    "RUNS",
    periodLine("last 24h", figures.day),
    periodLine("last 7 days", figures.week),
    periodLine("all", figures.all),
  ];
  if (figures.all.runs === 0) {
    lines.push("", "no runs recorded yet: `aiorch run FILE` records them");
  } else {
    lines.push(...section("RECENT RUNS", [renderRunTable(d.recent, { counts: d.counts, now: d.now, limit: d.limit })]));
    const pipelines = figures.pipelines.map((p) => [
      p.pipeline,
      String(p.runs),
      String(p.failed),
      formatCostCell(p.cost),
      p.runs > 0 ? formatCostCell(p.cost / p.runs) : "-",
      p.avgDurationMs === null ? "-" : formatDuration(p.avgDurationMs),
    ]);
    lines.push(
      ...section(
        `COST BY PIPELINE (runs started in the last ${d.sinceLabel})`,
        pipelines.length
          ? [renderTable(["PIPELINE", "RUNS", "FAILED", "COST", "AVG COST", "AVG TIME"], pipelines)]
          : ["  no runs in that time"],
      ),
    );
    const models = figures.models.map((m) => [
      m.model,
      String(m.steps),
      String(m.cached),
      String(m.promptTokens),
      String(m.completionTokens),
      formatCostCell(m.cost),
    ]);
    lines.push(
      ...section(
        `COST BY MODEL (runs started in the last ${d.sinceLabel})`,
        models.length
          ? [renderTable(["MODEL", "STEPS", "CACHE HITS", "PROMPT TOKENS", "COMPLETION TOKENS", "COST"], models)]
          : ["  no LLM calls in that time"],
      ),
    );
    const failures = figures.failures.map(
      (f) => `  ✗ ${f.id}  ${f.pipeline}  ${formatCompactTime(f.startedAt, d.now)}`,
    );
    lines.push(...section("RECENT FAILURES", failures.length ? failures : ["  none"]));
  }
  lines.push(...section("LLM CACHE", cacheStatsLines(d.cache)));
  return lines.join("\n");
}

function periodJson(t: PeriodTotals) {
  return { runs: t.runs, failed: t.failed, cost: t.cost, success_rate: successRate(t) };
}

/**
 * `aiorch dashboard --format json`: the periods, `recent` as `history --format json` lists
 * runs, the breakdowns, the failures and `cache` as `cache stats --format json` has it.
 */
export function dashboardJson(d: Dashboard) {
  const { figures } = d;
  return {
    file: d.file,
    now: isoTime(d.now),
    since: isoTime(d.since),
    periods: { last_24h: periodJson(figures.day), last_7d: periodJson(figures.week), all: periodJson(figures.all) },
    recent: runListJson(d.recent, d.counts, d.now),
    pipelines: figures.pipelines.map((p) => ({
      pipeline: p.pipeline,
      runs: p.runs,
      failed: p.failed,
      cost: p.cost,
      avg_cost: p.runs ? p.cost / p.runs : 0,
      avg_duration_ms: p.avgDurationMs === null ? null : Math.round(p.avgDurationMs),
    })),
    models: figures.models.map((m) => ({
      model: m.model,
      steps: m.steps,
      cache_hits: m.cached,
      prompt_tokens: m.promptTokens,
      completion_tokens: m.completionTokens,
      cost: m.cost,
    })),
    failures: figures.failures.map((f) => ({ run_id: f.id, pipeline: f.pipeline, started_at: isoTime(f.startedAt) })),
    cache: cacheStatsJson(d.cache, d.file),
  };
}
