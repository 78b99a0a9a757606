/** The runs, newest first, a page at a time (the server pages by key, never loading them all), with filters. */
import { useEffect } from "preact/hooks";
import { source } from "./data.ts";
import { formatMs, formatTime, formatUsd } from "./format.ts";
import type { RunListEntry, RunPagePayload } from "./payloads.ts";
import { href, parseRoute, type Route } from "./router.ts";
import { useData } from "./use-data.ts";
import { markReady, Status, Wait } from "./widgets.tsx";

const FILTERS = ["pipeline", "status", "since", "until", "limit"] as const;
const STATUSES = ["running", "success", "failed", "cancelled", "crashed"];

/** The route's query minus the paging keys: what the filters hold. */
function filters(params: URLSearchParams): URLSearchParams {
  const kept = new URLSearchParams();
  for (const key of FILTERS) if (params.get(key)) kept.set(key, params.get(key)!);
  return kept;
}

function go(params: URLSearchParams): void {
  location.hash = href("runs", undefined, params);
}

export function RunsPage(props: { route: Route }) {
  const { params } = props.route;
  const query = params.toString();
  const [loaded] = useData(() => source.runs(new URLSearchParams(query)), [query]);
  useEffect(() => {
    if (loaded.state !== "loading") markReady("runs");
  }, [loaded]);
  // Page numbers are a stack of the ids each page started after, kept in the route.
  const trail = (params.get("trail") ?? "").split(",").filter(Boolean);
  const setFilter = (key: string, value: string) => {
    // From the address itself: two changes in a row must not lose the first to a stale render.
    const next = filters(parseRoute(location.hash).params);
    if (value) next.set(key, value);
    else next.delete(key);
    go(next);
  };
  const nextPage = (page: RunPagePayload) => {
    const next = filters(params);
    next.set("after", page.next!);
    next.set("trail", [...trail, params.get("after") ?? ""].join(","));
    go(next);
  };
  const previousPage = () => {
    const next = filters(params);
    const before = trail[trail.length - 1];
    if (before) next.set("after", before);
    if (trail.length > 1) next.set("trail", trail.slice(0, -1).join(","));
    go(next);
  };
  return (
    <section>
      <h1>Runs</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="filters">
        <label>
          pipeline{" "}
          <select
            data-testid="filter-pipeline"
            value={params.get("pipeline") ?? ""}
            onChange={(e) => setFilter("pipeline", e.currentTarget.value)}
          >
            <option value="">all</option>
            {loaded.state === "ready" && loaded.value.pipelines.map((p) => <option value={p}>{p}</option>)}
          </select>
        </label>
        <label>
          status{" "}
          <select
            data-testid="filter-status"
            value={params.get("status") ?? ""}
            onChange={(e) => setFilter("status", e.currentTarget.value)}
          >
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          from{" "}
          <input
            type="date"
            data-testid="filter-since"
            value={params.get("since") ?? ""}
            onChange={(e) => setFilter("since", e.currentTarget.value)}
          />
        </label>
        <label>
          to{" "}
          <input
            type="date"
            data-testid="filter-until"
            value={params.get("until") ?? ""}
            onChange={(e) => setFilter("until", e.currentTarget.value)}
          />
        </label>
      </form>
      <Wait loaded={loaded}>
        {(page) => (
          <>
            <RunTable runs={page.runs} />
            <nav class="pager">
              <button type="button" data-testid="previous-page" disabled={!params.get("after")} onClick={previousPage}>
                ← newer
              </button>
              <span class="muted">page {trail.length + (params.get("after") ? 1 : 0) + 1}</span>
              <button type="button" data-testid="next-page" disabled={!page.next} onClick={() => nextPage(page)}>
                older →
              </button>
            </nav>
          </>
        )}
      </Wait>
    </section>
  );
}

/** The runs as a table: also the pipeline page's. */
export function RunTable(props: { runs: RunListEntry[] }) {
  if (props.runs.length === 0)
    return (
      <p class="muted" data-testid="no-runs">
        no runs match
      </p>
    );
  return (
    <table class="runs" data-testid="runs-table">
      <thead>
        <tr>
          <th>status</th>
          <th>run</th>
          <th>pipeline</th>
          <th>started</th>
          <th class="num">duration</th>
          <th class="num">cost</th>
          <th class="num">cache hits</th>
          <th>steps</th>
        </tr>
      </thead>
      <tbody>
        {props.runs.map((run) => (
          <tr data-run={run.run_id} data-status={run.status}>
            <td>
              <Status status={run.status} />
            </td>
            <td>
              <a href={href("run", run.run_id)}>{run.run_id}</a>
              {run.resumed_from && <span class="muted"> (resumes {run.resumed_from})</span>}
            </td>
            <td>
              <a href={href("pipeline", run.pipeline)}>{run.pipeline}</a>
            </td>
            <td>{formatTime(run.started_at)}</td>
            <td class="num">{formatMs(run.duration_ms)}</td>
            <td class="num">{formatUsd(run.cost)}</td>
            <td class="num">{run.cache_hits}</td>
            <td>{stepsText(run)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function stepsText(run: RunListEntry): string {
  const c = run.step_counts;
  const parts = [`${c.succeeded}/${c.total} ok`];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.running) parts.push(`${c.running} running`);
  if (c.interrupted) parts.push(`${c.interrupted} interrupted`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.join(", ");
}
