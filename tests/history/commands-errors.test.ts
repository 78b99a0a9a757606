/**
 * Every way `history`, `history prune` and `trace` can be asked something wrong: each prints
 * `error: …` and `hint: …` on stderr, nothing on stdout, exits 2, and never a stack trace.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aiorchCommand, REPO_ROOT, type CliResult } from "../helpers/cli.ts";
import { FAILED_RUN, STACK_LINE, aiorch, seedAll, seedFailedRun, tempHome, withStore } from "./commands-seed.ts";
import { removeTempDirs } from "./helpers.ts";

afterAll(removeTempDirs);

let home: string;
beforeAll(async () => {
  home = tempHome("errors");
  await seedAll(home);
});

/**
 * A usage error as docs/cli.md#exit-codes wants it; returns the message line (after `error: `) and the hint.
 * `json` (`--format json`): stdout holds the same message as an `error` document.
 */
function refused(result: CliResult, json = false): { message: string; hint: string } {
  expect(result.exitCode).toBe(2);
  if (!json) expect(result.stdout).toBe("");
  else {
    const { error } = JSON.parse(result.stdout) as {
      error: { kind: string; message: string; hint: string; exit_code: number };
    };
    expect(error).toMatchObject({ kind: "user_error", exit_code: 2 });
    expect(result.stderr).toBe(`error: ${error.message}\n  hint: ${error.hint}\n`);
  }
  expect(result.stderr).toStartWith("error: ");
  expect(result.stderr).toContain("\n  hint: ");
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).not.toContain("internal error");
  const hintAt = result.stderr.indexOf("\n  hint: ");
  return {
    message: result.stderr.slice("error: ".length, hintAt),
    hint: result.stderr.slice(hintAt + "\n  hint: ".length).trimEnd(),
  };
}

describe("run ids", () => {
  test("an unknown id: named, with the closest ids as a suggestion (history RUN_ID and trace)", () => {
    for (const command of ["history", "trace"]) {
      const { message, hint } = refused(aiorch(home, [command, "20240305-093000-aaab"]));
      expect(message).toBe(`no run "20240305-093000-aaab" in the history (${join(home, "history.db")})`);
      expect(hint).toBe("did you mean 20240305-093000-aaaa?");
    }
    expect(refused(aiorch(home, ["trace", "nothing-like-it"])).hint).toBe("`aiorch history` lists the recent runs");
  });

  test("an ambiguous prefix lists the runs it matches", () => {
    for (const command of ["history", "trace"]) {
      const { message, hint } = refused(aiorch(home, [command, "2024030"]));
      expect(message).toStartWith('run "2024030" matches several runs:\n');
      for (const id of ["20240305-093000-aaaa", "20240306-093000-bbbb", "20240307-093000-cccc", "20240308-093000-dddd"])
        expect(message).toContain(`  ${id}  `);
      expect(hint).toStartWith("give more characters of the run id");
    }
  });

  test("no database yet: the run is not there, and the message says nothing was recorded (no file is created)", () => {
    const empty = tempHome("errors-empty");
    for (const command of ["history", "trace"]) {
      const { message, hint } = refused(aiorch(empty, [command, FAILED_RUN]));
      expect(message).toBe(
        `no run "${FAILED_RUN}": no runs recorded yet (${join(empty, "history.db")} does not exist)`,
      );
      expect(hint).toContain("AIORCH_HOME");
    }
  });

  test("trace without a run id", () => {
    expect(refused(aiorch(home, ["trace"])).message).toContain("RUN_ID");
  });
});

describe("options of history", () => {
  test.each([["0"], ["ten"], ["1.5"], [""]])("--limit %p", (value) => {
    const { message, hint } = refused(aiorch(home, ["history", `--limit=${value}`]));
    expect(message).toBe(`--limit must be a whole number of at least 1, got ${JSON.stringify(value)}`);
    expect(hint).toBe("e.g. --limit 50");
  });

  test("--limit without a value", () => {
    expect(refused(aiorch(home, ["history", "--limit"])).message).toStartWith("--limit must be a whole number");
  });

  test("--status that is not a status, with a suggestion", () => {
    const { message, hint } = refused(aiorch(home, ["history", "--status", "faild"]));
    expect(message).toBe('unknown status "faild" for --status (did you mean `failed`?)');
    expect(hint).toBe("use one of running, success, failed, cancelled, crashed");
    expect(refused(aiorch(home, ["history", "--status", "done"])).message).toBe('unknown status "done" for --status');
  });

  test("options of another form of the command are refused, not ignored", () => {
    expect(refused(aiorch(home, ["history", "--keep", "3"])).message).toBe("--keep does not apply to `aiorch history`");
    expect(refused(aiorch(home, ["history", "--older-than", "3d"])).message).toBe(
      "--older-than does not apply to `aiorch history`",
    );
    expect(refused(aiorch(home, ["history", FAILED_RUN, "--limit", "3"])).message).toBe(
      "--limit does not apply to `aiorch history RUN_ID`",
    );
    expect(refused(aiorch(home, ["history", "prune", "--keep", "1", "--status", "failed"])).message).toBe(
      "--status does not apply to `aiorch history prune`",
    );
    expect(refused(aiorch(home, ["history", FAILED_RUN, "extra"])).message).toBe(
      "unexpected argument `extra` for `aiorch history`",
    );
    expect(refused(aiorch(home, ["history", "--verbose"])).message).toStartWith(
      "unknown option `--verbose` for `aiorch history`",
    );
  });
});

describe("arguments of history prune", () => {
  const usage =
    "e.g. `aiorch history prune --older-than 30d` or `aiorch history prune --keep 100` (both together: runs that match both)";

  test("neither --older-than nor --keep", () => {
    const { message, hint } = refused(aiorch(home, ["history", "prune"]));
    expect(message).toBe("`aiorch history prune` needs --older-than AGE and/or --keep N to know which runs to delete");
    expect(hint).toBe(usage);
  });

  test.each([["banana"], ["30"], ["-1d"], ["3 days"]])("--older-than %p", (value) => {
    const { message, hint } = refused(aiorch(home, ["history", "prune", `--older-than=${value}`]));
    expect(message).toBe(`--older-than must be an age such as 30d, 2w, 12h or 90m, got ${JSON.stringify(value)}`);
    expect(hint).toBe(usage);
  });

  test.each([["-1"], ["1.5"], ["many"]])("--keep %p", (value) => {
    const { message, hint } = refused(aiorch(home, ["history", "prune", `--keep=${value}`]));
    expect(message).toBe(`--keep must be a whole number of 0 or more, got ${JSON.stringify(value)}`);
    expect(hint).toBe(usage);
  });

  test("--keep -1 (a separate word that looks like an option): judged as the value of --keep", () => {
    expect(refused(aiorch(home, ["history", "prune", "--keep", "-1"])).message).toBe(
      '--keep must be a whole number of 0 or more, got "-1"',
    );
  });

  test("bad arguments delete nothing", () => {
    expect(JSON.parse(aiorch(home, ["history", "--format", "json"]).stdout)).toHaveLength(4);
  });
});

describe("a database that is not one", () => {
  test("every command refuses it with its path and a way out, and leaves it as it was", () => {
    const broken = tempHome("errors-corrupt");
    const garbage = "this is not a database\n".repeat(100);
    writeFileSync(join(broken, "history.db"), garbage);
    for (const args of [
      ["history"],
      ["history", "--format", "json"],
      ["history", FAILED_RUN],
      ["trace", FAILED_RUN],
      ["history", "prune", "--keep", "1"],
    ]) {
      const { message, hint } = refused(aiorch(broken, args), args.includes("json"));
      expect(message).toContain(`history database ${join(broken, "history.db")} is not a SQLite database`);
      expect(hint).toContain(`mv "${join(broken, "history.db")}"`);
    }
    expect(readFileSync(join(broken, "history.db"), "utf8")).toBe(garbage);
  });
});

/** Root writes anywhere: then the unwritable case runs the CLI as `nobody`. */
const AS_NOBODY = process.getuid?.() === 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];

/**
 * The CLI as `nobody`: the tests' aiorch (`aiorchCommand`) when nobody can read it, else a
 * compiled executable in a folder anyone can read (a clone in a private folder).
 */
function cliAsNobody(): string[] {
  const main = join(REPO_ROOT, "src", "main.ts");
  const command = aiorchCommand();
  const reachable =
    Bun.spawnSync([...AS_NOBODY, "sh", "-c", 'test -x "$0" && test -r "${1:-$0}"', ...command]).exitCode === 0;
  if (reachable) return [...AS_NOBODY, ...command];
  const dir = mkdtempSync(join(tmpdir(), "aiorch-cli-nobody-"));
  chmodSync(dir, 0o755);
  const binary = join(dir, "aiorch");
  const built = Bun.spawnSync([process.execPath, "build", main, "--compile", "--outfile", binary], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if (built.exitCode !== 0) throw new Error(`could not build the CLI: ${built.stderr.toString()}`);
  chmodSync(binary, 0o755);
  return [...AS_NOBODY, binary];
}

describe("a database aiorch may read but not write", () => {
  test("prune refuses it (exit 2, what to make writable) and deletes nothing", () => {
    const parent = tempHome("errors-readonly");
    const folder = join(parent, "home");
    mkdirSync(folder);
    withStore(folder, seedFailedRun);
    chmodSync(parent, 0o755);
    chmodSync(folder, 0o555);
    chmodSync(join(folder, "history.db"), 0o444);
    const run = (args: string[]): CliResult => {
      const result = Bun.spawnSync([...(AS_NOBODY.length ? cliAsNobody() : aiorchCommand()), ...args], {
        cwd: folder,
        env: { ...process.env, NO_COLOR: "1", TZ: "UTC", AIORCH_HOME: folder, HOME: folder },
        stdout: "pipe",
        stderr: "pipe",
      });
      return { exitCode: result.exitCode ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
    };
    try {
      const { message, hint } = refused(run(["history", "prune", "--keep", "0"]));
      expect(message).toContain(`cannot write the history database ${join(folder, "history.db")}`);
      expect(hint).toContain("writable");
      expect(refused(run(["history", "prune", "--older-than", "1d", "--format", "json"]), true).message).toContain(
        "cannot write the history database",
      );
    } finally {
      chmodSync(folder, 0o755);
      chmodSync(join(folder, "history.db"), 0o644);
    }
    const listed = aiorch(folder, ["history", "--format", "json"]);
    expect((JSON.parse(listed.stdout) as { run_id: string }[]).map((r) => r.run_id)).toEqual([FAILED_RUN]);
  });
});
