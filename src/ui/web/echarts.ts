/**
 * ECharts, only the parts the pages use (tree-shaken by the bundler): bars and lines for
 * costs and durations, a custom series for the Gantt timelines, the graph series for the
 * DAG, zoom, tooltips, legends; drawn on canvas, so a 10,000-bar timeline stays fast.
 */
import { BarChart, CustomChart, GraphChart, LineChart, ScatterChart } from "echarts/charts";
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  CustomChart,
  GraphChart,
  GridComponent,
  TooltipComponent,
  DataZoomComponent,
  LegendComponent,
  CanvasRenderer,
]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;
