/**
 * `history` and `trace` on what `aiorch run` really records: a flow, a foreach with a
 * failed item, a step skipped after it, then a resume.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, tempHome } from "./commands-seed.ts";
import { removeTempDirs } from "./helpers.ts";

afterAll(removeTempDirs);

const MAIN = `
name: recorded
steps:
  greet:
    run: echo hello
  sub:
    flow: sub.yaml
    depends: [greet]
  each:
    foreach: "[1, 2, 3]"
    run: test "$(cat gate 2>/dev/null)" = open || test {{ item }} -ne 2 || { echo item {{ item }} refused >&2; exit 3; }
    depends: [greet]
  after:
    run: echo after
    depends: [each]
`;

const SUB = `
name: sub
steps:
  inner:
    run: echo inner
`;

describe("history and trace of real runs", () => {
  test("a failed run, then its resume", () => {
    const home = tempHome("real");
    writeFileSync(join(home, "main.yaml"), MAIN);
    writeFileSync(join(home, "sub.yaml"), SUB);
    const failed = aiorch(home, ["run", "main.yaml"]);
    expect(failed.exitCode).toBe(1);

    const list = aiorch(home, ["history", "--format", "json"]);
    const [run] = JSON.parse(list.stdout) as { run_id: string; status: string; step_counts: Record<string, number> }[];
    expect(run).toMatchObject({ status: "failed", step_counts: { total: 4, succeeded: 2, failed: 1, skipped: 1 } });
    const table = aiorch(home, ["history"]).stdout.split("\n");
    expect(table[2]).toMatch(
      new RegExp(`^${run!.run_id}  recorded  failed  \\d\\d:\\d\\d:\\d\\d  \\S+ +2 ok, 1 failed, 1 skipped  -$`),
    );

    const summary = aiorch(home, ["history", run!.run_id]).stdout;
    expect(summary).toContain(`file      ${join(home, "main.yaml")}\n`);
    expect(summary).toMatch(/\nsteps {5}2 ok, 1 failed, 1 skipped; 1 more inside flows\n/);
    expect(summary).toContain("\nfailed steps\n  ✗ each\n");
    expect(summary).toContain(`aiorch resume ${run!.run_id}  runs again what did not succeed`);

    const trace = aiorch(home, ["trace", run!.run_id]).stdout.split("\n");
    const stepLines = trace.filter((l) => /^[✓✗\-↺] {2}/.test(l)).map((l) => l.slice(0, 12).trimEnd());
    expect(stepLines).toEqual(["✓  greet", "✓  sub", "✓    inner", "✗  each", "-  after"]);
    const items = trace.findIndex((l) => l.trim().startsWith("items"));
    // A foreach stops at its first failed item: the third never ran.
    expect(trace[items]!.trim()).toBe("items   1/3 ok, 1 failed, 1 not run");
    expect(trace[items + 1]!.trim()).toStartWith("[1] ");
    expect(trace.join("\n")).toContain("reason  upstream failed");

    writeFileSync(join(home, "gate"), "open");
    expect(aiorch(home, ["resume", run!.run_id]).exitCode).toBe(0);
    const [resumed] = JSON.parse(aiorch(home, ["history", "--format", "json", "--limit", "1"]).stdout) as {
      run_id: string;
      resumed_from: string;
      status: string;
    }[];
    expect(resumed).toMatchObject({ status: "success", resumed_from: run!.run_id });
    const again = aiorch(home, ["trace", resumed!.run_id]).stdout;
    expect(again).toContain(`resumed   from run ${run!.run_id}\n`);
    expect(again).toMatch(new RegExp(`↺  greet .*\\n {5}reason  reused from run ${run!.run_id}`));
    expect(again).toMatch(/✓ {2}each .*\n {5}items {3}3\/3 ok\n/);
  });
});
