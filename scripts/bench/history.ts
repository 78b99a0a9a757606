/**
 * Benchmarks of the history read commands: `aiorch history` over 10,000 recorded runs and
 * `aiorch trace` of a run with a 10,000-item foreach step. Each history is seeded into a
 * folder of its own and reached through `--config` (storage.path), so the benchmark's
 * other runs are not mixed in.
 */
import { Database } from "bun:sqlite";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HistoryStore, type StepRow } from "../../src/history/index.ts";
import { stepRow } from "../../tests/history/helpers.ts";
import { row, timeCommand } from "./measure.ts";

const RUNS = 10_000;
const ITEMS = 10_000;
const DAY_MS = 86_400_000;

/** A finished step of `runId` with the fields a shell step has. */
function step(runId: string, name: string, startedAt: number, fields: Partial<StepRow> = {}): StepRow {
  return stepRow(runId, name, { startedAt, durationMs: 40, input: `echo ${name}`, output: `${name} done`, ...fields });
}

/** A config file whose storage.path is `dir/history.db`. */
function configFor(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "aiorch.yaml");
  writeFileSync(file, `storage:\n  path: ${JSON.stringify(join(dir, "history.db"))}\n`);
  return file;
}

/**
 * 10,000 finished runs of five pipelines over the last 100 days, three steps each. Run rows
 * go in through one transaction (the store commits each `startRun` on its own, with an
 * fsync); steps through the store's group commits.
 */
function seedManyRuns(dir: string): void {
  const path = join(dir, "history.db");
  const store = HistoryStore.open(path);
  const db = new Database(path);
  const now = Date.now();
  const ids: string[] = [];
  db.transaction(() => {
    const insert = db.prepare(
      "INSERT INTO runs (id, pipeline, file, inputs, status, started_at, finished_at, total_cost, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (let i = 0; i < RUNS; i++) {
      const startedAt = now - (RUNS - i) * ((100 * DAY_MS) / RUNS);
      const id = `bench-${String(i).padStart(5, "0")}`;
      ids.push(id);
      insert.run(
        id,
        `pipeline-${i % 5}`,
        `/bench/pipeline-${i % 5}.yaml`,
        JSON.stringify({ n: i }),
        i % 10 === 0 ? "failed" : "success",
        startedAt,
        startedAt + 1500,
        0.0021,
        1,
      );
    }
  })();
  db.close();
  ids.forEach((id, i) => {
    const startedAt = now - (RUNS - i) * ((100 * DAY_MS) / RUNS);
    store.recordStep(step(id, "fetch", startedAt));
    store.recordStep(step(id, "transform", startedAt + 50));
    store.recordStep(
      step(id, "publish", startedAt + 100, i % 10 === 0 ? { status: "failed", error: "exit 1: upload refused" } : {}),
    );
  });
  store.close();
}

/** One run whose `each` step went over 10,000 items (1% failed), between two plain steps. Returns its id. */
function seedBigForeach(dir: string): string {
  const store = HistoryStore.open(join(dir, "history.db"));
  const id = "bench-foreach";
  const startedAt = Date.now() - 60_000;
  store.startRun({ id, pipeline: "fan-out", file: "/bench/fan-out.yaml", inputs: { n: ITEMS }, pid: 1, startedAt });
  store.recordStep(step(id, "list", startedAt + 5));
  let failed = 0;
  for (let index = 0; index < ITEMS; index++) {
    const fails = index % 100 === 99;
    if (fails) failed++;
    store.recordItem({
      runId: id,
      step: "each",
      index,
      status: fails ? "failed" : "success",
      output: fails ? undefined : { index, text: `item ${index} ok` },
      error: fails ? `ValueError: item ${index} is odd` : null,
      durationMs: 2,
    });
  }
  store.recordStep(
    step(id, "each", startedAt + 50, {
      primitive: "python",
      status: "failed",
      durationMs: 20_000,
      itemsTotal: ITEMS,
      itemsDone: ITEMS - failed,
      itemsFailed: failed,
      error: `${failed} of ${ITEMS} items failed`,
    }),
  );
  store.recordStep(
    step(id, "report", startedAt + 20_100, {
      status: "skipped",
      startedAt: null,
      durationMs: 0,
      attempts: 0,
      reason: "upstream failed",
      input: null,
      output: undefined,
    }),
  );
  store.finishRun(id, "failed", 0, startedAt + 20_100);
  store.close();
  return id;
}

/**
 * Seeds the two histories under `work` and times the compiled `binary` on them: `history`
 * (10,000 runs, target ≤ 100 ms) and `trace RUN_ID` (10,000 items, target ≤ 300 ms).
 * Returns the report rows.
 */
export async function benchHistory(binary: string, work: string): Promise<string[]> {
  const manyRuns = join(work, "history-many-runs");
  const manyConfig = configFor(manyRuns);
  seedManyRuns(manyRuns);
  const bigForeach = join(work, "history-big-foreach");
  const foreachConfig = configFor(bigForeach);
  const runId = seedBigForeach(bigForeach);

  const list = timeCommand([binary, "history", "--config", manyConfig], { cwd: work });
  const trace = timeCommand([binary, "trace", runId, "--config", foreachConfig], { cwd: work });
  const verbose = timeCommand([binary, "trace", runId, "-v", "--format", "json", "--config", foreachConfig], {
    cwd: work,
    runs: 5,
    warmup: 1,
  });
  return [
    row(
      `history: newest 20 of ${RUNS.toLocaleString("en-US")} runs (median wall)`,
      `${list.medianMs.toFixed(1)} ms`,
      "≤ 100 ms",
      list.medianMs <= 100,
    ),
    row(
      `trace: a ${ITEMS.toLocaleString("en-US")}-item foreach step (median wall)`,
      `${trace.medianMs.toFixed(1)} ms`,
      "≤ 300 ms",
      trace.medianMs <= 300,
    ),
    `  trace -v --format json of the same run (every item): ${verbose.medianMs.toFixed(0)} ms`,
  ];
}
