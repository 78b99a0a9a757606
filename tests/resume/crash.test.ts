/**
 * Crash safety (docs/history.md, docs/cli.md#exit-codes): `kill -9` in the middle of a 50-item foreach leaves a readable
 * history in which the run shows as `crashed`, and `resume` runs only the items that had
 * not finished. Each item appends its index to a file before it finishes, so the file
 * tells which items ran, in which process.
 */
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, isAlive, linesIn, removeScratch, scratch, SLOW, spawnAiorch, waitUntil } from "../run/harness.ts";
import { onlyRunId, readHistory, runsIn } from "./helpers.ts";

afterAll(removeScratch);

const ITEMS = 50;
/** Items are recorded within 50 ms of finishing: at most this many finished items may be lost. */
const LOST_AT_MOST = 2;

const PIPELINE = `
name: crash-foreach
steps:
  prepare:
    run: echo prepare >> prepare.log; echo ready
  work:
    depends: [prepare]
    foreach: "[${Array.from({ length: ITEMS }, (_, i) => i).join(", ")}]"
    run: echo {{ item }} >> items.log; test -f fast || sleep 0.06; echo done-{{ item }}
  after:
    depends: [work]
    run: echo after >> after.log
`;

test(
  "kill -9 during a 50-item foreach: the run shows crashed, resume runs only the unfinished items",
  async () => {
    const cwd = scratch("crash");
    writeFileSync(join(cwd, "p.yaml"), PIPELINE);
    const { child, done } = spawnAiorch(["run", "p.yaml"], { cwd });
    expect(await waitUntil(() => linesIn(cwd, "items.log").length >= 20, 20_000)).toBe(true);
    child.kill("SIGKILL");
    await done;
    expect(await waitUntil(() => !isAlive(child.pid), 5_000)).toBe(true);
    const ranBefore = new Set(linesIn(cwd, "items.log"));
    expect(ranBefore.size).toBeGreaterThanOrEqual(20);
    expect(ranBefore.size).toBeLessThan(ITEMS);

    // The database is readable and the run is crashed, not running.
    const id = onlyRunId(cwd);
    expect(runsIn(cwd)[0]!.status).toBe("crashed");
    const recorded = readHistory(
      cwd,
      (store) => store.getItems(id, "work").filter((i) => i.status === "success").length,
    );
    expect(recorded).toBeGreaterThanOrEqual(ranBefore.size - 1 - LOST_AT_MOST);

    writeFileSync(join(cwd, "fast"), "");
    writeFileSync(join(cwd, "items.log"), "");
    const resumed = await aiorch(["resume", id], { cwd });
    expect(resumed.exitCode).toBe(0);
    const ranOnResume = linesIn(cwd, "items.log");
    // No item ran twice on resume, and together the two processes ran every item.
    expect(new Set(ranOnResume).size).toBe(ranOnResume.length);
    for (let i = 0; i < ITEMS; i++) expect(ranBefore.has(String(i)) || ranOnResume.includes(String(i))).toBe(true);
    // Only the unfinished ones: the item in flight at the kill, and at most LOST_AT_MOST finished ones not yet committed.
    expect(ranOnResume.length).toBeLessThanOrEqual(ITEMS - ranBefore.size + 1 + LOST_AT_MOST);
    expect(linesIn(cwd, "prepare.log")).toEqual(["prepare"]);
    expect(linesIn(cwd, "after.log")).toEqual(["after"]);
    expect(runsIn(cwd).map((r) => r.status)).toEqual(["success", "crashed"]);
  },
  SLOW,
);
