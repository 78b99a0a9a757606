import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { HistoryStore } from "../../src/history/index.ts";
import { removeTempDirs, spawnChild, tempDb } from "./helpers.ts";

afterAll(removeTempDirs);

const WRITERS = 4;
const RUNS = 200;
const STEPS = 5;
const ITEMS = 20;

test(`${WRITERS} processes writing ${RUNS} runs × ${STEPS} steps × ${ITEMS} items into one new file at once lose nothing`, async () => {
  const { path } = tempDb("concurrent");
  const t0 = performance.now();
  const children = Array.from({ length: WRITERS }, (_, w) =>
    spawnChild("writer", [path, `w${w}`, String(RUNS), String(STEPS), String(ITEMS)]),
  );
  const results = await Promise.all(
    children.map(async (child) => ({
      code: await child.exited,
      out: await new Response(child.stdout).text(),
      err: await new Response(child.stderr).text(),
    })),
  );
  console.log(`${WRITERS} concurrent writers: ${(performance.now() - t0).toFixed(0)} ms`);
  for (const result of results) expect(result).toEqual({ code: 0, out: "done\n", err: "" });

  const db = new Database(path, { readonly: true });
  const n = (sql: string) => db.query<{ n: number }, []>(sql).get()?.n;
  expect(n("SELECT COUNT(*) AS n FROM runs WHERE status = 'success'")).toBe(WRITERS * RUNS);
  expect(n("SELECT COUNT(*) AS n FROM steps")).toBe(WRITERS * RUNS * STEPS);
  expect(n("SELECT COUNT(*) AS n FROM items")).toBe(WRITERS * RUNS * STEPS * ITEMS);
  expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
  // (No assertion on how much the writers overlapped in time: that depends on scheduling.)
  db.close();

  const store = HistoryStore.open(path, { readonly: true });
  expect(store.getItems("w3-199", "step4").map((i) => i.output)).toEqual(
    Array.from({ length: ITEMS }, (_, i) => ({ r: 199, s: 4, i })),
  );
  store.close();
}, 60_000);

test("a process killed with SIGKILL mid-run leaves a readable database, its run shows crashed, committed rows survive", async () => {
  const { path } = tempDb("crash");
  const child = spawnChild("crasher", [path, "crash-run"]);
  const reader = child.stdout.getReader();
  let seen = "";
  while (!seen.includes("recorded 3")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`child ended early: ${await new Response(child.stderr).text()}`);
    seen += new TextDecoder().decode(value);
  }
  child.kill("SIGKILL");
  await child.exited;
  expect(child.signalCode).toBe("SIGKILL");

  const raw = new Database(path, { readonly: true });
  expect(raw.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
  raw.close();

  const store = HistoryStore.open(path);
  const run = store.getRun("crash-run");
  expect(run?.status).toBe("crashed");
  expect(store.listRuns({ status: "crashed" }).map((r) => r.id)).toEqual(["crash-run"]);
  // Each step was recorded at least 120 ms before "recorded k" was printed: past the 50 ms commit.
  const names = store.getSteps("crash-run").map((s) => s.name);
  expect(names.slice(0, 4)).toEqual(["s0", "s1", "s2", "s3"]);
  expect(store.getItems("crash-run", "s3")).toHaveLength(3);
  // The store still writes after the crash.
  store.startRun({
    id: "after",
    pipeline: "crashy",
    file: "/c.yaml",
    inputs: {},
    pid: process.pid,
    startedAt: Date.now(),
  });
  store.close();
}, 30_000);
