/** `aiorch dashboard`: the history on one screen, text and JSON, through the real CLI. */
import { afterAll, describe, expect, test } from "bun:test";
import {
  aiorch,
  FAILED_RUN,
  RESUMED_RUN,
  seedCancelledRun,
  seedFailedRun,
  seedResumedRun,
  STACK_LINE,
  tempHome,
  withStore,
} from "./commands-seed.ts";
import { removeTempDirs } from "./helpers.ts";

afterAll(removeTempDirs);

function seeded(label: string): string {
  const home = tempHome(label);
  withStore(home, (store) => {
    seedFailedRun(store);
    seedResumedRun(store);
    seedCancelledRun(store);
  });
  return home;
}

describe("aiorch dashboard", () => {
  test("text: periods, recent runs (the history table), cost by pipeline and by model, failures, the cache", () => {
    const r = aiorch(seeded("dash-text"), ["dashboard", "--since", "3650d"]);
    expect(r.exitCode).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^ {2}all +3 runs +1 failed +\$0\.0\d{3}/m);
    expect(out).toMatch(/^ {2}last 24h +0 runs/m);
    expect(out).toContain("RECENT RUNS\nRUN ");
    expect(out).toContain(FAILED_RUN);
    expect(out).toMatch(
      /COST BY PIPELINE \(runs started in the last 3650d\)\nPIPELINE +RUNS +FAILED +COST +AVG COST +AVG TIME/,
    );
    expect(out).toMatch(/^report +2 +1 +\$/m);
    expect(out).toMatch(/^gpt-4o-mini +\d+ +\d+ +\d+ +\d+ +\$/m);
    expect(out).toContain(`✗ ${FAILED_RUN}  report`);
    expect(out).toMatch(/LLM CACHE\n {2}entries +0/);
  });

  test("--format json: the same figures; recent runs as `history --format json` lists them, the cache as `cache stats`", () => {
    const home = seeded("dash-json");
    const doc = JSON.parse(aiorch(home, ["dashboard", "--since", "3650d", "--format", "json", "--limit", "2"]).stdout);
    const history = JSON.parse(aiorch(home, ["history", "--format", "json", "--limit", "2"]).stdout);
    expect(doc.recent).toEqual(
      history.map((run: { duration_ms: unknown }) => ({ ...run, duration_ms: expect.anything() })),
    );
    expect(doc.periods.all).toMatchObject({ runs: 3, failed: 1, success_rate: 66.7 });
    expect(doc.pipelines.find((p: { pipeline: string }) => p.pipeline === "report")).toMatchObject({
      runs: 2,
      failed: 1,
    });
    expect(doc.models[0]).toMatchObject({
      model: "gpt-4o-mini",
      prompt_tokens: expect.any(Number),
      cost: expect.any(Number),
    });
    expect(doc.failures).toEqual([{ run_id: FAILED_RUN, pipeline: "report", started_at: "2024-03-05T09:30:00.000Z" }]);
    expect(doc.cache).toEqual(JSON.parse(aiorch(home, ["cache", "stats", "--format", "json"]).stdout));
    expect(doc.cache).toMatchObject({ entries: 0, hits: 0, saved_usd: 0, oldest: null, newest: null });
    expect(doc.recent.map((run: { run_id: string }) => run.run_id)).toContain(RESUMED_RUN);
  });

  test("an empty history says so; bad options exit 2 with a hint", () => {
    const home = tempHome("dash-empty");
    const r = aiorch(home, ["dashboard"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("no runs recorded yet");
    for (const args of [
      ["--limit", "0"],
      ["--since", "soon"],
    ]) {
      const bad = aiorch(home, ["dashboard", ...args]);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toContain("hint:");
      expect(bad.stderr).not.toMatch(STACK_LINE);
    }
  });
});
