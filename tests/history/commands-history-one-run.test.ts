/**
 * `aiorch history RUN_ID` (one run's summary, as text and as JSON), through the real CLI
 * against a history seeded with `HistoryStore`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  CANCELLED_RUN,
  CRASHED_RUN,
  FAILED_RUN,
  FAILED_RUN_JSON,
  LIVE_RUN,
  RESUMED_RUN,
  seedAll,
  succeeds,
  tempHome,
  withoutPid,
} from "./commands-seed.ts";
import { removeTempDirs } from "./helpers.ts";

afterAll(removeTempDirs);

let home: string;
beforeAll(async () => {
  home = tempHome("history-one-run");
  await seedAll(home, { live: true });
});

const ok = (args: string[], env: Record<string, string> = {}) => succeeds(home, args, env);

describe("aiorch history RUN_ID", () => {
  test("a failed run: file, inputs, status, times, cost, step counts, the failed steps with their errors, and what to do next", () => {
    expect(ok(["history", FAILED_RUN])).toBe(
      [
        "run       20240305-093000-aaaa",
        "pipeline  report",
        "file      /work/report.yaml",
        "status    failed",
        "started   2024-03-05 09:30:00",
        "finished  2024-03-05 09:30:03 (took 3.3s)",
        "cost      $0.0123",
        'inputs    topic = "owls"',
        "          n = 3",
        "steps     2 ok, 2 failed, 1 skipped; 2 more inside flows",
        "",
        "failed steps",
        "  ✗ each",
        "      2 of 6 items failed",
        "  ✗ upload (3 attempts)",
        "      exit 7: connection refused",
        "      curl: (7) Failed to connect",
        "      retry later",
        "",
        "aiorch trace 20240305-093000-aaaa   every step: timing, input, output, errors",
        "aiorch resume 20240305-093000-aaaa  runs again what did not succeed",
        "",
      ].join("\n"),
    );
  });

  test("a prefix of 4+ characters finds the run; a resumed run names its origin and is not resumable", () => {
    const text = ok(["history", "20240306"]);
    expect(text).toContain("run       20240306-093000-bbbb\n");
    expect(text).toContain("status    success\n");
    expect(text).toContain("resumed   from run 20240305-093000-aaaa\n");
    expect(text).toContain("steps     5 ok (2 reused)\n");
    expect(text).not.toContain("failed steps");
    expect(text).not.toContain("aiorch resume");
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "aiorch trace 20240306-093000-bbbb   every step: timing, input, output, errors",
    );
  });

  test("a crashed run says its process is gone, lists the steps it was in the middle of, and can be resumed", () => {
    expect(withoutPid(ok(["history", CRASHED_RUN]))).toBe(
      [
        "run       20240307-093000-cccc",
        "pipeline  nightly",
        "file      /work/nightly.yaml",
        "status    crashed (its process, pid N, is gone: it stopped without finishing)",
        "started   2024-03-07 09:30:00",
        "finished  -",
        "inputs    (none)",
        "steps     1 ok, 1 interrupted",
        "",
        "still running when the run stopped",
        "  ? loop",
        "",
        "aiorch trace 20240307-093000-cccc   every step: timing, input, output, errors",
        "aiorch resume 20240307-093000-cccc  runs again what did not succeed",
        "",
      ].join("\n"),
    );
    expect(ok(["history", CANCELLED_RUN])).toContain(
      `steps     1 cancelled, 1 skipped\n\naiorch trace ${CANCELLED_RUN}   every step: timing, input, output, errors\naiorch resume ${CANCELLED_RUN}  runs again`,
    );
    const live = ok(["history", LIVE_RUN]);
    expect(live).toContain(`status    running (pid ${process.pid})\n`);
    expect(live).toMatch(/\nfinished {2}- \(running for \d+(\.\d+)?s\)\n/);
    expect(live).not.toContain("aiorch resume");
  });

  test("--format json: the run, whether it can be resumed, step counts, and every step as the trace has it", () => {
    const doc = JSON.parse(ok(["history", FAILED_RUN, "--format", "json"])) as Record<string, unknown> & {
      steps: Record<string, unknown>[];
    };
    const { steps, ...run } = doc;
    expect(run).toEqual({
      ...FAILED_RUN_JSON,
      step_counts: {
        total: 5,
        succeeded: 2,
        reused: 0,
        cached: 0,
        failed: 2,
        cancelled: 0,
        skipped: 1,
        running: 0,
        interrupted: 0,
      },
    });
    expect(
      steps
        .filter((step) => step.status === "failed")
        .map((step) => [step.name, step.attempts, step.started_at, step.ended_at, step.error]),
    ).toEqual([
      ["each", 1, "2024-03-05T09:30:02.300Z", "2024-03-05T09:30:03.200Z", "2 of 6 items failed"],
      [
        "upload",
        3,
        "2024-03-05T09:30:03.200Z",
        "2024-03-05T09:30:03.300Z",
        "exit 7: connection refused\ncurl: (7) Failed to connect\nretry later",
      ],
    ]);
    // The same step objects as `trace --format json`, without the trace's detail.
    const trace = JSON.parse(ok(["trace", FAILED_RUN, "--format", "json"])) as { steps: Record<string, unknown>[] };
    expect(steps).toEqual(
      trace.steps.map(({ depth: _d, offset_ms: _o, input: _i, output: _out, log: _l, ...step }) => step),
    );
    const crashed = JSON.parse(ok(["history", CRASHED_RUN, "--format", "json"])) as {
      status: string;
      resumable: boolean;
      steps: { name: string; status: string }[];
    };
    expect(crashed).toMatchObject({ status: "crashed", resumable: true });
    expect(crashed.steps.filter((step) => step.status === "interrupted").map((step) => step.name)).toEqual(["loop"]);
    expect(JSON.parse(ok(["history", RESUMED_RUN, "--format", "json"]))).toMatchObject({
      resumable: false,
      resumed_from: FAILED_RUN,
      step_counts: { succeeded: 5, reused: 2 },
    });
  });
});
