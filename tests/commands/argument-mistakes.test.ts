/** Command-line mistakes are errors with the fix (exit 2), never silently ignored. */
import { describe, expect, test } from "bun:test";
import { runCli, tempDir } from "../helpers/cli.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = tempDir("args");
writeFileSync(join(dir, "p.yaml"), "name: t\ninput:\n  n: 1\nsteps:\n  x:\n    run: echo {{ n }}\n");

describe("arguments a command has no place for", () => {
  test("a forgotten -i: `run p.yaml n=5` says to write -i n=5, and runs nothing", () => {
    const r = runCli(["run", "p.yaml", "n=5"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unexpected argument `n=5` for `aiorch run`: inputs are given with -i");
    expect(r.stderr).toContain("hint: write `-i n=5`");
    expect(r.stdout).toBe("");
  });

  test("any other extra argument is named", () => {
    const r = runCli(["run", "p.yaml", "-i", "n=5", "extra", "--no-history"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unexpected argument `extra` for `aiorch run`");
    expect(runCli(["run", "p.yaml", "-i", "n=5", "--no-history"], { cwd: dir }).exitCode).toBe(0);
  });

  test("`help nosuch` exits 2 with a did-you-mean", () => {
    const r = runCli(["help", "histroy"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown command `histroy` (did you mean `history`?)");
    expect(runCli(["help", "run"]).exitCode).toBe(0);
  });
});

describe("help as a reader sees it", () => {
  test("piped: no colour codes, the usage line starts with aiorch, one-letter options are -i <VALUE>", () => {
    const r = runCli(["run", "--help"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain("\x1b[");
    expect(r.stdout).toContain("USAGE aiorch run [OPTIONS] [FILE]");
    expect(r.stdout).toContain("-i <KEY=VALUE>");
    expect(r.stdout).not.toContain("--i=");
    expect(runCli(["help", "trace"]).stdout).toContain("USAGE aiorch trace");
  });
});

describe("a value that starts with a dash", () => {
  test("`history --limit -5` is judged as the value of --limit, not as an unknown option -5", () => {
    const r = runCli(["history", "--limit", "-5"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--limit must be a whole number of at least 1, got "-5"');
    expect(r.stderr).not.toContain("unknown option");
    // An unknown option elsewhere on the line is still refused.
    const unknown = runCli(["history", "--limit", "5", "-z"], { cwd: dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown option `-z`");
  });
});
