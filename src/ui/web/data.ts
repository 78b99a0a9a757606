/**
 * Where the pages get their data: the server's JSON API, or — in the file `aiorch trace
 * RUN_ID --html` writes — the one run inlined in the page (`window.AIORCH_DATA`), filtered
 * and paged here the way the server would.
 */
import type {
  CostsPayload,
  ExportedRun,
  ItemJson,
  ItemPagePayload,
  ItemStatus,
  ItemTimelinePayload,
  PipelinePayload,
  RunPagePayload,
  RunPayload,
} from "./payloads.ts";

export interface ItemQuery {
  status?: ItemStatus;
  q?: string;
  offset: number;
  limit: number;
}

export interface Source {
  /** The page is a `trace --html` file: one run, no server. */
  exported: ExportedRun | null;
  runs(params: URLSearchParams): Promise<RunPagePayload>;
  run(id: string): Promise<RunPayload>;
  items(id: string, step: string, query: ItemQuery): Promise<ItemPagePayload>;
  timeline(id: string, step: string): Promise<ItemTimelinePayload>;
  costs(days: number): Promise<CostsPayload>;
  pipeline(name: string): Promise<PipelinePayload>;
  /** Calls `onRun` with the run each time it changes, until it ends; returns how to stop listening. */
  follow(id: string, onRun: (run: RunPayload) => void): () => void;
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

const enc = encodeURIComponent;

function serverSource(): Source {
  return {
    exported: null,
    runs: (params) => get(`/api/runs?${params}`),
    run: (id) => get(`/api/runs/${enc(id)}`),
    items: (id, step, query) => {
      const params = new URLSearchParams({ step, offset: String(query.offset), limit: String(query.limit) });
      if (query.status) params.set("status", query.status);
      if (query.q) params.set("q", query.q);
      return get(`/api/runs/${enc(id)}/items?${params}`);
    },
    timeline: (id, step) => get(`/api/runs/${enc(id)}/timeline?step=${enc(step)}`),
    costs: (days) => get(`/api/costs?days=${days}`),
    pipeline: (name) => get(`/api/pipelines/${enc(name)}`),
    follow(id, onRun) {
      const events = new EventSource(`/api/runs/${enc(id)}/events`);
      events.addEventListener("run", (event) => onRun(JSON.parse((event as MessageEvent<string>).data) as RunPayload));
      events.addEventListener("end", () => events.close());
      events.addEventListener("failure", () => events.close());
      return () => events.close();
    },
  };
}

/** Matches the server's item search: the index, or the text of the input, output or error, ignoring case. */
function matches(item: ItemJson, text: string): boolean {
  if (String(item.index) === text) return true;
  const output = item.output === null ? "" : JSON.stringify(item.output);
  return [item.input ?? "", output, item.error ?? ""].some((field) => field.toLowerCase().includes(text));
}

function exportedSource(data: ExportedRun): Source {
  const unavailable = () =>
    Promise.reject(new Error("this file holds one run only: open `aiorch ui` for the whole history"));
  return {
    exported: data,
    runs: unavailable,
    run: () => Promise.resolve(data.run),
    items(_id, step, query) {
      const text = query.q?.trim().toLowerCase();
      const all = (data.items[step] ?? []).filter(
        (item) => (!query.status || item.status === query.status) && (!text || matches(item, text)),
      );
      return Promise.resolve({
        total: all.length,
        offset: query.offset,
        items: all.slice(query.offset, query.offset + query.limit),
      });
    },
    timeline: (_id, step) =>
      Promise.resolve(data.timelines[step] ?? { index: [], status: [], ended_at: [], duration_ms: [], cached: [] }),
    costs: unavailable,
    pipeline: unavailable,
    follow: () => () => {},
  };
}

declare global {
  interface Window {
    AIORCH_DATA: ExportedRun | null;
  }
}

export const source: Source = window.AIORCH_DATA ? exportedSource(window.AIORCH_DATA) : serverSource();
