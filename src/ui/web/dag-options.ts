/**
 * The run's DAG as an ECharts graph: each top-level step a node in the column of its
 * longest path from a root (the layers `aiorch plan` prints), coloured by how it ended;
 * an arrow from each dependency to the step that waits for it.
 */
import type { ChartOption } from "./echarts.ts";
import { STATUS_COLOURS } from "./format.ts";
import type { RunPayload, StepStatus } from "./payloads.ts";

const COLUMN = 190;
const ROW = 64;

/** Each step's layer: 0 for a step without dependencies, else one more than its deepest dependency. */
export function layers(graph: Record<string, string[]>): Map<string, number> {
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const of = (name: string): number => {
    const known = layer.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // A cycle cannot be recorded (validation refuses it); stay finite anyway.
    visiting.add(name);
    const value = Math.max(-1, ...(graph[name] ?? []).filter((d) => d in graph).map(of)) + 1;
    layer.set(name, value);
    return value;
  };
  for (const name of Object.keys(graph)) of(name);
  return layer;
}

export function dagOption(run: RunPayload, graph: Record<string, string[]>): ChartOption {
  const statusOf = new Map<string, StepStatus>(run.steps.map((s) => [s.name, s.status]));
  const layer = layers(graph);
  const rowsUsed = new Map<number, number>();
  const nodes = Object.keys(graph).map((name) => {
    const column = layer.get(name) ?? 0;
    const row = rowsUsed.get(column) ?? 0;
    rowsUsed.set(column, row + 1);
    const status = statusOf.get(name);
    return {
      name,
      x: column * COLUMN,
      y: row * ROW,
      value: status ?? "not started",
      itemStyle: { color: status ? STATUS_COLOURS[status] : "#fff", borderColor: "#495057", borderWidth: 1 },
    };
  });
  const links = Object.entries(graph).flatMap(([name, deps]) =>
    deps.filter((d) => d in graph).map((d) => ({ source: d, target: name })),
  );
  return {
    animation: false,
    tooltip: {
      formatter: (p: { dataType: string; data: { name: string; value: string } }) =>
        p.dataType === "node" ? `${p.data.name}: ${p.data.value}` : "",
    },
    series: [
      {
        type: "graph",
        layout: "none",
        roam: true,
        symbol: "roundRect",
        symbolSize: [150, 30],
        label: {
          show: true,
          color: "#fff",
          fontSize: 12,
          overflow: "truncate",
          width: 140,
          textBorderColor: "#333",
          textBorderWidth: 2,
        },
        edgeSymbol: ["none", "arrow"],
        edgeSymbolSize: 8,
        lineStyle: { color: "#868e96", width: 1.5, curveness: 0.1 },
        data: nodes,
        links,
      },
    ],
  };
}
