import { expect, test } from "bun:test";
import { progressLine } from "./progress-line.ts";

test("progress line: done/total, failures, rate and ETA", () => {
  expect(progressLine("each", { done: 400, failed: 0, total: 1000 }, 4000)).toBe(
    "  each  400/1000 (40%)  100 items/s ETA 6s",
  );
  expect(progressLine("each", { done: 9, failed: 1, total: 20 }, 2000)).toBe(
    "  each  10/20 (50%)  1 failed  5.0 items/s ETA 2s",
  );
});

test("progress line of a resumed foreach: the reused items are named and left out of the rate", () => {
  // 400 reused at once, then 100 run in 2 s: 50 items/s, and 500 left at that rate.
  expect(progressLine("each", { done: 500, failed: 0, total: 1000, reused: 400 }, 2000)).toBe(
    "  each  500/1000 (50%)  400 reused  50 items/s ETA 10s",
  );
});
