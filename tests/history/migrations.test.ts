import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { HistoryStore, SCHEMA_VERSION } from "../../src/history/index.ts";
import { removeTempDirs, stepRow, tempDb, caughtUserError } from "./helpers.ts";
import { V1_SCHEMA, V2_MIGRATION } from "./v1-schema.ts";

afterAll(removeTempDirs);

/** A version-1 database with one finished run, one step and one item, written with raw SQL. */
function v1Database(): string {
  const { path } = tempDb("v1");
  const db = new Database(path);
  db.run("PRAGMA journal_mode = WAL");
  db.run(V1_SCHEMA);
  db.run(
    `INSERT INTO runs VALUES ('old-run', 'legacy', '/l.yaml', '{"who":"v1"}', 'success', 1000, 2000, 0.25, 4242, NULL)`,
  );
  db.run(
    `INSERT INTO steps VALUES ('old-run', 'fetch', 'run', 'success', 2, 1100, 1900, 800.5, 'curl x', '{"ok":true}', NULL, NULL, NULL, NULL, 0, 0)`,
  );
  db.run(`INSERT INTO items VALUES ('old-run', 'fetch', 0, 'success', '"a"', NULL, 3)`);
  db.run(`INSERT INTO llm_cache VALUES ('k', 'https://e', 'm', '{}', 1, 2, 0.01, 5, 0, NULL)`);
  db.close();
  return path;
}

function userVersion(path: string): number {
  const db = new Database(path, { readonly: true });
  const version = db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version ?? -1;
  db.close();
  return version;
}

const caught = caughtUserError;

test("this aiorch writes schema 9", () => {
  expect(SCHEMA_VERSION).toBe(10);
  const { path } = tempDb();
  HistoryStore.open(path).close();
  expect(userVersion(path)).toBe(SCHEMA_VERSION);
});

test("a version-1 database is upgraded in place: old rows are kept, the new columns work", () => {
  const path = v1Database();
  const store = HistoryStore.open(path);
  expect(userVersion(path)).toBe(SCHEMA_VERSION);
  expect(store.getRun("old-run")).toMatchObject({
    pipeline: "legacy",
    inputs: { who: "v1" },
    status: "success",
    totalCost: 0.25,
  });
  expect(store.getSteps("old-run")).toEqual([
    stepRow("old-run", "fetch", {
      attempts: 2,
      startedAt: 1100,
      durationMs: 800.5,
      input: "curl x",
      output: { ok: true },
    }),
  ]);
  expect(store.getItems("old-run", "fetch").map((i) => i.output)).toEqual(["a"]);

  store.recordStep(
    stepRow("old-run", "fetch", {
      status: "skipped",
      reason: "condition is false",
      itemsTotal: 4,
      itemsDone: 3,
      itemsFailed: 1,
    }),
  );
  store.flush();
  expect(store.getSteps("old-run")[0]).toMatchObject({
    reason: "condition is false",
    itemsTotal: 4,
    itemsDone: 3,
    itemsFailed: 1,
  });
  store.close();

  const db = new Database(path, { readonly: true });
  expect(db.query("SELECT key, hits FROM llm_cache").all()).toEqual([{ key: "k", hits: 0 }]);
  db.close();
});

test("a read-only open of a version-1 database upgrades it first", () => {
  const path = v1Database();
  const reader = HistoryStore.open(path, { readonly: true });
  expect(reader.getSteps("old-run")[0]).toMatchObject({ name: "fetch", reason: null, itemsTotal: null });
  reader.close();
  expect(userVersion(path)).toBe(SCHEMA_VERSION);
});

test("an upgrade that fails is rolled back and leaves version 1 and its rows", () => {
  const path = v1Database();
  const db = new Database(path);
  db.run("ALTER TABLE steps ADD COLUMN items_done INTEGER"); // in the way of migration 2
  db.close();
  const error = caught(() => HistoryStore.open(path));
  expect(error.message).toContain("cannot upgrade");
  expect(error.message).toContain(path);
  expect(error.hint).toContain("move it away");
  expect(userVersion(path)).toBe(1);
  const check = new Database(path, { readonly: true });
  expect(
    check
      .query("PRAGMA table_info(steps)")
      .all()
      .map((c) => (c as { name: string }).name),
  ).not.toContain("reason");
  expect(check.query("SELECT COUNT(*) AS n FROM items").get()).toEqual({ n: 1 });
  check.close();
});

test("a database written by a newer aiorch is refused, untouched", () => {
  const { path } = tempDb("newer");
  HistoryStore.open(path).close();
  const db = new Database(path);
  db.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  for (const readonly of [false, true]) {
    const error = caught(() => HistoryStore.open(path, { readonly }));
    expect(error.message).toBe(
      `history database ${path} was written by a newer aiorch (schema ${SCHEMA_VERSION + 1}, this one knows ${SCHEMA_VERSION})`,
    );
    expect(error.hint).toContain("upgrade aiorch");
    expect(error.hint).toContain("AIORCH_HOME");
    expect(error.exitCode).toBe(2);
  }
  expect(userVersion(path)).toBe(SCHEMA_VERSION + 1);
});

/** A version-2 database (the previous schema): version 1 plus migration 2, written with raw SQL. */
function v2Database(): string {
  const path = v1Database();
  const db = new Database(path);
  db.run(V2_MIGRATION);
  db.run(`UPDATE steps SET reason = NULL, items_total = 3, items_done = 3, items_failed = 0`);
  db.close();
  return path;
}

test("a version-2 database (the previous schema) is upgraded in place: rows kept, the step log column works", () => {
  const path = v2Database();
  expect(userVersion(path)).toBe(2);
  const store = HistoryStore.open(path);
  expect(userVersion(path)).toBe(SCHEMA_VERSION);
  expect(store.getSteps("old-run")[0]).toMatchObject({
    name: "fetch",
    attempts: 2,
    itemsTotal: 3,
    itemsDone: 3,
    log: null,
  });
  store.recordStep(stepRow("old-run", "later", { log: "a warning on stderr" }));
  store.flush();
  expect(store.getSteps("old-run").find((s) => s.name === "later")?.log).toBe("a warning on stderr");
  store.close();
});

test("the upgrade to version 5 marks older rows holding *** as masked, so that resume runs them again", () => {
  const path = v1Database();
  const db = new Database(path);
  db.run(
    `INSERT INTO steps VALUES ('old-run', 'branch', 'run', 'success', 1, 1100, 1900, 5, 'echo x', '"release/***-2024"', NULL, NULL, NULL, NULL, 0, 0)`,
  );
  db.run(
    `INSERT INTO steps VALUES ('old-run', 'login', 'run', 'success', 1, 1100, 1900, 5, 'login --token ***', '"ok"', NULL, NULL, NULL, NULL, 0, 0)`,
  );
  db.run(`INSERT INTO items VALUES ('old-run', 'fetch', 1, 'success', '"key=***"', NULL, 3)`);
  db.close();
  const store = HistoryStore.open(path);
  expect(store.getSteps("old-run").map((s) => [s.name, s.masked])).toEqual([
    ["fetch", false],
    ["branch", true],
    ["login", true],
  ]);
  expect(store.getItems("old-run", "fetch").map((i) => [i.index, i.masked])).toEqual([
    [0, false],
    [1, true],
  ]);
  store.close();
});

test("the store marks a row masked when a secret was masked in its input or output, not in its error or log", () => {
  const { path } = tempDb("masked");
  const store = HistoryStore.open(path, { secrets: ["tok-5d6e7f8a9b"] });
  store.startRun({ id: "r", pipeline: "p", file: "/p.yaml", inputs: {}, pid: process.pid, startedAt: 1 });
  store.recordStep(stepRow("r", "out", { output: "release/tok-5d6e7f8a9b-2024" }));
  store.recordStep(stepRow("r", "in", { input: "login tok-5d6e7f8a9b" }));
  store.recordStep(stepRow("r", "err", { status: "failed", error: "tok-5d6e7f8a9b refused", log: "tok-5d6e7f8a9b" }));
  store.recordStep(stepRow("r", "clean", { output: "release/main-2024" }));
  store.flush();
  expect(store.getSteps("r").map((s) => [s.name, s.masked])).toEqual([
    ["out", true],
    ["in", true],
    ["err", false],
    ["clean", false],
  ]);
  store.finishRun("r", "success", 0, 2);
  store.close();
});

test("the upgrade to version 7: older runs have no file path, hashes or inputs digest (only --reuse takes them); new runs do", () => {
  const path = v1Database();
  const store = HistoryStore.open(path);
  expect(store.getRun("old-run")).toMatchObject({
    file: "/l.yaml",
    filePath: null,
    sources: null,
    inputsDigest: null,
    reusedUnmatched: null,
  });
  expect(store.runsOfFile("/l.yaml", 10)).toEqual([]);
  const sources = { "/l.yaml": "ab".repeat(32) };
  store.startRun({
    id: "new-run",
    pipeline: "legacy",
    file: "l.yaml",
    filePath: "/l.yaml",
    sources,
    inputs: { who: "v7" },
    pid: process.pid,
    startedAt: 3000,
    reusedUnmatched: "old-run",
  });
  expect(store.runsOfFile("/l.yaml", 10).map((r) => [r.id, r.sources, r.reusedUnmatched])).toEqual([
    ["new-run", sources, "old-run"],
  ]);
  store.finishRun("new-run", "success", 0, 4000);
  store.close();
});

test("the inputs digest: sha256 of clear inputs; scrypt when a secret was masked, which tells secrets apart and never holds one", () => {
  const { path } = tempDb("digest");
  const secret = "hunter2-5d6e7f8a9b";
  const store = HistoryStore.open(path, { secrets: [secret] });
  store.startRun({
    id: "clear",
    pipeline: "p",
    file: "/p.yaml",
    inputs: { b: 1, a: [2.5] },
    pid: process.pid,
    startedAt: 1,
  });
  store.startRun({
    id: "secret",
    pipeline: "p",
    file: "/p.yaml",
    inputs: { token: secret, name: "Amy" },
    pid: process.pid,
    startedAt: 2,
  });
  const clear = store.getRun("clear")!;
  const withSecret = store.getRun("secret")!;
  expect(clear.inputsDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(withSecret.inputsDigest).toMatch(/^scrypt:[0-9a-f]{64}$/);
  expect(withSecret.inputs).toEqual({ token: "***", name: "Amy" });
  expect(withSecret.inputsDigest).not.toContain(secret);
  // Key order does not matter; values do, the secret included.
  expect(store.inputsMatch(clear, { a: [2.5], b: 1 })).toBe(true);
  expect(store.inputsMatch(clear, { a: [2.5], b: 2 })).toBe(false);
  expect(store.inputsMatch(withSecret, { name: "Amy", token: secret })).toBe(true);
  expect(store.inputsMatch(withSecret, { name: "Amy", token: "another-secret-1234" })).toBe(false);
  for (const id of ["clear", "secret"]) store.finishRun(id, "success", 0, 3);
  store.close();
});
