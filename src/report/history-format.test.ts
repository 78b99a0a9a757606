import { describe, expect, test } from "bun:test";
import type { RunRow, StepRow } from "../history/index.ts";
import { formatBytes, formatCompactTime, formatCostCell } from "./history-format.ts";
import { itemSummary, traceOrder } from "./trace-data.ts";
import { barWidth, scaleLine, stepBar, timelineSpan } from "./trace-timeline.ts";

/** Local-time dates: the formatters print local time, whatever the zone of the machine. */
const local = (y: number, m: number, d: number, h = 0, min = 0, s = 0) => new Date(y, m - 1, d, h, min, s).getTime();

describe("formatCompactTime", () => {
  const now = local(2026, 11, 24, 17, 0, 0);
  test("today: the clock with seconds", () =>
    expect(formatCompactTime(local(2026, 11, 24, 9, 5, 7), now)).toBe("09:05:07"));
  test("this year: month, day and minute", () =>
    expect(formatCompactTime(local(2026, 3, 5, 9, 30), now)).toBe("Mar 05 09:30"));
  test("another year: the date", () => expect(formatCompactTime(local(2025, 11, 24, 17, 0), now)).toBe("2025-11-24"));
});

describe("formatCostCell and formatBytes", () => {
  test.each([
    [0, "-"],
    [0.00001, "$0.000010"],
    [0.0123, "$0.0123"],
    [1.5, "$1.50"],
  ])("cost %p is %p", (cost, text) => expect(formatCostCell(cost)).toBe(text));

  test.each([
    [512, "512 B"],
    [1536, "1.5 KB"],
    [5 * 1024 * 1024, "5.0 MB"],
  ])("%p bytes are %p", (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

const run = (overrides: Partial<RunRow> = {}): RunRow => ({
  id: "r",
  pipeline: "p",
  file: "/p.yaml",
  inputs: {},
  status: "success",
  startedAt: 1_000,
  finishedAt: 2_000,
  totalCost: 0,
  pid: 1,
  resumedFrom: null,
  imported: null,
  filePath: "/p.yaml",
  sources: null,
  inputsDigest: null,
  reusedUnmatched: null,
  ...overrides,
});
const step = (
  name: string,
  startedAt: number | null,
  durationMs: number,
  overrides: Partial<StepRow> = {},
): StepRow => ({
  runId: "r",
  name,
  primitive: "run",
  status: "success",
  attempts: 1,
  startedAt,
  durationMs,
  input: null,
  output: undefined,
  error: null,
  reason: null,
  model: null,
  promptTokens: null,
  completionTokens: null,
  cost: 0,
  cached: false,
  itemsTotal: null,
  itemsDone: null,
  itemsFailed: null,
  ...overrides,
});

describe("the timeline", () => {
  test("spans the run; a crashed run up to its last recorded step end; a live one up to now", () => {
    expect(timelineSpan(run(), [step("a", 1_000, 500)], 9_999)).toEqual({ start: 1_000, end: 2_000 });
    expect(timelineSpan(run({ status: "crashed", finishedAt: null }), [step("a", 1_100, 300)], 9_999)).toEqual({
      start: 1_000,
      end: 1_400,
    });
    expect(timelineSpan(run({ status: "running", finishedAt: null }), [], 9_999)).toEqual({ start: 1_000, end: 9_999 });
  });

  test("bars are placed on the common scale, at least one column, never overlapping a step that starts as another ends", () => {
    const span = { start: 0, end: 1_000 };
    expect(stepBar(step("a", 0, 500), span, 10)).toBe("█████");
    expect(stepBar(step("b", 500, 500), span, 10)).toBe("     █████");
    expect(stepBar(step("c", 990, 1), span, 10)).toBe("         █");
    expect(stepBar(step("d", 300, 0, { status: "running" }), span, 10)).toBe("   ░░░░░░░");
    expect(stepBar(step("e", null, 0, { status: "skipped" }), span, 10)).toBe("");
  });

  test("the bar takes the terminal's remaining width (at least 10), or 40 columns when not a terminal", () => {
    expect(barWidth(50, undefined)).toBe(40);
    expect(barWidth(50, 120)).toBe(69);
    expect(barWidth(50, 40)).toBe(10);
    expect(scaleLine(10, "3.3s")).toBe("0     3.3s");
  });
});

describe("trace order and item counts", () => {
  test("flow children follow their parent, depth first, labelled without the parent's prefix", () => {
    const order = traceOrder([
      step("f", 0, 1),
      step("x", 1, 1),
      step("f/a", 2, 1),
      step("f/a/b", 3, 1),
      step("g[1]/c", 4, 1),
      step("g", 0, 1),
    ]);
    expect(order.map((e) => [e.label, e.depth])).toEqual([
      ["f", 0],
      ["a", 1],
      ["b", 2],
      ["x", 0],
      ["g", 0],
      ["[1]/c", 1],
    ]);
  });

  test("recorded items win over the step's counters (a crash leaves those at 0); without items, the counters", () => {
    const crashed = step("each", 0, 0, { status: "running", itemsTotal: 10, itemsDone: 0, itemsFailed: 0 });
    expect(itemSummary(crashed, { success: 4, failed: 1, cancelled: 0, cached: 2 })).toEqual({
      total: 10,
      succeeded: 4,
      failed: 1,
      cancelled: 0,
      notRun: 5,
      cached: 2,
    });
    expect(itemSummary(step("each", 0, 5, { itemsTotal: 3, itemsDone: 2, itemsFailed: 1 }), undefined)).toEqual({
      total: 3,
      succeeded: 2,
      failed: 1,
      cancelled: 0,
      notRun: 0,
      cached: 0,
    });
    expect(itemSummary(step("plain", 0, 5), undefined)).toBeUndefined();
  });
});
