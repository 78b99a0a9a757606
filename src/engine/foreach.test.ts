import { describe, expect, test } from "bun:test";
import { StepFailure } from "../errors/step-failure.ts";
import { runItems, type ItemOutcome, type ItemsOptions } from "./foreach.ts";

const running = () => new AbortController().signal;
const options = (fields: Partial<ItemsOptions> = {}): ItemsOptions => ({
  parallel: false,
  cap: 8,
  signal: running(),
  ...fields,
});

/** Runs `items` through runItems with `work`, noting the items in flight at most and every reported outcome. */
async function run(
  items: unknown[],
  fields: Partial<ItemsOptions>,
  work: (item: unknown, index: number) => Promise<unknown>,
) {
  let inFlight = 0;
  let most = 0;
  const started: number[] = [];
  const outcomes: ItemOutcome[] = [];
  const result = await runItems(
    items,
    options(fields),
    async (item, index) => {
      started.push(index);
      most = Math.max(most, ++inFlight);
      try {
        return await work(item, index);
      } finally {
        inFlight--;
      }
    },
    (outcome) => outcomes.push(outcome),
  ).catch((error: unknown) => ({ error }));
  return { result, most, started, outcomes };
}

/** Resolves after `n` turns of the event loop: lets items finish out of order without clocks. */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("runItems", () => {
  test("in order, one at a time, without parallel", async () => {
    const { result, most, started } = await run([1, 2, 3, 4], {}, async (item) => {
      await turns(1);
      return (item as number) * 10;
    });
    expect(result).toEqual({ results: [10, 20, 30, 40], failed: [] });
    expect(most).toBe(1);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  test("parallel: at most `cap` at once, and the results keep item order when items end out of order", async () => {
    const { result, most } = await run([5, 1, 4, 2, 3, 1], { parallel: true, cap: 3 }, async (item) => {
      await turns(item as number);
      return `item ${item}`;
    });
    expect(result).toEqual({ results: ["item 5", "item 1", "item 4", "item 2", "item 3", "item 1"], failed: [] });
    expect(most).toBe(3);
  });

  test("a failure stops the step: no new item starts, the one in flight finishes and is reported, the failure names the item", async () => {
    const { result, started, outcomes } = await run(
      ["a", "b", "c", "d", "e"],
      { parallel: true, cap: 2 },
      async (item, index) => {
        if (item === "b") throw new StepFailure("b broke");
        await turns(3);
        return index;
      },
    );
    expect((result as { error: StepFailure }).error).toMatchObject({
      message: "item 1 of 5 failed: b broke",
      kind: "error",
    });
    // a and b were in flight; nothing started after b failed.
    expect(started).toEqual([0, 1]);
    expect(outcomes.map((o) => [o.index, o.ok])).toEqual([
      [1, false],
      [0, true],
    ]);
  });

  test("of several failures in flight, the lowest item is the one reported", async () => {
    const { result } = await run(["a", "b", "c"], { parallel: true, cap: 3 }, async (item) => {
      // c fails first, a a moment later: a is the failure named.
      await turns(item === "a" ? 3 : 0);
      throw new StepFailure(`${item} broke`);
    });
    expect((result as { error: StepFailure }).error.message).toBe("item 0 of 3 failed: a broke");
  });

  test("on_item_failure continue: every item runs, a failed one leaves null and is listed by index", async () => {
    const { result, started } = await run(
      [1, 2, 3, 4, 5],
      { parallel: true, cap: 2, onItemFailure: "continue" },
      async (item) => {
        await turns(5 - (item as number));
        if ((item as number) % 2 === 0) throw new StepFailure(`even ${item}`);
        return item;
      },
    );
    expect(result).toEqual({
      results: [1, null, 3, null, 5],
      failed: [
        { index: 1, error: "even 2" },
        { index: 3, error: "even 4" },
      ],
    });
    expect(started.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  test("on_item_failure continue: a cancelled item still stops the step", async () => {
    const { result, started } = await run([1, 2, 3], { onItemFailure: "continue" }, async (item) => {
      if (item === 2) throw new StepFailure("cancelled", "cancelled");
      return item;
    });
    expect((result as { error: StepFailure }).error).toMatchObject({
      kind: "cancelled",
      message: "item 1 of 3 failed: cancelled",
    });
    expect(started).toEqual([0, 1]);
  });

  test("on_item_failure continue: after Ctrl-C the items not yet run make the step cancelled", async () => {
    const controller = new AbortController();
    const { result, started } = await run(
      [1, 2, 3],
      { onItemFailure: "continue", signal: controller.signal },
      async (item) => {
        if (item === 1) controller.abort();
        return item;
      },
    );
    expect((result as { error: StepFailure }).error).toMatchObject({ kind: "cancelled", message: "cancelled" });
    expect(started).toEqual([0]);
  });

  test("items reused from the run being resumed are reported first and not run again", async () => {
    const reused = new Map<number, unknown>([
      [0, "old 0"],
      [2, "old 2"],
    ]);
    const { result, started, outcomes } = await run(["a", "b", "c", "d"], { reused }, async (item) => `new ${item}`);
    expect(result).toEqual({ results: ["old 0", "new b", "old 2", "new d"], failed: [] });
    expect(started).toEqual([1, 3]);
    expect(outcomes.map((o) => [o.index, o.reused ?? false])).toEqual([
      [0, true],
      [2, true],
      [1, false],
      [3, false],
    ]);
  });

  test("a failure that is not a StepFailure is reported with its text", async () => {
    const { result } = await run(["x"], {}, async () => {
      throw "plain text";
    });
    expect((result as { error: StepFailure }).error.message).toBe("item 0 of 1 failed: plain text");
  });
});
