import { describe, expect, test } from "bun:test";
import { formatDuration, parseDuration } from "./duration.ts";

describe("parseDuration", () => {
  test.each([
    ["500ms", 500],
    ["2s", 2_000],
    ["1.5m", 90_000],
    ["1h", 3_600_000],
    [" 3 h ", 10_800_000],
    ["30d", 30 * 86_400_000],
    ["1.5d", 129_600_000],
    ["2w", 14 * 86_400_000],
    ["0s", 0],
    [2, 2_000],
    [0.25, 250],
  ] as const)("%p is %p ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(["banana", "", "10", "-1d", "1y", "1 day", "d", "1dd", "1.d"])("%p does not parse", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  test("negative and non-finite numbers do not parse", () => {
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseDuration(undefined)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  test.each([
    [0, "0ms"],
    [250, "250ms"],
    [1_500, "1.5s"],
    [2_000, "2s"],
    [12_340, "12.3s"],
    [60_000, "1m"],
    [123_000, "2m 3s"],
  ])("%p ms is %p", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
