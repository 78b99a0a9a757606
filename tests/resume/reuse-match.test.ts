/**
 * Which run `run --step/--from` takes results from (issue 13 item 4): only a run of the
 * same pipeline file (absolute path, and the SHA-256 of it and its flow files) with the
 * same inputs (by digest: a secret recorded as `***` is compared too); when none fits, exit
 * 2 saying what differs in each run looked at; `--reuse RUN_ID` takes a run anyway and
 * warns. What ran is proved by the log every step appends to, what a step saw by its output.
 */
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, linesIn, removeScratch, scratch, SLOW, STACK_TRACE } from "../run/harness.ts";
import { historyFileIn, readHistory, runsIn } from "./helpers.ts";

afterAll(removeScratch);

const HELLO = `
name: hello
input:
  name:
    type: string
    default: world
steps:
  greet:
    run: echo greet >> log.txt; echo Hello, {{ name }}!
  count:
    depends: [greet]
    run: echo count >> log.txt; echo count of {{ greet }}
`;

/** A secret input that no result holds (a result holding one would be run again anyway). */
const LOGIN = `
name: deploy
input:
  token:
    type: string
steps:
  login:
    run: echo login >> log.txt; echo session-{{ token | length }}
  count:
    depends: [login]
    run: echo count >> log.txt; echo count of {{ login }}
`;

function project(label: string, yaml = HELLO): string {
  const cwd = scratch(label);
  writeFileSync(join(cwd, "hello.yaml"), yaml);
  return cwd;
}

/** `run --format json` of `args` in `cwd`: the exit code, stderr and the `count` output. */
async function counted(cwd: string, args: string[], env: Record<string, string> = {}) {
  const outcome = await aiorch(["run", "hello.yaml", ...args, "--format", "json"], { cwd, env });
  const count =
    outcome.exitCode === 0
      ? (JSON.parse(outcome.stdout) as { outputs: Record<string, unknown> }).outputs.count
      : undefined;
  return { code: outcome.exitCode, stderr: outcome.stderr, count };
}

const reset = (cwd: string) => writeFileSync(join(cwd, "log.txt"), "");

describe("run --step/--from reuse only a run of the same file with the same inputs", () => {
  test.concurrent(
    "other inputs: no silent reuse, the error names the input; the run with these inputs is found even when older",
    async () => {
      const cwd = project("inputs");
      expect((await counted(cwd, ["-i", "name=Zed"])).code).toBe(0);
      reset(cwd);
      const amy = await aiorch(["run", "hello.yaml", "-i", "name=Amy", "--step", "count"], { cwd });
      expect(amy.exitCode).toBe(2);
      const zed = runsIn(cwd)[0]!.id;
      expect(amy.stderr).toContain(
        "error: --step count needs the results of `greet` from an earlier run of hello.yaml with the same inputs, and none of its recorded runs fits:",
      );
      expect(amy.stderr).toContain(`  run ${zed} (success): input \`name\` was "Zed", now "Amy"`);
      expect(amy.stderr).toContain(
        `hint: \`--reuse ${zed}\` reuses that run's results anyway (with a warning), or run the whole pipeline (the same command without --step)`,
      );
      expect(amy.stderr).not.toMatch(STACK_TRACE);
      expect(amy.stdout).toBe("");
      expect(linesIn(cwd, "log.txt")).toEqual([]);

      // A newer run with other inputs does not hide the older one that fits.
      expect((await counted(cwd, ["-i", "name=Amy"])).code).toBe(0);
      reset(cwd);
      expect(await counted(cwd, ["-i", "name=Zed", "--step", "count"])).toEqual({
        code: 0,
        stderr: "",
        count: "count of Hello, Zed!",
      });
      expect(await counted(cwd, ["-i", "name=Amy", "--step", "count"])).toEqual({
        code: 0,
        stderr: "",
        count: "count of Hello, Amy!",
      });
      // The default is an input like any other: `name` was not given, so it is "world".
      const byDefault = await counted(cwd, ["--from", "count"]);
      expect(byDefault.code).toBe(2);
      expect(byDefault.stderr).toContain('input `name` was "Amy", now "world"');
      expect(linesIn(cwd, "log.txt")).toEqual(["count", "count"]);
    },
    SLOW,
  );

  test.concurrent(
    "the same pipeline in another folder (same name, even the same text) is another file: not reused",
    async () => {
      const home = join(scratch("shared-home"), "home");
      const env = { AIORCH_HOME: home };
      const first = project("folder-a");
      const other = project("folder-b");
      expect((await counted(first, [], env)).code).toBe(0);
      const outcome = await aiorch(["run", "hello.yaml", "--step", "count"], { cwd: other, env });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toContain("and no run of it is on record, only these of a pipeline named `hello`:");
      expect(outcome.stderr).toMatch(
        new RegExp(
          `run \\S+ \\(success\\): it ran another file, ${join(realpathSync(first), "hello.yaml").replaceAll("/", "\\/")}\\n`,
        ),
      );
      expect(linesIn(other, "log.txt")).toEqual([]);
      // In its own folder it still is reused.
      reset(first);
      expect(await counted(first, ["--step", "count"], env)).toEqual({
        code: 0,
        stderr: "",
        count: "count of Hello, world!",
      });
      expect(linesIn(first, "log.txt")).toEqual(["count"]);
    },
    SLOW,
  );

  test.concurrent(
    "an edited pipeline file, or an edited flow file, says which file changed since which run",
    async () => {
      const cwd = project("edited");
      expect((await counted(cwd, [])).code).toBe(0);
      const id = runsIn(cwd)[0]!.id;
      writeFileSync(join(cwd, "hello.yaml"), HELLO.replace("Hello,", "Hi,"));
      const edited = await aiorch(["run", "hello.yaml", "--step", "count"], { cwd });
      expect(edited.exitCode).toBe(2);
      expect(edited.stderr).toContain(`  run ${id} (success): hello.yaml has changed since\n`);

      const flows = scratch("edited-flow");
      mkdirSync(join(flows, "sub"));
      writeFileSync(join(flows, "sub", "greet.yaml"), "name: greeter\nsteps:\n  say:\n    run: echo Hello\n");
      writeFileSync(
        join(flows, "hello.yaml"),
        "name: hello\nsteps:\n  greet:\n    flow: sub/greet.yaml\n  count:\n    depends: [greet]\n    run: echo count >> log.txt; echo done\n",
      );
      expect((await aiorch(["run", "hello.yaml"], { cwd: flows })).exitCode).toBe(0);
      expect((await aiorch(["run", "hello.yaml", "--step", "count"], { cwd: flows })).exitCode).toBe(0);
      writeFileSync(join(flows, "sub", "greet.yaml"), "name: greeter\nsteps:\n  say:\n    run: echo Howdy\n");
      const flowEdited = await aiorch(["run", "hello.yaml", "--step", "count"], { cwd: flows });
      expect(flowEdited.exitCode).toBe(2);
      expect(flowEdited.stderr).toContain("the flow file sub/greet.yaml has changed since");
      expect(flowEdited.stderr).not.toContain("hello.yaml has changed");
    },
    SLOW,
  );

  test.concurrent(
    "a secret input is compared by its digest, never shown; the same secret matches",
    async () => {
      const cwd = project("secret", LOGIN);
      const [a, b] = ["tok-1a2b3c4d5e6f", "tok-9z8y7x6w5v4u"];
      expect((await counted(cwd, ["-i", `token=${a}`], { DEPLOY_TOKEN: a })).code).toBe(0);
      expect(readHistory(cwd, (s) => s.listRuns()[0]!.inputs)).toEqual({ token: "***" });
      reset(cwd);
      const other = await aiorch(["run", "hello.yaml", "-i", `token=${b}`, "--step", "count"], {
        cwd,
        env: { DEPLOY_TOKEN: b },
      });
      expect(other.exitCode).toBe(2);
      expect(other.stderr).toContain("(success): input `token` differs (a secret, recorded as ***)\n");
      expect(other.stderr).not.toContain(a);
      expect(other.stderr).not.toContain(b);
      expect(await counted(cwd, ["-i", `token=${a}`, "--step", "count"], { DEPLOY_TOKEN: a })).toEqual({
        code: 0,
        stderr: "",
        count: "count of session-16",
      });
      expect(linesIn(cwd, "log.txt")).toEqual(["count"]);
    },
    SLOW,
  );

  test.concurrent(
    "an empty history says so; a run recorded by an older aiorch is named but only taken with --reuse",
    async () => {
      const cwd = project("legacy");
      const empty = await aiorch(["run", "hello.yaml", "--from", "count"], { cwd });
      expect(empty.exitCode).toBe(2);
      expect(empty.stderr).toContain(
        `error: --from count needs the results of \`greet\` from an earlier run of hello.yaml with the same inputs, and the history has no runs at all (${historyFileIn(cwd)})`,
      );
      expect((await counted(cwd, [])).code).toBe(0);
      const id = runsIn(cwd)[0]!.id;
      const db = new Database(historyFileIn(cwd));
      db.run("UPDATE runs SET file_path = NULL, sources = NULL, inputs_digest = NULL");
      db.close();
      const legacy = await aiorch(["run", "hello.yaml", "--step", "count"], { cwd });
      expect(legacy.exitCode).toBe(2);
      expect(legacy.stderr).toContain(
        `  run ${id} (success): it was recorded by an older aiorch, which kept no file hash or inputs digest\n`,
      );
      expect(legacy.stderr).toContain(`\`--reuse ${id}\``);
      const taken = await counted(cwd, ["--step", "count", "--reuse", id.slice(-4)]);
      expect(taken.code).toBe(0);
      expect(taken.count).toBe("count of Hello, world!");
      expect(taken.stderr).toBe(
        `warning: run ${id} differs from this run; its results are reused anyway (--reuse):\n  it was recorded by an older aiorch, which kept no file hash or inputs digest\n`,
      );
    },
    SLOW,
  );
});

describe("resume of an edited file", () => {
  test.concurrent(
    "still reuses (fixing and resuming is what resume is for), but --step/--from never take the resumed run automatically",
    async () => {
      const cwd = project(
        "resume-edited",
        "name: r\nsteps:\n  a:\n    run: echo A\n  b:\n    depends: [a]\n    run: test -f ok && echo B\n  c:\n    depends: [b]\n    run: echo C\n",
      );
      expect((await aiorch(["run", "hello.yaml"], { cwd })).exitCode).toBe(1);
      const failed = runsIn(cwd)[0]!.id;
      writeFileSync(join(cwd, "ok"), "");
      expect((await aiorch(["resume", failed], { cwd })).exitCode).toBe(0);
      expect(runsIn(cwd)[0]!.reusedUnmatched).toBeNull(); // the file did not change: its results are its own
      expect((await aiorch(["run", "hello.yaml", "--step", "c"], { cwd })).exitCode).toBe(0);

      writeFileSync(
        join(cwd, "hello.yaml"),
        "name: r\nsteps:\n  a:\n    run: echo AA\n  b:\n    depends: [a]\n    run: test -f ok2 && echo B\n  c:\n    depends: [b]\n    run: echo C\n",
      );
      expect((await aiorch(["run", "hello.yaml", "--from", "b"], { cwd })).exitCode).toBe(2);
      // A run of the edited file fails at b; b is fixed and the run resumed: the resumed run holds a result of the file before.
      expect((await aiorch(["run", "hello.yaml"], { cwd })).exitCode).toBe(1);
      const second = runsIn(cwd)[0]!.id;
      writeFileSync(
        join(cwd, "hello.yaml"),
        "name: r\nsteps:\n  a:\n    run: echo AA\n  b:\n    depends: [a]\n    run: test -f ok && echo B\n  c:\n    depends: [b]\n    run: echo C\n",
      );
      expect((await aiorch(["resume", second], { cwd })).exitCode).toBe(0);
      const resumed = runsIn(cwd)[0]!;
      expect(resumed.reusedUnmatched).toBe(second);
      const step = await aiorch(["run", "hello.yaml", "--step", "c"], { cwd });
      expect(step.exitCode).toBe(2);
      expect(step.stderr).toContain(
        `  run ${resumed.id} (success): it reused results of run ${second} that did not match it (--reuse, or a resume of an edited file)\n`,
      );
    },
    SLOW,
  );
});

test.concurrent(
  "resume from another folder finds the file by the absolute path recorded",
  async () => {
    const home = join(scratch("resume-home"), "home");
    const cwd = scratch("resume-here");
    const ok = join(cwd, "ok");
    writeFileSync(
      join(cwd, "p.yaml"),
      `name: r\nsteps:\n  a:\n    run: echo A\n  b:\n    depends: [a]\n    run: test -f ${ok} && echo B\n`,
    );
    expect((await aiorch(["run", "p.yaml"], { cwd, env: { AIORCH_HOME: home } })).exitCode).toBe(1);
    writeFileSync(ok, "");
    const resumed = await aiorch(["resume", "last"], { cwd: scratch("resume-elsewhere"), env: { AIORCH_HOME: home } });
    expect({ code: resumed.exitCode, stderr: resumed.stderr }).toEqual({ code: 0, stderr: "" });
  },
  SLOW,
);

describe("--reuse RUN_ID", () => {
  test.concurrent(
    "takes that run's results even though they differ, with a warning; the new run is never taken automatically",
    async () => {
      const cwd = project("reuse");
      expect((await counted(cwd, ["-i", "name=Zed"])).code).toBe(0);
      const zed = runsIn(cwd)[0]!.id;
      writeFileSync(join(cwd, "hello.yaml"), HELLO.replace("count of", "tally of"));
      reset(cwd);
      const forced = await counted(cwd, ["-i", "name=Amy", "--step", "count", "--reuse", "last"]);
      expect(forced).toEqual({
        code: 0,
        count: "tally of Hello, Zed!",
        stderr: `warning: run ${zed} differs from this run; its results are reused anyway (--reuse):\n  hello.yaml has changed since\n  input \`name\` was "Zed", now "Amy"\n`,
      });
      expect(linesIn(cwd, "log.txt")).toEqual(["count"]);
      const forcedRun = runsIn(cwd)[0]!;
      expect(forcedRun.reusedUnmatched).toBe(zed);
      // Its file and inputs are the current ones, but `greet` came from Zed's run: not reused without --reuse.
      const again = await aiorch(["run", "hello.yaml", "-i", "name=Amy", "--step", "count"], { cwd });
      expect(again.exitCode).toBe(2);
      expect(again.stderr).toContain(
        `  run ${forcedRun.id} (success): it reused results of run ${zed} that did not match it (--reuse, or a resume of an edited file)\n`,
      );
      expect(again.stderr).toContain(
        `  run ${zed} (success): hello.yaml has changed since; input \`name\` was "Zed", now "Amy"\n`,
      );
      // A run that matches in every way: no warning, and not marked.
      const matching = await counted(cwd, ["-i", "name=Zed", "--from", "greet"]);
      expect(matching.code).toBe(0);
      const exact = await counted(cwd, ["-i", "name=Zed", "--step", "count", "--reuse", runsIn(cwd)[0]!.id]);
      expect(exact).toEqual({ code: 0, stderr: "", count: "tally of Hello, Zed!" });
      expect(runsIn(cwd)[0]!.reusedUnmatched).toBeNull();
    },
    SLOW,
  );

  test.concurrent(
    "mistakes are exit 2 with a message: an unknown id, a run without the results, --reuse alone",
    async () => {
      const cwd = project("reuse-mistakes");
      expect((await counted(cwd, [])).code).toBe(0);
      const good = runsIn(cwd)[0]!.id;
      const unknown = await aiorch(["run", "hello.yaml", "--step", "count", "--reuse", "zzzz"], { cwd });
      expect(unknown.exitCode).toBe(2);
      expect(unknown.stderr).toContain('error: --reuse zzzz: no run "zzzz" in the history');
      expect(unknown.stderr).not.toMatch(STACK_TRACE);

      writeFileSync(
        join(cwd, "broken.yaml"),
        "name: hello\nsteps:\n  greet:\n    run: exit 3\n  count:\n    depends: [greet]\n    run: echo never\n",
      );
      expect((await aiorch(["run", "broken.yaml"], { cwd })).exitCode).toBe(1);
      const failed = runsIn(cwd)[0]!.id;
      const lacking = await aiorch(["run", "hello.yaml", "--step", "count", "--reuse", failed], { cwd });
      expect(lacking.exitCode).toBe(2);
      expect(lacking.stderr).toContain(
        `error: --reuse ${failed}: run ${failed} has no result of \`greet\`, which --step count needs: \`greet\` failed\n`,
      );
      expect(lacking.stderr).toContain(`\`aiorch trace ${failed}\` shows this one`);

      writeFileSync(join(cwd, "other.yaml"), "name: other\nsteps:\n  fetch:\n    run: echo x\n");
      expect((await aiorch(["run", "other.yaml"], { cwd })).exitCode).toBe(0);
      const notThere = await aiorch(["run", "hello.yaml", "--step", "count", "--reuse", "last"], { cwd });
      expect(notThere.exitCode).toBe(2);
      expect(notThere.stderr).toContain("`greet` did not run");

      const alone = await aiorch(["run", "hello.yaml", "--reuse", good], { cwd });
      expect(alone.exitCode).toBe(2);
      expect(alone.stderr).toContain(`error: --reuse ${good} needs --step NAME or --from NAME`);
      reset(cwd);
      expect(linesIn(cwd, "log.txt")).toEqual([]);
    },
    SLOW,
  );
});
