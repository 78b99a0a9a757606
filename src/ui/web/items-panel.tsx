/**
 * A foreach step's items: their own zoomable timeline, and a table that filters by status
 * and searches their text, a page of {@link PAGE} at a time (the server does the filtering,
 * so 10,000 items cost one page).
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { Chart } from "./chart.tsx";
import { source } from "./data.ts";
import { epoch, formatMs, pretty } from "./format.ts";
import type { ItemJson, ItemStatus, RunPayload, StepJson } from "./payloads.ts";
import { itemTimeline } from "./timeline-options.ts";
import { useData } from "./use-data.ts";
import { Status, Wait } from "./widgets.tsx";

const PAGE = 100;

export function ItemsPanel(props: { run: RunPayload; step: StepJson }) {
  const { run, step } = props;
  const [status, setStatus] = useState<ItemStatus | "">(step.items?.failed ? "failed" : "");
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed), 200);
    return () => clearTimeout(timer);
  }, [typed]);
  useEffect(() => setOffset(0), [status, q]);
  const counts = step.items!;
  const [page] = useData(
    () =>
      source.items(run.run_id, step.name, { offset, limit: PAGE, ...(status ? { status } : {}), ...(q ? { q } : {}) }),
    [run.run_id, step.name, status, q, offset, counts.succeeded + counts.failed + counts.cancelled],
  );
  const [timeline] = useData(
    () => source.timeline(run.run_id, step.name),
    [run.run_id, step.name, counts.succeeded + counts.failed + counts.cancelled],
  );
  const started = step.started_at ? Date.parse(step.started_at) : epoch(run.started_at);
  const chart = useMemo(
    () => (timeline.state === "ready" ? itemTimeline(timeline.value, started) : undefined),
    [timeline, started],
  );
  return (
    <section class="items" data-testid="items">
      <h4>
        items: {counts.succeeded} succeeded, {counts.failed} failed, {counts.cancelled} cancelled, {counts.not_run} not
        run, of {counts.total}
      </h4>
      {chart && chart.drawn > 0 && (
        <Chart option={chart.option} height={320} label={`timeline of ${chart.drawn} items`} testId="item-timeline" />
      )}
      <div class="filters">
        <label>
          status{" "}
          <select
            data-testid="item-status"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as ItemStatus | "")}
          >
            <option value="">all</option>
            <option value="success">success</option>
            <option value="failed">failed</option>
            <option value="cancelled">cancelled</option>
          </select>
        </label>
        <label>
          search{" "}
          <input
            type="search"
            data-testid="item-search"
            placeholder="index or text"
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </label>
      </div>
      <Wait loaded={page}>
        {(items) => (
          <>
            <p class="muted" data-testid="item-count">
              {items.total} matching
              {items.total > PAGE ? `, ${items.offset + 1}–${Math.min(items.total, items.offset + PAGE)} shown` : ""}
            </p>
            <table class="item-table" data-testid="item-table">
              <thead>
                <tr>
                  <th class="num">#</th>
                  <th>status</th>
                  <th class="num">duration</th>
                  <th>input</th>
                  <th>output or error</th>
                </tr>
              </thead>
              <tbody>
                {items.items.map((item) => (
                  <ItemRow item={item} key={item.index} />
                ))}
              </tbody>
            </table>
            <nav class="pager">
              <button type="button" disabled={items.offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                ← previous
              </button>
              <button
                type="button"
                data-testid="item-next"
                disabled={items.offset + PAGE >= items.total}
                onClick={() => setOffset(offset + PAGE)}
              >
                next →
              </button>
            </nav>
          </>
        )}
      </Wait>
    </section>
  );
}

function ItemRow(props: { item: ItemJson }) {
  const { item } = props;
  const [open, setOpen] = useState(false);
  const result = item.status === "success" ? pretty(item.output) : (item.error ?? "");
  return (
    <>
      <tr data-item={item.index} data-status={item.status} onClick={() => setOpen(!open)} class="clickable">
        <td class="num">{item.index}</td>
        <td>
          <Status status={item.status} />
          {item.cached && <span class="muted"> cached</span>}
        </td>
        <td class="num">{formatMs(item.duration_ms)}</td>
        <td class="clip">{item.input ?? ""}</td>
        <td class="clip">{result}</td>
      </tr>
      {open && (
        <tr class="expanded">
          <td colSpan={5}>
            {item.input !== null && <pre>{item.input}</pre>}
            <pre>{result}</pre>
            {item.failed_attempts.length > 0 && <pre>{pretty(item.failed_attempts)}</pre>}
          </td>
        </tr>
      )}
    </>
  );
}
