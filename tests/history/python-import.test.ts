/**
 * A user of the Python aiorch already has ~/.aiorch/history.db in its schema: the first
 * run here moves it aside unchanged, imports its runs and steps, and goes on; `history`,
 * `trace` and the old integer ids find them.
 */
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, tempHome } from "./commands-seed.ts";
import { removeTempDirs } from "./helpers.ts";
import { PY_T0, writePythonHistory } from "./python-fixture.ts";
import { aiorchCommand } from "../helpers/cli.ts";

afterAll(removeTempDirs);

const PIPELINE = "name: fresh\nsteps:\n  hi:\n    run: echo hi\n";

function pythonHome(label: string): { home: string; original: Buffer } {
  const home = tempHome(label);
  writePythonHistory(join(home, "history.db"));
  writeFileSync(join(home, "p.yaml"), PIPELINE);
  return { home, original: readFileSync(join(home, "history.db")) };
}

describe("a Python aiorch history where ours goes", () => {
  test("the first run imports it, keeps the original beside ours, and succeeds", () => {
    const { home, original } = pythonHome("py-import");
    const first = aiorch(home, ["run", "p.yaml"]);
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toContain("was the Python aiorch's history: imported 3 runs (3 steps)");
    expect(first.stderr).toContain(join(home, "history.aiorch-python.db"));
    // Moved, not written: the same bytes, and no -wal/-shm left beside it.
    expect(readFileSync(join(home, "history.aiorch-python.db")).equals(original)).toBe(true);
    expect(existsSync(join(home, "history.aiorch-python.db-wal"))).toBe(false);
    expect(existsSync(join(home, "history.aiorch-python.db-shm"))).toBe(false);

    const again = aiorch(home, ["run", "p.yaml"]);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).not.toContain("Python");

    const list = aiorch(home, ["history"]);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain("summarise (imported #2)");
    expect(list.stdout).toContain("nightly (imported #1)");
    expect(list.stdout).toMatch(/20260301-100000-py1 +nightly \(imported #1\) +failed/);
    // The unfinished Python run is shown as crashed, like a run of ours whose process is gone.
    expect(list.stdout).toMatch(/20260301-100200-py12 +slow \(imported #12\) +crashed/);
    expect(list.stdout.split("\n").filter((l) => /^\d{8}-\d{6}-[0-9a-f]{4} +fresh +success/.test(l))).toHaveLength(2);
  });

  test("history, history RUN_ID and trace show the imported runs, and their old integer ids find them", () => {
    const { home } = pythonHome("py-show");
    const json = JSON.parse(aiorch(home, ["history", "--format", "json"]).stdout) as {
      run_id: string;
      imported: unknown;
      pid: number;
      cost: number;
    }[];
    const two = json.find((r) => r.run_id === "20260301-100100-py2")!;
    expect(two).toMatchObject({
      imported: { from: join(home, "history.aiorch-python.db"), python_run_id: 2 },
      cost: 0.0042,
    });

    const show = aiorch(home, ["history", "1"]);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain("run       20260301-100000-py1");
    expect(show.stdout).toContain("imported  run #1 of the Python aiorch");
    expect(show.stdout).toContain("command_error: Command failed (exit 3): exit 3");
    expect(show.stdout).not.toContain("aiorch resume");

    const trace = aiorch(home, ["trace", "2", "--format", "json"]);
    expect(trace.exitCode).toBe(0);
    const doc = JSON.parse(trace.stdout) as { run_id: string; started_at: string; steps: Record<string, unknown>[] };
    expect(doc).toMatchObject({
      run_id: "20260301-100100-py2",
      started_at: new Date(PY_T0 * 1000 + 60_000).toISOString(),
    });
    expect(doc.steps[0]).toMatchObject({
      name: "ask",
      primitive: "prompt",
      status: "success",
      model: "gpt-4o-mini",
      prompt_tokens: 120,
      completion_tokens: 30,
      cost: 0.0042,
      output: { summary: "A short summary", n: 3 },
    });

    const text = aiorch(home, ["trace", "1"]);
    expect(text.stdout).toContain("imported  run #1 of the Python aiorch");
    expect(text.stdout).toMatch(/✗ +boom/);
    // The id itself, and its prefix, work as for any run.
    expect(aiorch(home, ["trace", "20260301-100000-py1"]).exitCode).toBe(0);
  });

  test("resume of an imported run says why it cannot, exit 2", () => {
    const { home } = pythonHome("py-resume");
    const r = aiorch(home, ["resume", "1"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("is run #1 of the Python aiorch");
    expect(r.stderr).toContain("aiorch run pipe.yaml");
  });

  test("a file whose last commits are still in its -wal (the Python process was killed) is moved with it and imported whole", () => {
    const home = tempHome("py-wal");
    writePythonHistory(join(home, "history.db"), { killed: true });
    expect(statSync(join(home, "history.db-wal")).size).toBeGreaterThan(0);
    const wal = readFileSync(join(home, "history.db-wal"));
    writeFileSync(join(home, "p.yaml"), PIPELINE);
    const r = aiorch(home, ["run", "p.yaml"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("imported 3 runs (3 steps)");
    expect(readFileSync(join(home, "history.aiorch-python.db-wal")).equals(wal)).toBe(true);
    expect(aiorch(home, ["trace", "12"]).stdout).toContain("run       20260301-100200-py12");
  });

  test("an import that fails is a warning: the run goes on with a new history, the file is kept", () => {
    const home = tempHome("py-broken");
    const path = join(home, "history.db");
    const db = new Database(path, { create: true });
    db.run("CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, started_at REAL NOT NULL, status TEXT)");
    db.run("INSERT INTO runs VALUES (1, 'x', 1.5, 'success')");
    db.run("CREATE TABLE step_runs (unexpected TEXT)");
    db.close();
    const original = readFileSync(path);
    writeFileSync(join(home, "p.yaml"), PIPELINE);
    const r = aiorch(home, ["run", "p.yaml"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("warning:");
    expect(r.stderr).toContain("could not be imported");
    expect(readFileSync(join(home, "history.aiorch-python.db")).equals(original)).toBe(true);
    const list = aiorch(home, ["history", "--format", "json"]);
    expect((JSON.parse(list.stdout) as { pipeline: string }[]).map((run) => run.pipeline)).toEqual(["fresh"]);
  });
});

describe("numeric run ids", () => {
  test("a number that names no imported run: exit 2, how ids look here, with a real one", () => {
    const home = tempHome("numeric");
    writeFileSync(join(home, "p.yaml"), PIPELINE);
    expect(aiorch(home, ["run", "p.yaml"]).exitCode).toBe(0);
    const id = (JSON.parse(aiorch(home, ["history", "--format", "json"]).stdout) as { run_id: string }[])[0]!.run_id;
    for (const command of ["trace", "history", "resume"]) {
      const r = aiorch(home, [command, "12"]);
      expect({ command, exitCode: r.exitCode }).toEqual({ command, exitCode: 2 });
      expect(r.stderr).toContain("run ids here are not numbers");
      expect(r.stderr).toContain(`like ${id} (the newest run)`);
      expect(r.stderr).not.toContain("    at ");
    }
  });

  test("before any run, a number still gets the explanation", () => {
    const home = tempHome("numeric-empty");
    const r = aiorch(home, ["trace", "3"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("run ids here are not numbers");
  });
});

describe("a number that is both an imported run's number and a prefix of our ids", () => {
  test("is refused, listing both", () => {
    const home = tempHome("numeric-both");
    writeFileSync(join(home, "p.yaml"), PIPELINE);
    expect(aiorch(home, ["run", "p.yaml"]).exitCode).toBe(0);
    const year = (
      JSON.parse(aiorch(home, ["history", "--format", "json"]).stdout) as { run_id: string }[]
    )[0]!.run_id.slice(0, 4);
    const db = new Database(join(home, "history.db"));
    db.run(
      `INSERT INTO runs (id, pipeline, file, status, started_at, pid, imported_from, imported_id) VALUES ('20200101-000000-py${year}', 'old', 'o.yaml', 'success', 0, 0, 'x.db', ${year})`,
    );
    db.close();
    const r = aiorch(home, ["trace", year]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`(Python run #${year})`);
    expect(r.stderr).toMatch(/fresh/);
  });
});

describe("several first runs at once", () => {
  test("one of them imports; the others wait and use the new history; no file is moved twice", async () => {
    const { home } = pythonHome("py-race");
    const children = Array.from({ length: 4 }, () =>
      Bun.spawn([...aiorchCommand(), "run", "p.yaml"], {
        cwd: home,
        env: { ...process.env, NO_COLOR: "1", AIORCH_HOME: home },
        stdout: "pipe",
        stderr: "pipe",
      }),
    );
    const results = await Promise.all(
      children.map(async (child) => ({ code: await child.exited, stderr: await new Response(child.stderr).text() })),
    );
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(results.filter((r) => r.stderr.includes("imported 3 runs")).length).toBe(1);
    expect(
      readdirSync(home)
        .filter((f) => f.startsWith("history.aiorch-python"))
        .sort(),
    ).toEqual(["history.aiorch-python.db"]);
    const runs = JSON.parse(aiorch(home, ["history", "--format", "json"]).stdout) as {
      pipeline: string;
      imported: unknown;
    }[];
    expect(runs.filter((r) => r.imported !== null)).toHaveLength(3);
    expect(runs.filter((r) => r.pipeline === "fresh")).toHaveLength(4);
  }, 60_000);
});
