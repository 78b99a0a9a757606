import { UserError } from "../../src/errors/user-error.ts";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ItemRow, StepRow } from "../../src/history/index.ts";

/** The folder of the child-process scripts. */
export const CHILDREN = join(import.meta.dir, "children");

const made: string[] = [];

/** Removes the folders `tempDb` made: each test file calls it in `afterAll`. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh temp folder (see {@link removeTempDirs}) and a database path inside it. */
export function tempDb(label = "db"): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), `aiorch-history-${label}-`));
  made.push(dir);
  return { dir, path: join(dir, "history.db") };
}

/** A step row with every field set to something recognisable, changed by `overrides`. */
export function stepRow(runId: string, name: string, overrides: Partial<StepRow> = {}): StepRow {
  return {
    runId,
    name,
    primitive: "run",
    status: "success",
    attempts: 1,
    startedAt: 1_700_000_000_000,
    durationMs: 12.5,
    input: `echo ${name}`,
    output: { text: `out of ${name}` },
    error: null,
    reason: null,
    log: null,
    model: null,
    promptTokens: null,
    completionTokens: null,
    cost: 0,
    cached: false,
    cacheHits: null,
    llmRequests: null,
    reasks: null,
    itemsTotal: null,
    itemsDone: null,
    itemsFailed: null,
    masked: false,
    failedAttempts: null,
    ...overrides,
  };
}

/** An item row, changed by `overrides`. */
export function itemRow(runId: string, step: string, index: number, overrides: Partial<ItemRow> = {}): ItemRow {
  return {
    runId,
    step,
    index,
    status: "success",
    output: { index },
    error: null,
    durationMs: 1,
    input: null,
    cached: false,
    masked: false,
    failedAttempts: null,
    endedAt: null,
    ...overrides,
  };
}

/** Starts `bun children/NAME.ts ...args` and returns the process (stdout piped). */
export function spawnChild(name: string, args: string[], options: { prefix?: string[] } = {}) {
  return Bun.spawn([...(options.prefix ?? []), process.execPath, join(CHILDREN, `${name}.ts`), ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
}

/** A pid that belonged to a process that has exited (and been reaped). */
export async function deadPid(): Promise<number> {
  const child = Bun.spawn(["true"]);
  await child.exited;
  return child.pid;
}

/** The UserError that `fn` throws (any other outcome fails the test). */
export function caughtUserError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

/**
 * Writes `count` finished runs straight into the history at `path` (created first): 25
 * pipelines, statuses in turn, and every 500th run still `running` under `deadPid` (so shown
 * as crashed). For tests and benchmarks over a large history.
 */
export function seedManyRuns(path: string, deadPid: number, count = 10_000): void {
  const raw = new Database(path);
  raw.transaction(() => {
    const insert = raw.prepare(
      "INSERT INTO runs (id, pipeline, file, inputs, status, started_at, finished_at, total_cost, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const statuses = ["success", "failed", "cancelled", "success"];
    for (let i = 0; i < count; i++) {
      // Every 500th run is a "running" run of a long-gone pid: shown as crashed.
      const status = i % 500 === 0 ? "running" : statuses[i % 4]!;
      insert.run(
        `run-${String(i).padStart(5, "0")}-x`,
        `pipeline-${i % 25}`,
        "/p.yaml",
        JSON.stringify({ i }),
        status,
        i * 1000,
        i * 1000 + 500,
        0.01,
        deadPid,
      );
    }
    insert.finalize();
  })();
  raw.close();
}
