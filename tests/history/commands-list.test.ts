/**
 * `aiorch history` (the list of runs) and `aiorch history prune`, through the real CLI
 * against histories seeded with `HistoryStore`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HistoryStore } from "../../src/history/index.ts";
import {
  CANCELLED_RUN,
  CRASHED_RUN,
  FAILED_RUN,
  LIVE_RUN,
  RESUMED_RUN,
  STACK_LINE,
  aiorch,
  seedAll,
  tempHome,
  withStore,
  FAILED_RUN_JSON,
} from "./commands-seed.ts";
import { removeTempDirs, stepRow } from "./helpers.ts";

afterAll(removeTempDirs);

const HEADER = "RUN                   PIPELINE  STATUS     STARTED     DURATION  STEPS                      COST";
const RULE = "--------------------  --------  ---------  ----------  --------  -------------------------  -------";
const ROWS = {
  cancelled: "20240308-093000-dddd  nightly   cancelled  2024-03-08  2s        1 cancelled, 1 skipped     -",
  crashed: "20240307-093000-cccc  nightly   crashed    2024-03-07  -         1 ok, 1 interrupted        -",
  resumed: "20240306-093000-bbbb  report    success    2024-03-06  500ms     5 ok (2 reused)            -",
  failed: "20240305-093000-aaaa  report    failed     2024-03-05  3.3s      2 ok, 2 failed, 1 skipped  $0.0123",
};

let home: string;
beforeAll(async () => {
  home = tempHome("list");
  await seedAll(home);
});

describe("aiorch history", () => {
  test("lists the runs newest first in an aligned table: status (crashed as such), start, duration, steps, cost", () => {
    const result = aiorch(home, ["history"]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe([HEADER, RULE, ROWS.cancelled, ROWS.crashed, ROWS.resumed, ROWS.failed, ""].join("\n"));
  });

  test("--limit N shows the newest N and says how to see more", () => {
    const result = aiorch(home, ["history", "--limit", "2"]);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.slice(2)).toEqual([
      "20240308-093000-dddd  nightly   cancelled  2024-03-08  2s        1 cancelled, 1 skipped  -",
      "20240307-093000-cccc  nightly   crashed    2024-03-07  -         1 ok, 1 interrupted     -",
      "(the newest 2 runs; --limit N shows more)",
    ]);
    expect(aiorch(home, ["history", "--limit=4"]).stdout).toContain("(the newest 4 runs; --limit N shows more)");
    expect(aiorch(home, ["history", "--limit", "5"]).stdout).not.toContain("--limit N shows more");
  });

  test("--pipeline and --status filter, together too", () => {
    const nightly = aiorch(home, ["history", "--pipeline", "nightly"]).stdout.trimEnd().split("\n");
    expect(nightly.slice(2).map((l) => l.split(/\s+/)[0])).toEqual([CANCELLED_RUN, CRASHED_RUN]);
    const failed = aiorch(home, ["history", "--status", "failed"]).stdout.trimEnd().split("\n");
    expect(failed.slice(2).map((l) => l.split(/\s+/)[0])).toEqual([FAILED_RUN]);
    const both = aiorch(home, ["history", "--status", "success", "--pipeline", "report"]).stdout.trimEnd().split("\n");
    expect(both.slice(2).map((l) => l.split(/\s+/)[0])).toEqual([RESUMED_RUN]);
    const none = aiorch(home, ["history", "--status", "failed", "--pipeline", "nightly"]);
    expect(none.exitCode).toBe(0);
    expect(none.stdout).toBe("no runs match\n");
  });

  test("--format json: every run with its times, cost, inputs and step counts", () => {
    const result = aiorch(home, ["history", "--format", "json"]);
    expect(result.exitCode).toBe(0);
    const runs = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([
      [CANCELLED_RUN, "cancelled"],
      [CRASHED_RUN, "crashed"],
      [RESUMED_RUN, "success"],
      [FAILED_RUN, "failed"],
    ]);
    expect(runs[3]).toEqual({
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
    expect(runs[2]).toMatchObject({
      resumed_from: FAILED_RUN,
      duration_ms: 500,
      resumable: false,
      step_counts: { total: 5, succeeded: 5, reused: 2 },
    });
    expect(runs[1]).toMatchObject({
      status: "crashed",
      ended_at: null,
      duration_ms: null,
      step_counts: { total: 2, succeeded: 1, running: 0, interrupted: 1 },
    });
    const limited = JSON.parse(
      aiorch(home, ["history", "--format", "json", "--limit", "1", "--pipeline", "report"]).stdout,
    ) as { run_id: string }[];
    expect(limited.map((r) => r.run_id)).toEqual([RESUMED_RUN]);
  });

  test("a run still in progress is `running` with its time so far (shown as today's clock); --status tells it from a crashed one", async () => {
    const live = tempHome("live");
    await seedAll(live, { live: true });
    const rows = aiorch(live, ["history"]).stdout.split("\n");
    expect(rows[2]).toMatch(/^20240309-093000-eeee {2}nightly {3}running {4}\d\d:\d\d:\d\d {4}\d+(\.\d+)?s… +- +-$/);
    const running = aiorch(live, ["history", "--status", "running"]).stdout.trimEnd().split("\n");
    expect(running.slice(2).map((l) => l.split(/\s+/)[0])).toEqual([LIVE_RUN]);
    const crashed = aiorch(live, ["history", "--status", "crashed"]).stdout.trimEnd().split("\n");
    expect(crashed.slice(2).map((l) => l.split(/\s+/)[0])).toEqual([CRASHED_RUN]);
  });

  test("no database yet: `no runs recorded yet`, exit 0, JSON [], and no file is created", () => {
    const empty = tempHome("empty");
    const text = aiorch(empty, ["history"]);
    expect(text.exitCode).toBe(0);
    expect(text.stderr).toBe("");
    expect(text.stdout).toBe(`no runs recorded yet (history: ${join(empty, "history.db")})\n`);
    const json = aiorch(empty, ["history", "--format", "json", "--status", "crashed"]);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
    expect(existsSync(join(empty, "history.db"))).toBe(false);
  });

  test("the database is where the config's storage.path says: found from the current folder, or given with --config", () => {
    const project = tempHome("project");
    const other = tempHome("elsewhere");
    writeFileSync(join(project, "aiorch.yaml"), `storage:\n  path: ${JSON.stringify(join(home, "history.db"))}\n`);
    const found = aiorch(project, ["history", "--limit", "1"], { AIORCH_HOME: other });
    expect(found.stdout.split("\n")[2]!.split(/\s+/)[0]).toBe(CANCELLED_RUN);
    const given = aiorch(other, ["history", "--config", join(project, "aiorch.yaml"), "--format", "json"]);
    expect((JSON.parse(given.stdout) as unknown[]).length).toBe(4);
    const sub = join(project, "sub", "dir");
    mkdirSync(sub, { recursive: true });
    expect(aiorch(other, ["trace", FAILED_RUN], { AIORCH_HOME: other }).exitCode).toBe(2);
    expect(aiorch(sub, ["trace", FAILED_RUN], { AIORCH_HOME: other }).exitCode).toBe(0);
  });
});

const DAY = 86_400_000;
/** Outputs big enough that deleting runs frees pages. */
const BULK = "x".repeat(20_000);

/** Four finished runs 40, 20, 10 and 1 days old (ids old40 … old1), plus one still running (this process). */
function seedAges(home: string): void {
  const now = Date.now();
  withStore(home, (store) => {
    for (const age of [40, 20, 10, 1]) {
      const id = `old${age}`;
      store.startRun({
        id,
        pipeline: "aging",
        file: "/work/aging.yaml",
        inputs: {},
        pid: 1,
        startedAt: now - age * DAY,
      });
      for (const name of ["a", "b", "c"])
        store.recordStep(stepRow(id, name, { startedAt: now - age * DAY, output: BULK }));
      store.flush();
      store.finishRun(id, "success", 0, now - age * DAY + 1000);
    }
    store.startRun({
      id: "live",
      pipeline: "aging",
      file: "/work/aging.yaml",
      inputs: {},
      pid: process.pid,
      startedAt: now - 50 * DAY,
    });
  });
}

function idsIn(home: string): string[] {
  const store = HistoryStore.open(join(home, "history.db"), { readonly: true });
  try {
    return store.listRuns({ limit: 100 }).map((r) => r.id);
  } finally {
    store.close();
  }
}

describe("aiorch history prune", () => {
  test("--older-than 15d deletes the runs that started earlier (never one in progress) and reports the space reclaimed", () => {
    const aged = tempHome("prune-age");
    seedAges(aged);
    const result = aiorch(aged, ["history", "prune", "--older-than", "15d"]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^deleted 2 runs \(older than 15d\); reclaimed \d+\.\d KB \(\d+\.\d KB → \d+\.\d KB\)\n$/,
    );
    expect(idsIn(aged)).toEqual(["old1", "old10", "live"]);
    expect(aiorch(aged, ["trace", "old20"]).exitCode).toBe(2);
  });

  test("--keep N deletes all but the newest N (a run in progress is kept anyway)", () => {
    const kept = tempHome("prune-keep");
    seedAges(kept);
    expect(aiorch(kept, ["history", "prune", "--keep", "3"]).stdout).toMatch(
      /^deleted 1 run \(keeping the newest 3\); reclaimed /,
    );
    expect(idsIn(kept)).toEqual(["old1", "old10", "old20", "live"]);
  });

  test("both options delete only the runs that match both; ages in weeks and hours work", () => {
    const aged = tempHome("prune-both-age");
    seedAges(aged);
    // Older than 15 days: old20 and old40; beyond the newest 1: old10 too. Both: two runs.
    expect(aiorch(aged, ["history", "prune", "--older-than", "15d", "--keep", "1"]).stdout).toMatch(
      /^deleted 2 runs \(older than 15d, keeping the newest 1\); /,
    );
    expect(idsIn(aged)).toEqual(["old1", "old10", "live"]);

    const kept = tempHome("prune-both-keep");
    seedAges(kept);
    // Older than 2 weeks: old20 and old40; beyond the newest 3: old40 only. Both: one run.
    expect(aiorch(kept, ["history", "prune", "--older-than", "2w", "--keep", "3"]).stdout).toMatch(
      /^deleted 1 run \(older than 2w, keeping the newest 3\); /,
    );
    expect(idsIn(kept)).toEqual(["old1", "old10", "old20", "live"]);

    expect(aiorch(kept, ["history", "prune", "--older-than", "36h"]).stdout).toMatch(
      /^deleted 2 runs \(older than 36h\); /,
    );
    expect(idsIn(kept)).toEqual(["old1", "live"]);
  });

  test("nothing to delete: says so with the size of the history; the runs stay", () => {
    const calm = tempHome("prune-none");
    seedAges(calm);
    const result = aiorch(calm, ["history", "prune", "--older-than", "100d"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^nothing to delete \(older than 100d\); the history takes \d+\.\d KB\n$/);
    expect(idsIn(calm)).toHaveLength(5);
  });

  test("--format json: runs deleted and bytes before, after and reclaimed", () => {
    const json = tempHome("prune-json");
    seedAges(json);
    const result = aiorch(json, ["history", "prune", "--keep", "0", "--format", "json"]);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, number>;
    expect(Object.keys(report)).toEqual(["deleted_runs", "bytes_before", "bytes_after", "bytes_reclaimed"]);
    expect(report.deleted_runs).toBe(4);
    expect(report.bytes_reclaimed).toBe(report.bytes_before! - report.bytes_after!);
    expect(report.bytes_reclaimed).toBeGreaterThan(4 * 3 * BULK.length * 0.9);
    expect(idsIn(json)).toEqual(["live"]);
  });

  test("no database yet: nothing to prune, exit 0, and no file is created", () => {
    const empty = tempHome("prune-empty");
    const result = aiorch(empty, ["history", "prune", "--keep", "1"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`no runs recorded yet: nothing to prune (history: ${join(empty, "history.db")})\n`);
    expect(JSON.parse(aiorch(empty, ["history", "prune", "--keep", "1", "--format", "json"]).stdout)).toEqual({
      deleted_runs: 0,
      bytes_before: 0,
      bytes_after: 0,
      bytes_reclaimed: 0,
    });
    expect(existsSync(join(empty, "history.db"))).toBe(false);
  });

  test("`history prune --help` prints the usage with the prune options, exit 0", () => {
    const result = aiorch(home, ["history", "prune", "--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("USAGE aiorch history prune [OPTIONS]");
    expect(result.stdout).toMatch(/--older-than <AGE>\s+Delete runs that started longer ago than this/);
    expect(result.stdout).toMatch(/--keep <N>\s+Keep the newest N runs, delete the others/);
    expect(result.stdout).not.toMatch(STACK_LINE);
    expect(idsIn(home)).toHaveLength(4);
  });
});
