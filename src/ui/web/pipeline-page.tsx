/** One pipeline: its success rate, the duration of its recent runs over time, and the runs. */
import { useEffect, useMemo } from "preact/hooks";
import { Chart } from "./chart.tsx";
import { source } from "./data.ts";
import type { ChartOption } from "./echarts.ts";
import { epoch, formatDuration, formatMs, STATUS_COLOURS } from "./format.ts";
import type { PipelinePayload } from "./payloads.ts";
import type { Route } from "./router.ts";
import { RunTable } from "./runs-page.tsx";
import { useData } from "./use-data.ts";
import { Figure, markReady, Wait } from "./widgets.tsx";

function trend(pipeline: PipelinePayload): ChartOption {
  const runs = pipeline.runs.filter((r) => r.duration_ms !== null).reverse();
  return {
    animation: false,
    grid: { left: 70, right: 16, top: 16, bottom: 30 },
    tooltip: {
      trigger: "item",
      formatter: (p: { data: { value: [number, number]; name: string } }) =>
        `${p.data.name}<br>${formatDuration(p.data.value[1])}`,
    },
    xAxis: { type: "time" },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => formatDuration(v) } },
    series: [
      {
        type: "line",
        showSymbol: false,
        lineStyle: { color: "#adb5bd" },
        data: runs.map((r) => [epoch(r.started_at), r.duration_ms]),
      },
      {
        type: "scatter",
        symbolSize: 8,
        data: runs.map((r) => ({
          value: [epoch(r.started_at), r.duration_ms],
          name: `${r.run_id} ${r.status}`,
          itemStyle: { color: STATUS_COLOURS[r.status] },
        })),
      },
    ],
  };
}

export function PipelinePage(props: { route: Route }) {
  const name = props.route.arg;
  const [loaded] = useData(() => source.pipeline(name), [name]);
  useEffect(() => {
    if (loaded.state !== "loading") markReady("pipeline");
  }, [loaded]);
  return (
    <section>
      <h1>
        <span class="muted">pipeline</span> {name}
      </h1>
      <Wait loaded={loaded}>{(pipeline) => <PipelineView pipeline={pipeline} />}</Wait>
    </section>
  );
}

function PipelineView(props: { pipeline: PipelinePayload }) {
  const { pipeline } = props;
  const option = useMemo(() => trend(pipeline), [pipeline]);
  const durations = pipeline.runs.map((r) => r.duration_ms).filter((d): d is number => d !== null);
  const median = durations.length ? [...durations].sort((a, b) => a - b)[Math.floor(durations.length / 2)]! : null;
  return (
    <>
      <div class="figures">
        <Figure
          label={`success rate (${pipeline.finished} finished runs)`}
          value={pipeline.success_rate === null ? "—" : `${Math.round(pipeline.success_rate * 100)}%`}
          testId="success-rate"
        />
        <Figure label="median duration" value={formatMs(median)} />
        <Figure label="runs shown" value={pipeline.runs.length} />
      </div>
      <h2>Duration</h2>
      <Chart option={option} height={240} label="duration of each run over time" testId="duration-trend" />
      <h2>Recent runs</h2>
      <RunTable runs={pipeline.runs} />
    </>
  );
}
