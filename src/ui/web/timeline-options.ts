/**
 * The ECharts options of the Gantt timelines: a run's steps (one row each, flow children
 * indented under their parent), and a foreach step's items (one row per item, zoomable on
 * both axes, drawn progressively so that 10,000 bars cost no more than a frame or two).
 */
import { echarts, type ChartOption } from "./echarts.ts";
import { epoch, formatDuration, STATUS_COLOURS } from "./format.ts";
import type { ItemStatus, ItemTimelinePayload, RunPayload } from "./payloads.ts";

type Bar = { value: [number, number, number]; name: string; itemStyle: { color: string } };

/** Draws bar `[row, start, end]` as a rectangle clipped to the plot. */
function renderBar(
  params: { coordSys: unknown },
  api: {
    value(i: number): number;
    coord(p: number[]): number[];
    size(p: number[]): number[];
    visual(k: string): string;
  },
) {
  const row = api.value(0);
  const start = api.coord([api.value(1), row]);
  const end = api.coord([api.value(2), row]);
  const height = Math.max(2, (api.size([0, 1])[1] ?? 10) * 0.7);
  const box = params.coordSys as { x: number; y: number; width: number; height: number };
  const shape = echarts.graphic.clipRectByRect(
    { x: start[0]!, y: start[1]! - height / 2, width: Math.max(1, end[0]! - start[0]!), height },
    { x: box.x, y: box.y, width: box.width, height: box.height },
  );
  return shape && { type: "rect", shape, style: { fill: api.visual("color") } };
}

const timeAxis = {
  type: "value",
  min: 0,
  axisLabel: { formatter: (ms: number) => formatDuration(ms) },
  splitLine: { lineStyle: { color: "#eee" } },
};

/** The steps of a run on a common timeline (offsets from the run's start). Returns the option and the step of each row. */
export function stepTimeline(run: RunPayload): { option: ChartOption; rows: string[] } {
  const started = epoch(run.started_at);
  const steps = run.steps.filter((s) => s.started_at !== null);
  const rows = steps.map((s) => s.name);
  const bars: Bar[] = steps.map((step, row) => {
    const start = Date.parse(step.started_at!) - started;
    const end = step.ended_at ? Date.parse(step.ended_at) - started : Math.max(start, run.now - started);
    return { value: [row, start, end], name: step.name, itemStyle: { color: STATUS_COLOURS[step.status] } };
  });
  const labels = steps.map((s) => `${"  ".repeat(s.depth)}${s.name.split("/").pop()}`);
  const option: ChartOption = {
    animation: false,
    grid: { left: 160, right: 24, top: 12, bottom: 56 },
    tooltip: {
      formatter: (p: { data: Bar }) =>
        `${p.data.name}<br>${formatDuration(p.data.value[1])} → ${formatDuration(p.data.value[2])} (${formatDuration(p.data.value[2] - p.data.value[1])})`,
    },
    xAxis: timeAxis,
    yAxis: { type: "category", data: labels, inverse: true, axisTick: { show: false } },
    dataZoom: [
      { type: "slider", xAxisIndex: 0, filterMode: "weakFilter", height: 18, bottom: 8 },
      { type: "inside", xAxisIndex: 0, filterMode: "weakFilter" },
    ],
    series: [{ type: "custom", renderItem: renderBar, encode: { x: [1, 2], y: 0 }, data: bars, clip: true }],
  };
  return { option, rows };
}

/**
 * A foreach step's items on its own timeline (offsets from the step's start); items without
 * an end time (older history) are left out. Drawn as stacked horizontal bars in ECharts'
 * large mode (a transparent bar up to the item's start, then one series per status): one
 * path per series instead of one element per item, so 10,000 items draw in a frame.
 */
export function itemTimeline(
  timeline: ItemTimelinePayload,
  stepStartedAt: number,
): { option: ChartOption; drawn: number } {
  const rows: string[] = [];
  const offsets: number[] = [];
  const byStatus: Record<ItemStatus, (number | "-")[]> = { success: [], failed: [], cancelled: [] };
  for (let k = 0; k < timeline.index.length; k++) {
    const ended = timeline.ended_at[k];
    if (ended === null || ended === undefined) continue;
    const end = ended - stepStartedAt;
    const duration = Math.max(0.5, timeline.duration_ms[k]!);
    rows.push(String(timeline.index[k]));
    offsets.push(Math.max(0, end - duration));
    for (const status of ITEM_STATUSES) byStatus[status].push(status === timeline.status[k] ? duration : "-");
  }
  const bars = (status: ItemStatus) => ({
    name: status,
    type: "bar",
    stack: "item",
    large: true,
    largeThreshold: 400,
    barCategoryGap: "20%",
    itemStyle: { color: STATUS_COLOURS[status] },
    data: byStatus[status],
  });
  const option: ChartOption = {
    animation: false,
    grid: { left: 60, right: 48, top: 28, bottom: 56 },
    legend: { top: 0, data: ITEM_STATUSES.filter((s) => byStatus[s].some((v) => v !== "-")) },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (ps: { axisValue: string; seriesName: string; value: number | "-" }[]) => itemTip(ps),
    },
    xAxis: timeAxis,
    yAxis: { type: "category", data: rows, inverse: true, name: "item", axisTick: { show: false } },
    dataZoom: [
      { type: "slider", xAxisIndex: 0, filterMode: "none", height: 18, bottom: 8 },
      { type: "inside", xAxisIndex: 0, filterMode: "none" },
      { type: "slider", yAxisIndex: 0, filterMode: "none", width: 16, right: 8 },
      { type: "inside", yAxisIndex: 0, filterMode: "none", zoomOnMouseWheel: "shift", moveOnMouseWheel: true },
    ],
    series: [
      {
        name: "start",
        type: "bar",
        stack: "item",
        large: true,
        largeThreshold: 400,
        itemStyle: { color: "transparent" },
        tooltip: { show: false },
        data: offsets,
      },
      ...ITEM_STATUSES.map(bars),
    ],
  };
  return { option, drawn: rows.length };
}

const ITEM_STATUSES: readonly ItemStatus[] = ["success", "failed", "cancelled"];

function itemTip(points: { axisValue: string; seriesName: string; value: number | "-" }[]): string {
  const start = points.find((p) => p.seriesName === "start");
  const shown = points.find((p) => p.seriesName !== "start" && p.value !== "-");
  if (!shown || !start || shown.value === "-" || start.value === "-") return "";
  return `item ${shown.axisValue}: ${shown.seriesName}<br>${formatDuration(start.value)} → ${formatDuration(start.value + shown.value)} (${formatDuration(shown.value)})`;
}
