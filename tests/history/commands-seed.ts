/**
 * The history the `history`/`trace` command tests read: seeded through `HistoryStore` into a
 * private AIORCH_HOME, then read by the real CLI (`runCli`) with TZ=UTC so that local
 * times are predictable.
 */
import { expect } from "bun:test";
import { join } from "node:path";
import { HistoryStore } from "../../src/history/index.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { deadPid, itemRow, stepRow, tempDb } from "./helpers.ts";

/** 2024-03-05 09:30:00 UTC: the start of the first seeded run. */
export const T0 = Date.UTC(2024, 2, 5, 9, 30, 0);
const DAY = 86_400_000;

export const FAILED_RUN = "20240305-093000-aaaa";
export const RESUMED_RUN = "20240306-093000-bbbb";
export const CRASHED_RUN = "20240307-093000-cccc";
export const CANCELLED_RUN = "20240308-093000-dddd";
export const LIVE_RUN = "20240309-093000-eeee";

/** A line that only a stack trace prints. */
export const STACK_LINE = /^\s+at /m;

/** A fresh AIORCH_HOME (the database is `history.db` in it; nothing is created yet), removed by `removeTempDirs`. */
export function tempHome(label: string): string {
  return tempDb(label).dir;
}

/** Runs `aiorch ARGS` with AIORCH_HOME=`home`, TZ=UTC, in `home` (no aiorch.yaml above it). */
export function aiorch(home: string, args: string[], env: Record<string, string> = {}): CliResult {
  return runCli(args, { cwd: home, env: { AIORCH_HOME: home, TZ: "UTC", ...env } });
}

/** stdout of `aiorch ARGS` in `home`, a command that must succeed without a word on stderr. */
export function succeeds(home: string, args: string[], env: Record<string, string> = {}): string {
  const result = aiorch(home, args, env);
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

/** The crashed run's pid is a real (dead) one: the same in every line that shows it. */
export const withoutPid = (text: string) => text.replace(/pid \d+/g, "pid N");

/** Opens `home`'s history for writing, runs `write`, closes it. */
export function withStore(home: string, write: (store: HistoryStore) => void): void {
  const store = HistoryStore.open(join(home, "history.db"));
  try {
    write(store);
  } finally {
    store.close();
  }
}

/**
 * A failed run of `report` (T0, 3.3 s, $0.0123) with every kind of step: a plain one, a
 * flow with two children (one an LLM call answered from the cache), a foreach with 2 of 6
 * items failed, one skipped and one that failed after 3 attempts with a multi-line error.
 */
export function seedFailedRun(store: HistoryStore): void {
  const id = FAILED_RUN;
  store.startRun({
    id,
    pipeline: "report",
    file: "/work/report.yaml",
    inputs: { topic: "owls", n: 3 },
    pid: 4242,
    startedAt: T0,
  });
  store.recordStep(
    stepRow(id, "fetch", {
      startedAt: T0 + 5,
      durationMs: 120,
      input: "curl -s https://example.org/owls",
      output: "owl data",
    }),
  );
  store.recordStep(
    stepRow(id, "analyse", {
      primitive: "flow",
      startedAt: T0 + 130,
      durationMs: 2100,
      input: null,
      output: { words: 42 },
    }),
  );
  store.recordStep(
    stepRow(id, "analyse/ask", {
      primitive: "prompt",
      startedAt: T0 + 140,
      durationMs: 1000,
      input: "Summarise: owl data",
      output: "Owls are birds.",
      model: "gpt-4o-mini",
      promptTokens: 120,
      completionTokens: 30,
      cost: 0.0123,
      cached: true,
    }),
  );
  store.recordStep(
    stepRow(id, "analyse/count", {
      primitive: "python",
      startedAt: T0 + 1150,
      durationMs: 1000,
      input: "result = len(text.split())",
      output: 42,
    }),
  );
  store.recordStep(
    stepRow(id, "each", {
      primitive: "python",
      status: "failed",
      startedAt: T0 + 2300,
      durationMs: 900,
      input: "result = item * 2",
      output: undefined,
      error: "2 of 6 items failed",
      itemsTotal: 6,
      itemsDone: 4,
      itemsFailed: 2,
    }),
  );
  for (let index = 0; index < 6; index++) {
    const failed = index === 1 || index === 4;
    store.recordItem(
      itemRow(
        id,
        "each",
        index,
        failed
          ? { status: "failed", output: undefined, error: `ValueError: bad item ${index}\n  line 2 of the traceback` }
          : { output: index * 2 },
      ),
    );
  }
  store.recordStep(
    stepRow(id, "publish", {
      status: "skipped",
      attempts: 0,
      startedAt: null,
      durationMs: 0,
      input: null,
      output: undefined,
      reason: "upstream failed",
    }),
  );
  store.recordStep(
    stepRow(id, "upload", {
      status: "failed",
      attempts: 3,
      startedAt: T0 + 3200,
      durationMs: 100,
      input: "curl -T out.txt https://example.org",
      output: undefined,
      error: "exit 7: connection refused\ncurl: (7) Failed to connect\nretry later",
    }),
  );
  store.flush();
  store.finishRun(id, "failed", 0.0123, T0 + 3300);
}

/** A resume of the failed run (a day later): two steps reused, the rest run again and succeeded. */
export function seedResumedRun(store: HistoryStore): void {
  const id = RESUMED_RUN;
  const start = T0 + DAY;
  store.startRun({
    id,
    pipeline: "report",
    file: "/work/report.yaml",
    inputs: { topic: "owls", n: 3 },
    pid: 4243,
    startedAt: start,
    resumedFrom: FAILED_RUN,
  });
  const reused = { attempts: 0, startedAt: null, durationMs: 0, input: null, reason: `reused from run ${FAILED_RUN}` };
  store.recordStep(stepRow(id, "fetch", { ...reused, output: "owl data" }));
  store.recordStep(stepRow(id, "analyse", { ...reused, primitive: "flow", output: { words: 42 } }));
  store.recordStep(
    stepRow(id, "each", {
      primitive: "python",
      startedAt: start + 10,
      durationMs: 400,
      input: "result = item * 2",
      output: [0, 2, 4, 6, 8, 10],
      itemsTotal: 6,
      itemsDone: 6,
      itemsFailed: 0,
    }),
  );
  store.recordStep(
    stepRow(id, "publish", { startedAt: start + 420, durationMs: 30, input: "echo done", output: "done" }),
  );
  store.recordStep(
    stepRow(id, "upload", {
      startedAt: start + 460,
      durationMs: 40,
      input: "curl -T out.txt https://example.org",
      output: "",
    }),
  );
  store.flush();
  store.finishRun(id, "success", 0, start + 500);
}

/** A run whose process died (a dead pid) while `loop` was at item 4 of 10. */
export async function seedCrashedRun(store: HistoryStore): Promise<void> {
  const id = CRASHED_RUN;
  const start = T0 + 2 * DAY;
  store.startRun({
    id,
    pipeline: "nightly",
    file: "/work/nightly.yaml",
    inputs: {},
    pid: await deadPid(),
    startedAt: start,
  });
  store.recordStep(stepRow(id, "prep", { startedAt: start + 10, durationMs: 90, input: "echo prep", output: "prep" }));
  store.recordStep(
    stepRow(id, "loop", {
      primitive: "python",
      status: "running",
      attempts: 0,
      startedAt: start + 100,
      durationMs: 0,
      input: null,
      output: undefined,
      itemsTotal: 10,
      itemsDone: 0,
      itemsFailed: 0,
    }),
  );
  for (let index = 0; index < 4; index++) store.recordItem(itemRow(id, "loop", index));
  store.flush();
}

/** A `run --step wait` that was cancelled: `prep` not selected, `wait` cancelled. */
export function seedCancelledRun(store: HistoryStore): void {
  const id = CANCELLED_RUN;
  const start = T0 + 3 * DAY;
  store.startRun({ id, pipeline: "nightly", file: "/work/nightly.yaml", inputs: {}, pid: 4244, startedAt: start });
  store.recordStep(
    stepRow(id, "prep", {
      status: "skipped",
      attempts: 0,
      startedAt: null,
      durationMs: 0,
      input: null,
      output: undefined,
      reason: "not selected",
    }),
  );
  store.recordStep(
    stepRow(id, "wait", {
      status: "cancelled",
      startedAt: start + 5,
      durationMs: 1995,
      input: "sleep 60",
      output: undefined,
      error: "cancelled",
    }),
  );
  store.flush();
  store.finishRun(id, "cancelled", 0, start + 2000);
}

/** A run still in progress: its pid is this test process, which is alive. Started 5 s ago. */
export function seedLiveRun(store: HistoryStore): number {
  const startedAt = Date.now() - 5_000;
  store.startRun({
    id: LIVE_RUN,
    pipeline: "nightly",
    file: "/work/nightly.yaml",
    inputs: {},
    pid: process.pid,
    startedAt,
  });
  return startedAt;
}

/** The failed, resumed, crashed and cancelled runs above in one history; the live run too if asked. */
export async function seedAll(home: string, options: { live?: boolean } = {}): Promise<void> {
  const store = HistoryStore.open(join(home, "history.db"));
  try {
    seedFailedRun(store);
    seedResumedRun(store);
    await seedCrashedRun(store);
    seedCancelledRun(store);
    if (options.live) seedLiveRun(store);
  } finally {
    store.close();
  }
}

/** The failed run as `history --format json` shows it (the fields both the list and the one-run view have). */
export const FAILED_RUN_JSON = {
  run_id: FAILED_RUN,
  pipeline: "report",
  file: "/work/report.yaml",
  status: "failed",
  started_at: "2024-03-05T09:30:00.000Z",
  ended_at: "2024-03-05T09:30:03.300Z",
  duration_ms: 3300,
  cost: 0.0123,
  resumed_from: null,
  resumable: true,
  pid: 4242,
  inputs: { topic: "owls", n: 3 },
  imported: null,
};
