import { Database } from "bun:sqlite";
import { afterAll, afterEach, expect, test } from "bun:test";
import { HistoryStore } from "../../src/history/index.ts";
import { itemRow, removeTempDirs, spawnChild, stepRow, tempDb } from "./helpers.ts";

afterAll(removeTempDirs);

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/** The store under test and a second, independent connection to the same file. */
function pair(): { store: HistoryStore; other: Database; path: string } {
  const { path } = tempDb("gc");
  const store = HistoryStore.open(path);
  const other = new Database(path, { readonly: true });
  cleanup.push(
    () => store.close(),
    () => other.close(),
  );
  store.startRun({ id: "r", pipeline: "p", file: "/p.yaml", inputs: null, pid: process.pid, startedAt: 1 });
  return { store, other, path };
}

function count(db: Database, table: "steps" | "items"): number {
  return db.query<{ n: number }, []>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? 0;
}

test("startRun is visible to another connection at once", () => {
  const { other } = pair();
  expect(other.query("SELECT id FROM runs").all()).toEqual([{ id: "r" }]);
});

test("a recorded step is buffered, then committed by the timer within ~100 ms without flush", async () => {
  const { store, other } = pair();
  const t0 = performance.now();
  store.recordStep(stepRow("r", "s"));
  store.recordItem(itemRow("r", "s", 0));
  expect(count(other, "steps")).toBe(0);
  while (count(other, "steps") === 0 && performance.now() - t0 < 1_000) await Bun.sleep(2);
  const latency = performance.now() - t0;
  console.log(`group commit: a buffered row became visible to another connection after ${latency.toFixed(1)} ms`);
  expect(latency).toBeLessThan(100);
  expect(count(other, "items")).toBe(1);
});

test("flush makes rows durable at once", () => {
  const { store, other } = pair();
  store.recordStep(stepRow("r", "s"));
  store.recordItem(itemRow("r", "s", 0));
  store.flush();
  expect([count(other, "steps"), count(other, "items")]).toEqual([1, 1]);
});

test("500 buffered rows are committed inside the call that fills the batch", () => {
  const { store, other } = pair();
  for (let i = 0; i < 499; i++) store.recordItem(itemRow("r", "s", i));
  expect(count(other, "items")).toBe(0);
  store.recordItem(itemRow("r", "s", 499));
  expect(count(other, "items")).toBe(500);
});

test("finishRun commits the buffered rows with it", () => {
  const { store, other } = pair();
  store.recordStep(stepRow("r", "s"));
  store.finishRun("r", "success", 0, 2);
  expect(count(other, "steps")).toBe(1);
  expect(other.query("SELECT status FROM runs").get()).toEqual({ status: "success" });
});

test("the timer does not keep a process alive, and rows buffered at exit are flushed", async () => {
  const { path } = tempDb("exit");
  const t0 = performance.now();
  const child = spawnChild("no-close", [path, "r"]);
  expect(await child.exited).toBe(0);
  expect(performance.now() - t0).toBeLessThan(5_000);
  const store = HistoryStore.open(path, { readonly: true });
  cleanup.push(() => store.close());
  expect(store.getRun("r")?.status).toBe("success");
  expect(store.getSteps("r").map((s) => s.output)).toEqual(["kept"]);
  expect(store.getItems("r", "last").map((i) => i.output)).toEqual(["after finish"]);
});

test("close flushes, and a second close does nothing", () => {
  const { path } = tempDb("close");
  const store = HistoryStore.open(path);
  store.startRun({ id: "r", pipeline: "p", file: "/p.yaml", inputs: null, pid: process.pid, startedAt: 1 });
  store.recordStep(stepRow("r", "s"));
  store.close();
  store.close();
  const other = new Database(path, { readonly: true });
  cleanup.push(() => other.close());
  expect(count(other, "steps")).toBe(1);
  expect(() => store.recordStep(stepRow("r", "t"))).toThrow(/closed/);
});
