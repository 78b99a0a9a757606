import { useEffect, useRef } from "preact/hooks";
import { echarts, type ChartOption } from "./echarts.ts";

/** A click on a chart element: the series' `data` entry that was clicked. */
export type ChartClick = (data: unknown) => void;

/**
 * One ECharts instance in a div: made once, given the new option when `option` changes,
 * resized with its box, disposed on unmount. `label` is the accessible name of the figure.
 */
export function Chart(props: {
  option: ChartOption;
  height: number;
  label: string;
  testId: string;
  onClick?: ChartClick;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | undefined>(undefined);
  const click = useRef(props.onClick);
  click.current = props.onClick;
  useEffect(() => {
    const instance = echarts.init(box.current!, undefined, { renderer: "canvas" });
    chart.current = instance;
    instance.on("click", (event: { data?: unknown }) => click.current?.(event.data));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current!);
    return () => {
      observer.disconnect();
      instance.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true, lazyUpdate: false });
  }, [props.option]);
  return (
    <div
      ref={box}
      class="chart"
      style={{ height: `${props.height}px` }}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
    />
  );
}
