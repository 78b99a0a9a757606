/**
 * `aiorch trace RUN_ID --format json` (and `-v`): the run, then every step in tree order,
 * through the real CLI against a history seeded with `HistoryStore`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CRASHED_RUN, FAILED_RUN, seedAll, succeeds, tempHome } from "./commands-seed.ts";
import { removeTempDirs } from "./helpers.ts";

afterAll(removeTempDirs);

let home: string;
beforeAll(async () => {
  home = tempHome("trace-json");
  await seedAll(home, { live: true });
});

const ok = (args: string[], env: Record<string, string> = {}) => succeeds(home, args, env);

describe("aiorch trace RUN_ID", () => {
  test("--format json: the run, then every step in tree order with its fields and item summary; -v adds every item", () => {
    const doc = JSON.parse(ok(["trace", FAILED_RUN, "--format", "json"])) as Record<string, unknown> & {
      steps: Record<string, unknown>[];
    };
    expect(doc).toMatchObject({
      run_id: FAILED_RUN,
      status: "failed",
      duration_ms: 3300,
      cost: 0.0123,
      resumed_from: null,
      step_counts: { total: 5, failed: 2 },
    });
    expect(doc.steps.map((s) => [s.name, s.depth, s.status])).toEqual([
      ["fetch", 0, "success"],
      ["analyse", 0, "success"],
      ["analyse/ask", 1, "success"],
      ["analyse/count", 1, "success"],
      ["each", 0, "failed"],
      ["upload", 0, "failed"],
      ["publish", 0, "skipped"],
    ]);
    expect(doc.steps[2]).toEqual({
      name: "analyse/ask",
      primitive: "prompt",
      status: "success",
      reused: false,
      attempts: 1,
      started_at: "2024-03-05T09:30:00.140Z",
      ended_at: "2024-03-05T09:30:01.140Z",
      duration_ms: 1000,
      error: null,
      stdout_tail: null,
      stderr_tail: null,
      failed_attempts: [],
      warnings: [],
      reason: null,
      model: "gpt-4o-mini",
      prompt_tokens: 120,
      completion_tokens: 30,
      cost: 0.0123,
      cached: true,
      cache_hits: null,
      llm_requests: null,
      reasks: null,
      items: null,
      failed_items: [],
      depth: 1,
      offset_ms: 140,
      input: "Summarise: owl data",
      output: "Owls are birds.",
      log: null,
    });
    expect(doc.steps[4]).toMatchObject({
      items: { total: 6, succeeded: 4, failed: 2, cancelled: 0, not_run: 0, cached: 0 },
      failed_items: [
        {
          index: 1,
          error: "ValueError: bad item 1\n  line 2 of the traceback",
          input: null,
          stdout_tail: null,
          stderr_tail: null,
        },
        {
          index: 4,
          error: "ValueError: bad item 4\n  line 2 of the traceback",
          input: null,
          stdout_tail: null,
          stderr_tail: null,
        },
      ],
    });
    expect(doc.steps[4]).not.toHaveProperty("all_items");
    expect(doc.steps[6]).toMatchObject({
      started_at: null,
      ended_at: null,
      offset_ms: null,
      duration_ms: 0,
      reason: "upstream failed",
    });

    const verbose = JSON.parse(ok(["trace", FAILED_RUN, "--format", "json", "-v"])) as {
      steps: { all_items?: unknown[] }[];
    };
    const list = verbose.steps[4]!.all_items!;
    expect(list).toHaveLength(6);
    expect(list[0]).toEqual({
      index: 0,
      status: "success",
      cached: false,
      input: null,
      output: 0,
      error: null,
      failed_attempts: [],
      duration_ms: 1,
    });
    expect(list[1]).toEqual({
      index: 1,
      status: "failed",
      cached: false,
      input: null,
      output: null,
      error: "ValueError: bad item 1\n  line 2 of the traceback",
      failed_attempts: [],
      duration_ms: 1,
    });

    const crashed = JSON.parse(ok(["trace", CRASHED_RUN, "--format", "json"])) as Record<string, unknown> & {
      steps: Record<string, unknown>[];
    };
    expect(crashed).toMatchObject({
      status: "crashed",
      ended_at: null,
      duration_ms: null,
      step_counts: { running: 0, interrupted: 1 },
    });
    expect(crashed.steps[1]).toMatchObject({
      name: "loop",
      status: "interrupted",
      ended_at: null,
      duration_ms: null,
      items: { total: 10, succeeded: 4, failed: 0, cancelled: 0, not_run: 6 },
      failed_items: [],
    });
  });
});
