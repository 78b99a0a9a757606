/** Spending per day by pipeline and by model, the totals of the period, and what the LLM cache saved. */
import { useEffect, useMemo } from "preact/hooks";
import { Chart } from "./chart.tsx";
import { source } from "./data.ts";
import type { ChartOption } from "./echarts.ts";
import { formatUsd } from "./format.ts";
import type { CostsPayload, DailyCostJson } from "./payloads.ts";
import { href, type Route } from "./router.ts";
import { useData } from "./use-data.ts";
import { Figure, markReady, Wait } from "./widgets.tsx";

const PERIODS = [7, 30, 90, 365];

/** A stacked bar per day, one colour per key (pipeline or model). */
function dailyBars(rows: DailyCostJson[], since: string): ChartOption {
  const days: string[] = [];
  for (let t = Date.parse(`${since}T00:00:00Z`); t <= Date.now(); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  const keys = [...new Set(rows.map((r) => r.key))];
  const at = new Map(rows.map((r) => [`${r.day}\n${r.key}`, r.cost]));
  return {
    animation: false,
    legend: { type: "scroll", top: 0 },
    grid: { left: 70, right: 16, top: 36, bottom: 30 },
    tooltip: { trigger: "axis", valueFormatter: (v: number) => formatUsd(v) },
    xAxis: { type: "category", data: days },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => formatUsd(v) } },
    series: keys.map((key) => ({
      name: key,
      type: "bar",
      stack: "cost",
      data: days.map((d) => at.get(`${d}\n${key}`) ?? 0),
    })),
  };
}

function totals(rows: DailyCostJson[]): { key: string; cost: number; runs: number }[] {
  const by = new Map<string, { key: string; cost: number; runs: number }>();
  for (const r of rows) {
    const t = by.get(r.key) ?? { key: r.key, cost: 0, runs: 0 };
    t.cost += r.cost;
    t.runs += r.runs;
    by.set(r.key, t);
  }
  return [...by.values()].sort((a, b) => b.cost - a.cost || a.key.localeCompare(b.key));
}

export function CostsPage(props: { route: Route }) {
  const days = Number(props.route.params.get("days") ?? 30) || 30;
  const [loaded] = useData(() => source.costs(days), [days]);
  useEffect(() => {
    if (loaded.state !== "loading") markReady("costs");
  }, [loaded]);
  return (
    <section>
      <h1>Costs</h1>
      <nav class="periods">
        {PERIODS.map((d) => (
          <a
            href={href("costs", undefined, new URLSearchParams({ days: String(d) }))}
            class={d === days ? "chosen" : ""}
          >
            last {d} days
          </a>
        ))}
      </nav>
      <Wait loaded={loaded}>{(costs) => <CostsView costs={costs} />}</Wait>
    </section>
  );
}

function CostsView(props: { costs: CostsPayload }) {
  const { costs } = props;
  const byPipeline = useMemo(() => dailyBars(costs.pipelines, costs.since), [costs]);
  const byModel = useMemo(() => dailyBars(costs.models, costs.since), [costs]);
  const modelHits = totals(costs.models.map((m) => ({ ...m, runs: m.cache_hits })));
  return (
    <>
      <div class="figures">
        <Figure label={`spent since ${costs.since}`} value={formatUsd(costs.total_cost)} testId="costs-total" />
        <Figure label="saved by the LLM cache" value={formatUsd(costs.cache.saved_usd)} testId="cache-saved" />
        <Figure label="answers reused from the cache" value={costs.cache.hits} testId="cache-hits" />
        <Figure label="answers in the cache" value={costs.cache.entries} />
      </div>
      <h2>By pipeline</h2>
      <Chart option={byPipeline} height={280} label="cost per day by pipeline" testId="cost-by-pipeline" />
      <table data-testid="pipeline-costs">
        <thead>
          <tr>
            <th>pipeline</th>
            <th class="num">runs</th>
            <th class="num">cost</th>
          </tr>
        </thead>
        <tbody>
          {totals(costs.pipelines).map((t) => (
            <tr data-pipeline={t.key}>
              <td>
                <a href={href("pipeline", t.key)}>{t.key}</a>
              </td>
              <td class="num">{t.runs}</td>
              <td class="num">{formatUsd(t.cost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>By model</h2>
      <Chart option={byModel} height={280} label="cost per day by model" testId="cost-by-model" />
      <table data-testid="model-costs">
        <thead>
          <tr>
            <th>model</th>
            <th class="num">cache hits</th>
            <th class="num">cost</th>
          </tr>
        </thead>
        <tbody>
          {modelHits.map((t) => (
            <tr data-model={t.key}>
              <td>{t.key}</td>
              <td class="num">{t.runs}</td>
              <td class="num">{formatUsd(t.cost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
