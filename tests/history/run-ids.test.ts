/**
 * Run ids as people type them (issue 13 item 5): any unique part of 4+ characters, `last`,
 * the same in `history RUN_ID`, `trace` and `resume`; and the commands a failed run prints
 * work as printed, from another folder, when the pipeline's own aiorch.yaml moves the history.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import {
  CANCELLED_RUN,
  CRASHED_RUN,
  FAILED_RUN,
  RESUMED_RUN,
  STACK_LINE,
  aiorch,
  seedAll,
  tempHome,
} from "./commands-seed.ts";
import { removeTempDirs } from "./helpers.ts";

afterAll(removeTempDirs);

let home: string;
beforeAll(async () => {
  home = tempHome("run-ids");
  await seedAll(home);
});

/** The id `history RUN_ID --format json` resolved `given` to. */
function resolved(command: string, given: string): string {
  const result = aiorch(home, [command, given, "--format", "json"]);
  expect({ given, exitCode: result.exitCode, stderr: result.stderr }).toEqual({ given, exitCode: 0, stderr: "" });
  return (JSON.parse(result.stdout) as { run_id: string }).run_id;
}

describe("a unique part of an id", () => {
  test("the random end, a middle part, a prefix, in any case: history RUN_ID and trace find the one run", () => {
    for (const command of ["history", "trace"]) {
      expect(resolved(command, "aaaa")).toBe(FAILED_RUN);
      expect(resolved(command, "CCCC")).toBe(CRASHED_RUN);
      expect(resolved(command, "0306-09")).toBe(RESUMED_RUN);
      expect(resolved(command, "20240308")).toBe(CANCELLED_RUN);
      expect(resolved(command, RESUMED_RUN)).toBe(RESUMED_RUN);
    }
  });

  test("a part several ids hold exits 2 and lists every one of them; fewer than 4 characters match nothing", () => {
    const r = aiorch(home, ["trace", "093000"]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toStartWith('error: run "093000" matches several runs:\n');
    for (const id of [FAILED_RUN, RESUMED_RUN, CRASHED_RUN, CANCELLED_RUN]) expect(r.stderr).toContain(`  ${id}  `);
    expect(r.stderr).toContain("hint: give more characters of the run id");
    expect(r.stderr).not.toMatch(STACK_LINE);
    const short = aiorch(home, ["trace", "aaa"]);
    expect(short.exitCode).toBe(2);
    expect(short.stderr).toStartWith('error: no run "aaa" in the history');
  });
});

describe("last", () => {
  test("names the newest run in history RUN_ID and trace", () => {
    const newest = (JSON.parse(aiorch(home, ["history", "--format", "json"]).stdout) as { run_id: string }[])[0]!
      .run_id;
    expect(newest).toBe(CANCELLED_RUN);
    expect(resolved("history", "last")).toBe(newest);
    expect(resolved("trace", "last")).toBe(newest);
  });

  test("in an empty history: exit 2, saying there are no runs", () => {
    const empty = tempHome("run-ids-empty");
    mkdirSync(empty, { recursive: true });
    for (const command of ["trace", "history", "resume"]) {
      const r = aiorch(empty, [command, "last"]);
      expect({ command, exitCode: r.exitCode }).toEqual({ command, exitCode: 2 });
      expect(r.stderr).toContain("no run");
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  });
});

/** A pipeline whose step `b` fails until the file `ok` exists in the folder it runs in. */
const FLAKY = `
name: flaky
steps:
  a:
    run: echo A
  b:
    depends: [a]
    run: test -f ok || exit 3; echo B
`;

/** The words of a shell command line, as /bin/sh splits and unquotes them. */
function shellWords(line: string): string[] {
  const split = Bun.spawnSync(["/bin/sh", "-c", `set -- ${line}; printf '%s\\0' "$@"`]);
  return split.stdout.toString().split("\0").slice(0, -1);
}

/** The `aiorch …` commands in backquotes on the line a failed run prints at its end. */
function printedCommands(stderr: string): string[][] {
  const line = stderr.split("\n").find((l) => l.includes("`aiorch trace "));
  expect(line).toBeDefined();
  return [...line!.matchAll(/`(aiorch [^`]+)`/g)].map((m) => shellWords(m[1]!).slice(1));
}

describe("the commands a failed run prints", () => {
  test("name the pipeline's config when its storage.path moves the history, and work from another folder", () => {
    const aiorchHome = tempDir("run-ids-home");
    const project = join(tempDir("run-ids-project"), "my project");
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, "aiorch.yaml"), "storage:\n  path: ./state/runs.db\n");
    writeFileSync(join(project, "p.yaml"), FLAKY);
    const env = { AIORCH_HOME: aiorchHome };
    const failed = runCli(["run", "p.yaml"], { cwd: project, env });
    expect(failed.exitCode).toBe(1);
    const [trace, resume] = printedCommands(failed.stderr);
    expect(trace).toEqual([
      "trace",
      expect.stringMatching(/^\d{8}-\d{6}-[0-9a-f]{4}$/),
      "-c",
      join(project, "aiorch.yaml"),
    ]);
    const elsewhere = tempDir("run-ids-elsewhere");
    // Without the printed option, the default history does not have the run.
    expect(runCli(trace!.slice(0, 2), { cwd: elsewhere, env }).exitCode).toBe(2);
    const shown = runCli(trace!, { cwd: elsewhere, env });
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain(`run       ${trace![1]}`);
    // Steps run in the current folder: there `b` now succeeds.
    writeFileSync(join(elsewhere, "ok"), "");
    const resumed = runCli(resume!, { cwd: elsewhere, env });
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.exitCode).toBe(0);
    // The resume was recorded in the same history: `last` there is the resume, which succeeded.
    const last = runCli(["history", "last", "--format", "json", "-c", join(project, "aiorch.yaml")], {
      cwd: elsewhere,
      env,
    });
    expect(JSON.parse(last.stdout)).toMatchObject({ status: "success", resumed_from: trace![1] });
  }, 60_000);

  test("stay bare when the history is the default one; resume takes the random end and last", () => {
    const aiorchHome = tempDir("run-ids-default");
    const project = tempDir("run-ids-plain");
    writeFileSync(join(project, "p.yaml"), FLAKY);
    const env = { AIORCH_HOME: aiorchHome };
    const failed = runCli(["run", "p.yaml"], { cwd: project, env });
    expect(failed.exitCode).toBe(1);
    const [trace, resume] = printedCommands(failed.stderr);
    const id = trace![1]!;
    expect(trace).toEqual(["trace", id]);
    expect(resume).toEqual(["resume", id]);
    const again = runCli(["resume", id.slice(-4)], { cwd: tempDir("run-ids-other"), env });
    expect(again.exitCode).toBe(1);
    writeFileSync(join(project, "ok"), "");
    const last = runCli(["resume", "last"], { cwd: project, env });
    expect(last.exitCode).toBe(0);
    const runs = JSON.parse(runCli(["history", "--format", "json"], { cwd: project, env }).stdout) as {
      run_id: string;
      resumed_from: string | null;
    }[];
    expect(runs.map((r) => r.resumed_from)).toEqual([runs[1]!.run_id, id, null]);
  }, 60_000);
});
