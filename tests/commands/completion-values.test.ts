/**
 * Completion of step names (`run --step/--from`, `explain FILE STEP`) and run ids (`trace`,
 * `resume`, `history`), issue 13 item 12: the hidden `aiorch __complete steps|runs` that
 * the scripts call, and the generated bash script run by real bash the way bash runs it
 * (COMP_WORDS/COMP_CWORD, the function, COMPREPLY), with `aiorch` on PATH. zsh and fish are
 * checked by their text (and by the shell when installed).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HistoryStore } from "../../src/history/index.ts";
import { aiorchShellCommand, runCli, tempDir as newTempDir } from "../helpers/cli.ts";

const made: string[] = [];
const tempDir = (label: string) => {
  const d = newTempDir(label);
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PIPELINE = `
name: etl
steps:
  fetch-data:
    run: echo a
  parse_rows:
    depends: [fetch-data]
    run: echo b
  publish:
    depends: [parse_rows]
    run: echo c
    on_failure: alert
  alert:
    run: echo alert
`;

/** Runs of the default history, newest first; and of the history a config's storage.path names. */
const RUNS = ["20261206-201808-5735", "20261206-201808-a1b2", "20261205-090000-0f0f"];
const OTHER_RUN = "20261101-120000-beef";

let home: string;
let work: string;
let bin: string;
let otherConfig: string;

function seed(file: string, runs: string[]): void {
  const store = HistoryStore.open(file);
  try {
    runs.forEach((id, i) => {
      store.startRun({
        id,
        pipeline: "etl",
        file: "/x/p.yaml",
        inputs: {},
        pid: 1,
        startedAt: Date.UTC(2026, 11, 6) - i * 60_000,
      });
      store.finishRun(id, "failed", 0, Date.UTC(2026, 11, 6) - i * 60_000 + 1000);
    });
  } finally {
    store.close();
  }
}

beforeAll(() => {
  home = tempDir("complete-home");
  work = tempDir("complete-work");
  bin = tempDir("complete-bin");
  writeFileSync(join(work, "p.yaml"), PIPELINE);
  mkdirSync(join(work, "here"));
  writeFileSync(join(work, "here", "Aiorch.yaml"), "name: local\nsteps:\n  only_one:\n    run: echo\n");
  writeFileSync(join(work, "broken.yaml"), "steps: [unclosed\n");
  seed(join(home, "history.db"), RUNS);
  otherConfig = join(work, "other.yaml");
  writeFileSync(otherConfig, `storage:\n  path: ${join(work, "other.db")}\n`);
  seed(join(work, "other.db"), [OTHER_RUN]);
  // The scripts call `aiorch` by name, as an installed one would be.
  writeFileSync(join(bin, "aiorch"), `#!/bin/sh\nexec ${aiorchShellCommand()} "$@"\n`);
  chmodSync(join(bin, "aiorch"), 0o755);
  writeFileSync(join(work, "aiorch.bash"), runCli(["completion", "bash"]).stdout);
});

const complete = (args: string[], cwd = work) => runCli(["__complete", ...args], { cwd, env: { AIORCH_HOME: home } });

describe("aiorch __complete", () => {
  test("steps FILE: the step names in file order; none given: the pipeline of the current folder", () => {
    expect(complete(["steps", "p.yaml"])).toEqual({
      exitCode: 0,
      stdout: "fetch-data\nparse_rows\npublish\nalert\n",
      stderr: "",
    });
    expect(complete(["steps"], join(work, "here")).stdout).toBe("only_one\n");
  });

  test("runs: the ids newest first, a tab, pipeline and status; --config picks another history", () => {
    expect(complete(["runs"])).toEqual({
      exitCode: 0,
      stdout: RUNS.map((id) => `${id}\tetl failed\n`).join(""),
      stderr: "",
    });
    expect(complete(["runs", "--config", otherConfig]).stdout).toBe(`${OTHER_RUN}\tetl failed\n`);
  });

  test("never fails noisily: a missing or broken file, no pipeline here, no history, an unknown kind", () => {
    const empty = tempDir("complete-empty");
    for (const [args, cwd] of [
      [["steps", "missing.yaml"], work],
      [["steps", "broken.yaml"], work],
      [["steps"], empty],
      [["runs"], empty],
      [["what"], work],
    ] as const) {
      const r = runCli(["__complete", ...args], { cwd, env: { AIORCH_HOME: empty } });
      expect({ args, r }).toEqual({ args, r: { exitCode: 0, stdout: "", stderr: "" } });
    }
  });

  test("is hidden: not in the help, not among the completed commands", () => {
    expect(runCli(["--help"]).stdout).not.toContain("__complete");
    expect(runCli(["completion", "bash"]).stdout).not.toMatch(/compgen -W '[^']*__complete/);
  });
});

/** What bash's completion function offers for these words (the one at `cword` being completed; default the last), with `aiorch` on PATH. */
function bashComplete(words: string[], cwd = work, cword = words.length - 1): string[] {
  const script = [
    `source ${JSON.stringify(join(work, "aiorch.bash"))}`,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})`,
    `COMP_CWORD=${cword}`,
    "_aiorch",
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join("\n");
  const r = Bun.spawnSync(["bash", "-c", script], {
    cwd,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, AIORCH_HOME: home },
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(r.stderr.toString()).toBe("");
  return r.stdout.toString().split("\n").filter(Boolean);
}

describe("bash completes step names", () => {
  test("after --step and --from, from the pipeline file on the line (wherever it is)", () => {
    expect(bashComplete(["aiorch", "run", "p.yaml", "--step", ""]).sort()).toEqual([
      "alert",
      "fetch-data",
      "parse_rows",
      "publish",
    ]);
    expect(bashComplete(["aiorch", "run", "p.yaml", "--from", "p"])).toEqual(["parse_rows", "publish"]);
    // The cursor on `fe`, the file after it.
    expect(bashComplete(["aiorch", "run", "-i", "n=1", "--step", "fe", "p.yaml"], work, 5)).toEqual(["fetch-data"]);
    expect(bashComplete(["aiorch", "run", "-i", "n=1", "p.yaml", "--from", "fe"])).toEqual(["fetch-data"]);
  });

  test("without a file: the pipeline of the current folder", () => {
    expect(bashComplete(["aiorch", "run", "--step", ""], join(work, "here"))).toEqual(["only_one"]);
  });

  test("explain FILE STEP: the steps of FILE at the second place", () => {
    expect(bashComplete(["aiorch", "explain", "p.yaml", "pu"])).toEqual(["publish"]);
    expect(bashComplete(["aiorch", "explain", "--format", "json", "p.yaml", ""]).sort()).toEqual([
      "alert",
      "fetch-data",
      "parse_rows",
      "publish",
    ]);
  });

  test("a file that is not a pipeline offers nothing, silently", () => {
    expect(bashComplete(["aiorch", "run", "broken.yaml", "--step", ""])).toEqual([]);
  });
});

describe("bash completes run ids", () => {
  test("trace, resume and history: the ids newest first, then last (and prune for history)", () => {
    expect(bashComplete(["aiorch", "trace", ""])).toEqual([...RUNS, "last"]);
    expect(bashComplete(["aiorch", "resume", "2026120"])).toEqual(RUNS);
    expect(bashComplete(["aiorch", "history", ""])).toEqual([...RUNS, "last", "prune"]);
    expect(bashComplete(["aiorch", "history", "l"])).toEqual(["last"]);
  });

  test("run --reuse: the ids newest first, then last", () => {
    expect(bashComplete(["aiorch", "run", "p.yaml", "--step", "publish", "--reuse", ""])).toEqual([...RUNS, "last"]);
    expect(bashComplete(["aiorch", "run", "--reuse", "5735", "p.yaml"], work, 3)).toEqual(["20261206-201808-5735"]);
  });

  test("a word no id starts with completes to the ids that hold it (the random end)", () => {
    expect(bashComplete(["aiorch", "trace", "5735"])).toEqual(["20261206-201808-5735"]);
    expect(bashComplete(["aiorch", "resume", "0f0"])).toEqual(["20261205-090000-0f0f"]);
    expect(bashComplete(["aiorch", "trace", "zzzz"])).toEqual([]);
  });

  test("with -c/--config on the line, from the history that config names", () => {
    expect(bashComplete(["aiorch", "trace", "-c", otherConfig, ""])).toEqual([OTHER_RUN, "last"]);
    expect(bashComplete(["aiorch", "resume", "--config", otherConfig, "be"])).toEqual([OTHER_RUN]);
  });

  test("is registered for aiorch (complete -p)", () => {
    const r = Bun.spawnSync(["bash", "-c", `source ${JSON.stringify(join(work, "aiorch.bash"))}; complete -p aiorch`], {
      stdout: "pipe",
    });
    expect(r.stdout.toString().trim()).toBe("complete -o default -F _aiorch aiorch");
  });
});

describe("zsh and fish call the same values", () => {
  const zsh = runCli(["completion", "zsh"]).stdout;
  const fish = runCli(["completion", "fish"]).stdout;

  test("zsh: --step/--from and explain's STEP complete with _aiorch_steps, run ids with _aiorch_runs", () => {
    expect(zsh).toContain("'--step=[Run only this step]:NAME:_aiorch_steps'");
    expect(zsh).toContain("'--from=[Run this step and everything downstream of it]:NAME:_aiorch_steps'");
    expect(zsh).toContain("'2:Step name:_aiorch_steps'");
    expect(zsh).toMatch(/\(trace\)\n {6}_arguments[^;]*'1:[^']*:_aiorch_runs last'/);
    expect(zsh).toMatch(/\(history\)\n {6}_arguments[^;]*'1:[^']*:_aiorch_runs last prune'/);
    expect(zsh).toContain("'--reuse=[The run whose results --step/--from reuse]:RUN_ID:_aiorch_runs last'");
    expect(zsh).toContain('aiorch __complete steps ${file:+"$file"} 2>/dev/null');
    expect(zsh).toContain("aiorch __complete runs $config 2>/dev/null");
    if (Bun.which("zsh")) {
      const file = join(tempDir("zsh"), "_aiorch");
      writeFileSync(file, zsh);
      expect(Bun.spawnSync(["zsh", "-n", file]).exitCode).toBe(0);
    }
  });

  test("fish: the same through __aiorch_steps and __aiorch_runs", () => {
    expect(fish).toContain(
      "complete -c aiorch -n '__fish_seen_subcommand_from run' -l step -x -a '(__aiorch_steps)' -d 'Run only this step'",
    );
    expect(fish).toContain("complete -c aiorch -n '__fish_seen_subcommand_from trace' -x -a '(__aiorch_runs) last'");
    expect(fish).toContain(
      "complete -c aiorch -n '__fish_seen_subcommand_from history' -x -a '(__aiorch_runs) last prune'",
    );
    expect(fish).toContain(
      "complete -c aiorch -n '__fish_seen_subcommand_from run' -l reuse -x -a '(__aiorch_runs) last' -d 'The run whose results --step/--from reuse'",
    );
    expect(fish).toContain("complete -c aiorch -n '__fish_seen_subcommand_from explain' -x -a '(__aiorch_steps)'");
    expect(fish).toContain("aiorch __complete steps $file 2>/dev/null");
    if (Bun.which("fish")) {
      const file = join(tempDir("fish"), "aiorch.fish");
      writeFileSync(file, fish);
      expect(Bun.spawnSync(["fish", "-n", file]).exitCode).toBe(0);
    }
  });
});
