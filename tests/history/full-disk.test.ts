/**
 * A full disk under the history: the run goes on, its steps and statuses are recorded with
 * large values replaced by a note, and the end says the disk is full (exit 2). Needs root
 * to mount a small tmpfs (as CI and this project's machines run); skipped elsewhere.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";

const base = mkdtempSync(join(tmpdir(), "aiorch-fulldisk-"));
const home = join(base, "home");
mkdirSync(home);
const mounted =
  process.getuid?.() === 0 &&
  Bun.which("mount") !== null &&
  Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", home]).exitCode === 0;

afterAll(() => {
  if (mounted) Bun.spawnSync(["umount", home]);
  rmSync(base, { recursive: true, force: true });
});

describe.skipIf(!mounted)("a full disk under the history", () => {
  test("the run's steps and status are kept; the large result is a note; the end says the disk is full", async () => {
    const pipeline = join(base, "p.yaml");
    await Bun.write(
      pipeline,
      "name: filler\nsteps:\n  a:\n    run: echo first\n  b:\n    depends: [a]\n    python: |\n      result = 'x' * 400000\n  c:\n    depends: [b]\n    run: echo third\n",
    );
    const env = { AIORCH_HOME: home };
    const run = runCli(["run", pipeline], { env });
    expect(run.stdout).toContain("filler succeeded");
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      "is full: the run's steps and statuses are recorded, but large results, inputs and logs were replaced by a note",
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
    const history = JSON.parse(runCli(["history", "--format", "json"], { env }).stdout) as Array<{ status: string }>;
    expect(history[0]?.status).toBe("success");
    const trace = runCli(["trace", "last", "--format", "json"], { env });
    expect(trace.stdout).toContain("third");
    expect(trace.stdout).toContain("not recorded: the disk holding the history was full");
  });
});
