/**
 * What `aiorch run` records (docs/history.md): runs, steps and foreach items as they end; several
 * processes writing one database; switching recording off; where the database lives.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, scratch, SLOW } from "../run/harness.ts";
import { historyFileIn, onlyRunId, readHistory, runsIn } from "./helpers.ts";

afterAll(removeScratch);

const ITEMS = 20;

const BUSY = `
name: busy
input:
  tag: { type: string }
steps:
  start:
    run: echo start-{{ tag }}
  fan:
    depends: [start]
    foreach: "[${Array.from({ length: ITEMS }, (_, i) => i).join(", ")}]"
    parallel: true
    python: |
      result = inputs["item"] * 2
  skipped:
    depends: [start]
    condition: "tag == 'never'"
    run: echo never
  broken:
    depends: [start]
    run: echo oops >&2; exit 9
  after_broken:
    depends: [broken]
    run: echo unreachable
`;

describe("what a run records", () => {
  test.concurrent(
    "four parallel runs into one database are all recorded completely",
    async () => {
      const cwd = scratch("parallel");
      writeFileSync(join(cwd, "p.yaml"), BUSY);
      const tags = ["r1", "r2", "r3", "r4"];
      const outcomes = await Promise.all(tags.map((tag) => aiorch(["run", "p.yaml", "-i", `tag=${tag}`], { cwd })));
      for (const outcome of outcomes) {
        expect(outcome.stderr).not.toContain("locked");
        expect(outcome.exitCode).toBe(1);
      }
      const runs = runsIn(cwd);
      expect(runs.map((r) => (r.inputs as { tag: string }).tag).sort()).toEqual(tags);
      for (const run of runs) {
        expect(run.status).toBe("failed");
        expect(run.finishedAt).toBeGreaterThanOrEqual(run.startedAt);
        expect(run.pid).toBeGreaterThan(0);
        const { steps, items } = readHistory(cwd, (store) => ({
          steps: store.getSteps(run.id),
          items: store.getItems(run.id, "fan"),
        }));
        const byName = Object.fromEntries(steps.map((s) => [s.name, s]));
        expect(Object.keys(byName).sort()).toEqual(["after_broken", "broken", "fan", "skipped", "start"]);
        const tag = (run.inputs as { tag: string }).tag;
        expect(byName.start).toMatchObject({
          status: "success",
          primitive: "run",
          attempts: 1,
          input: `echo start-'${tag}'`,
          output: `start-${tag}`,
        });
        expect(byName.fan).toMatchObject({
          status: "success",
          primitive: "python",
          itemsTotal: ITEMS,
          itemsDone: ITEMS,
          itemsFailed: 0,
        });
        expect(byName.fan!.output).toEqual(Array.from({ length: ITEMS }, (_, i) => i * 2));
        expect(byName.skipped).toMatchObject({ status: "skipped", reason: "condition is false", startedAt: null });
        expect(byName.broken).toMatchObject({ status: "failed", attempts: 1 });
        expect(byName.broken!.error).toContain("exited with code 9");
        expect(byName.broken!.error).toContain("oops");
        expect(byName.after_broken).toMatchObject({ status: "skipped", reason: "upstream failed" });
        expect(items.map((i) => [i.index, i.status, i.output])).toEqual(
          Array.from({ length: ITEMS }, (_, i) => [i, "success", i * 2]),
        );
      }
    },
    SLOW,
  );

  test.concurrent(
    "bytes survive the history: a resumed run gets them back as bytes",
    async () => {
      const cwd = scratch("bytes");
      writeFileSync(
        join(cwd, "p.yaml"),
        'name: bytes\nsteps:\n  make:\n    python: |\n      result = bytes([0, 255, 10])\n  use:\n    depends: [make]\n    python: |\n      assert isinstance(inputs["make"], bytes), type(inputs["make"])\n      open("used.txt", "w").write(",".join(str(b) for b in inputs["make"]))\n      assert __import__("os").path.exists("ok")\n      result = len(inputs["make"])\n',
      );
      expect((await aiorch(["run", "p.yaml"], { cwd })).exitCode).toBe(1);
      writeFileSync(join(cwd, "ok"), "");
      const resumed = await aiorch(["resume", onlyRunId(cwd)], { cwd });
      expect(resumed.stderr).toBe("");
      expect(resumed.exitCode).toBe(0);
      expect(Bun.file(join(cwd, "used.txt")).size).toBeGreaterThan(0);
      expect(await Bun.file(join(cwd, "used.txt")).text()).toBe("0,255,10");
    },
    SLOW,
  );
});

describe("what a step writes besides its result (docs/pipeline-reference.md#results-names-and-context, docs/execution.md#python-steps: it goes to the trace)", () => {
  test.concurrent(
    "run: stderr and python: print() output are recorded, shown by trace and by run -v",
    async () => {
      const cwd = scratch("log");
      writeFileSync(
        join(cwd, "p.yaml"),
        'name: logs\nsteps:\n  shell:\n    run: echo careful >&2; echo done\n  py:\n    python: |\n      print("working on it")\n      result = 42\n  each:\n    foreach: "[1, 2]"\n    run: echo item {{ item }} >&2\n  quiet:\n    run: echo nothing on stderr\n',
      );
      const verbose = await aiorch(["run", "p.yaml", "-v"], { cwd });
      expect(verbose.exitCode).toBe(0);
      // Shown live, as each line was written; the log is kept for the trace.
      expect(verbose.stdout).toContain("\nshell    | careful\n");
      expect(verbose.stdout).toContain("\npy       | working on it\n");
      const id = onlyRunId(cwd);
      const logs = readHistory(cwd, (store) => Object.fromEntries(store.getSteps(id).map((s) => [s.name, s.log])));
      expect(logs).toEqual({ shell: "careful", py: "working on it", each: "[0] item 1\n[1] item 2", quiet: null });
      const trace = await aiorch(["trace", id, "-v"], { cwd });
      expect(trace.stdout).toMatch(/log +careful/);
      expect(trace.stdout).toMatch(/log +working on it/);
    },
    SLOW,
  );
});

describe("switching recording off, and where the database lives", () => {
  const ONE = "name: one\nsteps:\n  a:\n    run: echo a\n";

  test.concurrent(
    "--no-history and AIORCH_NO_HISTORY=1 record nothing; AIORCH_NO_HISTORY=0 records",
    async () => {
      const cwd = scratch("no-history");
      writeFileSync(join(cwd, "p.yaml"), ONE);
      expect((await aiorch(["run", "p.yaml", "--no-history"], { cwd })).exitCode).toBe(0);
      expect((await aiorch(["run", "p.yaml"], { cwd, env: { AIORCH_NO_HISTORY: "1" } })).exitCode).toBe(0);
      expect(existsSync(historyFileIn(cwd))).toBe(false);
      expect((await aiorch(["run", "p.yaml"], { cwd, env: { AIORCH_NO_HISTORY: "0" } })).exitCode).toBe(0);
      expect(runsIn(cwd)).toHaveLength(1);
    },
    SLOW,
  );

  test.concurrent(
    "config storage.path moves the database (relative to the config file)",
    async () => {
      const cwd = scratch("storage-path");
      mkdirSync(join(cwd, "proj"));
      writeFileSync(join(cwd, "proj", "p.yaml"), ONE);
      writeFileSync(join(cwd, "proj", "aiorch.yaml"), "storage:\n  path: state/runs.db\n");
      expect((await aiorch(["run", "proj/p.yaml"], { cwd })).exitCode).toBe(0);
      expect(existsSync(join(cwd, "proj", "state", "runs.db"))).toBe(true);
      expect(existsSync(historyFileIn(cwd))).toBe(false);
    },
    SLOW,
  );
});
