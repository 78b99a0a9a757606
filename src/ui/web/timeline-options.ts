/**
 * The ECharts options of the Gantt timelines: a run's steps (one row each, flow children
 * indented under their parent), and a foreach step's items (one row per item, zoomable on
 * both axes, drawn progressively so that 10,000 bars cost no more than a frame or two).
 */
import { echarts, type ChartOption } from "./echarts.ts";
import { epoch, formatDuration, STATUS_COLOURS } from "./format.ts";
import type { ItemTimelinePayload, RunPayload } from "./payloads.ts";

type Bar = { value: [number, number, number]; name: string; itemStyle: { color: string } };

/** Draws bar `[row, start, end]` as a rectangle clipped to the plot. */
function renderBar(params: { coordSys: unknown }, api: { value(i: number): number; coord(p: number[]): number[]; size(p: number[]): number[]; visual(k: string): string }) {
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

const timeAxis = { type: "value", min: 0, axisLabel: { formatter: (ms: number) => formatDuration(ms) }, splitLine: { lineStyle: { color: "#eee" } } };

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
    tooltip: { formatter: (p: { data: Bar }) => `${p.data.name}<br>${formatDuration(p.data.value[1])} → ${formatDuration(p.data.value[2])} (${formatDuration(p.data.value[2] - p.data.value[1])})` },
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

/** A foreach step's items on its own timeline (offsets from the step's start); items without an end time (older history) are left out. */
export function itemTimeline(timeline: ItemTimelinePayload, stepStartedAt: number): { option: ChartOption; drawn: number } {
  const bars: Bar[] = [];
  for (let k = 0; k < timeline.index.length; k++) {
    const ended = timeline.ended_at[k];
    if (ended === null || ended === undefined) continue;
    const end = ended - stepStartedAt;
    const start = Math.max(0, end - timeline.duration_ms[k]!);
    const status = timeline.status[k]!;
    bars.push({ value: [timeline.index[k]!, start, end], name: `item ${timeline.index[k]}${timeline.cached[k] ? " (cached)" : ""}: ${status}`, itemStyle: { color: STATUS_COLOURS[status] } });
  }
  const option: ChartOption = {
    animation: false,
    grid: { left: 60, right: 48, top: 12, bottom: 56 },
    tooltip: { formatter: (p: { data: Bar }) => `${p.data.name}<br>${formatDuration(p.data.value[2] - p.data.value[1])}` },
    xAxis: timeAxis,
    yAxis: { type: "value", inverse: true, min: -0.5, max: Math.max(0.5, timeline.index.length - 0.5), name: "item", axisLabel: { formatter: (v: number) => (Number.isInteger(v) ? String(v) : "") } },
    dataZoom: [
      { type: "slider", xAxisIndex: 0, filterMode: "weakFilter", height: 18, bottom: 8 },
      { type: "inside", xAxisIndex: 0, filterMode: "weakFilter" },
      { type: "slider", yAxisIndex: 0, filterMode: "weakFilter", width: 16, right: 8 },
      { type: "inside", yAxisIndex: 0, filterMode: "weakFilter", zoomOnMouseWheel: "shift" },
    ],
    series: [{ type: "custom", renderItem: renderBar, encode: { x: [1, 2], y: 0 }, data: bars, clip: true, progressive: 2000 }],
  };
  return { option, drawn: bars.length };
}
