/**
 * The UI's JSON: each function answers one route from the history. The run and step
 * objects are the trace document's (report/trace-json.ts); a mistake in a query string is
 * an {@link ApiError} (HTTP 400) that says which parameter and what it takes.
 */
import type { HistoryBrowser } from "../history/history-browser.ts";
import type { ItemRow, RunRow, ShownStatus } from "../history/index.ts";
import { traceData } from "../report/trace-data-reader.ts";
import { runListJson } from "../report/history-view.ts";
import { itemJson as traceItemJson, traceJson } from "../report/trace-json.ts";
import { cacheStatsOf } from "./cache-figures.ts";
import type {
  CostsPayload,
  ItemJson,
  ItemPagePayload,
  ItemTimelinePayload,
  PipelinePayload,
  RunListEntry,
  RunPagePayload,
  RunPayload,
} from "./web/payloads.ts";

/** A request the API cannot answer as asked: HTTP `status` with this message. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const RUN_STATUSES: readonly ShownStatus[] = ["running", "success", "failed", "cancelled", "crashed"];
const ITEM_STATUSES: readonly ItemRow["status"][] = ["success", "failed", "cancelled"];
const DAY_MS = 86_400_000;
/** Runs per page of the list (the `limit` parameter may ask for up to {@link MAX_PAGE}). */
export const RUNS_PER_PAGE = 50;
const MAX_PAGE = 500;

function whole(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const text = params.get(name);
  if (text === null || text === "") return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new ApiError(`${name} must be a whole number from 0 to ${max}, not ${JSON.stringify(text)}`);
  return n;
}

/** A day `2026-05-01` (UTC) as epoch ms; `end` gives the end of that day. */
function day(params: URLSearchParams, name: string, end = false): number | undefined {
  const text = params.get(name);
  if (!text) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new ApiError(`${name} must be a day such as 2026-05-01, not ${JSON.stringify(text)}`);
  return end ? ms + DAY_MS : ms;
}

function oneOf<T extends string>(params: URLSearchParams, name: string, values: readonly T[]): T | undefined {
  const text = params.get(name);
  if (!text) return undefined;
  if (!(values as readonly string[]).includes(text))
    throw new ApiError(`${name} must be one of ${values.join(", ")}, not ${JSON.stringify(text)}`);
  return text as T;
}

function listEntries(browser: HistoryBrowser, runs: readonly RunRow[], now: number): RunListEntry[] {
  const ids = runs.map((r) => r.id);
  const hits = browser.cacheHits(ids);
  return runListJson(runs, browser.runs.stepCounts(ids), now).map((entry) => ({
    ...entry,
    cache_hits: hits.get(entry.run_id) ?? 0,
  }));
}

/** `GET /api/runs`: a page of runs, newest first (`pipeline`, `status`, `since`, `until` days, `after` the last id seen, `limit`). */
export function runsPage(browser: HistoryBrowser, params: URLSearchParams, now = Date.now()): RunPagePayload {
  const limit = Math.max(1, whole(params, "limit", RUNS_PER_PAGE, MAX_PAGE));
  const status = oneOf(params, "status", RUN_STATUSES);
  const page = browser.pageRuns({
    limit,
    ...(params.get("pipeline") ? { pipeline: params.get("pipeline")! } : {}),
    ...(status ? { status } : {}),
    ...optional("since", day(params, "since")),
    ...optional("until", day(params, "until", true)),
    ...(params.get("after") ? { after: params.get("after")! } : {}),
  });
  const runs = listEntries(browser, page.runs, now);
  return {
    runs,
    next: page.more ? page.runs[page.runs.length - 1]!.id : null,
    pipelines: browser.pipelines().map((p) => p.pipeline),
  };
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** The run `id` names (any form `trace` takes), or a 404. */
export function requireRun(browser: HistoryBrowser, id: string): RunRow {
  const run = browser.runs.getRun(id);
  if (!run) throw new ApiError(`no run "${id}" in the history (${browser.file})`, 404);
  return run;
}

/** `GET /api/runs/ID`: the trace document of the run, its DAG and the runs that resumed it. */
export function runPayload(browser: HistoryBrowser, id: string): RunPayload {
  const run = requireRun(browser, id);
  const data = traceData(browser.runs, run, { allFailures: false, allItems: false });
  const document = traceJson(data, browser.runs.stepCounts([run.id]).get(run.id)) as Omit<
    RunPayload,
    "graph" | "resumes" | "now"
  >;
  return { ...document, graph: browser.graph(run.id), resumes: browser.resumesOf(run.id), now: data.now };
}

/** One item of the items table: the trace document's item (report/trace-json.ts), typed for the page. */
export const itemJson = (item: ItemRow): ItemJson => traceItemJson(item);

function stepParam(params: URLSearchParams): string {
  const step = params.get("step");
  if (!step) throw new ApiError("step is missing: give the foreach step's name, ?step=NAME");
  return step;
}

/** `GET /api/runs/ID/items?step=NAME`: a page of its items (`status`, `q` text, `offset`, `limit`). */
export function itemsPage(browser: HistoryBrowser, id: string, params: URLSearchParams): ItemPagePayload {
  const run = requireRun(browser, id);
  const status = oneOf(params, "status", ITEM_STATUSES);
  const offset = whole(params, "offset", 0, Number.MAX_SAFE_INTEGER);
  const limit = Math.max(1, whole(params, "limit", 100, 1000));
  const text = params.get("q") ?? undefined;
  const page = browser.items(run.id, stepParam(params), {
    offset,
    limit,
    ...(status ? { status } : {}),
    ...(text ? { text } : {}),
  });
  return { total: page.total, offset, items: page.items.map(itemJson) };
}

/** `GET /api/runs/ID/timeline?step=NAME`: every item as columns, for the item timeline. */
export function itemTimelinePayload(browser: HistoryBrowser, id: string, params: URLSearchParams): ItemTimelinePayload {
  const run = requireRun(browser, id);
  const t = browser.itemTimeline(run.id, stepParam(params));
  return { index: t.index, status: t.status, ended_at: t.endedAt, duration_ms: t.durationMs, cached: t.cached };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `GET /api/costs?days=N` (default 30): spending per day by pipeline and by model, and what the LLM cache saved. */
export function costsPayload(browser: HistoryBrowser, params: URLSearchParams, now = Date.now()): CostsPayload {
  const days = Math.max(1, whole(params, "days", 30, 3660));
  const since = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  const daily = browser.dailyCosts(since);
  const pipelines = daily.pipelines.map((d) => ({ day: isoDay(d.day), key: d.key, cost: d.cost, runs: d.runs }));
  const models = daily.models.map((d) => ({
    day: isoDay(d.day),
    key: d.key,
    cost: d.cost,
    runs: d.runs,
    cache_hits: d.cacheHits,
    tokens: d.tokens,
  }));
  const cache = cacheStatsOf(browser.file);
  return {
    since: isoDay(since),
    pipelines,
    models,
    cache: { entries: cache.entries, hits: cache.hits, saved_usd: cache.savedUsd },
    total_cost: pipelines.reduce((sum, d) => sum + d.cost, 0),
  };
}

/** `GET /api/pipelines/NAME`: its last runs (`limit`, default 100), success rate and durations. */
export function pipelinePayload(
  browser: HistoryBrowser,
  name: string,
  params: URLSearchParams,
  now = Date.now(),
): PipelinePayload {
  const limit = Math.max(1, whole(params, "limit", 100, MAX_PAGE));
  const runs = browser.pageRuns({ pipeline: name, limit }).runs;
  if (runs.length === 0) throw new ApiError(`no runs of pipeline "${name}" in the history (${browser.file})`, 404);
  const finished = runs.filter((r) => r.status !== "running");
  const succeeded = finished.filter((r) => r.status === "success").length;
  return {
    pipeline: name,
    runs: listEntries(browser, runs, now),
    success_rate: finished.length ? succeeded / finished.length : null,
    finished: finished.length,
  };
}
