/**
 * A history on a read-only disk (a mounted backup, a read-only container layer) can still
 * be read: `history`, `trace` and `cache stats` open it as it is on disk. Needs root to
 * bind-mount a folder read-only (as CI and this project's machines run); skipped elsewhere.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";

const base = mkdtempSync(join(tmpdir(), "aiorch-rodisk-"));
const home = join(base, "home");
const mounted = join(base, "ro");
mkdirSync(home);
mkdirSync(mounted);

function bindReadonly(): boolean {
  if (process.getuid?.() !== 0 || !Bun.which("mount")) return false;
  const bind = Bun.spawnSync(["mount", "--bind", home, mounted]);
  if (bind.exitCode !== 0) return false;
  const ro = Bun.spawnSync(["mount", "-o", "remount,ro,bind", mounted]);
  if (ro.exitCode === 0) return true;
  Bun.spawnSync(["umount", mounted]);
  return false;
}

const pipeline = join(base, "p.yaml");
await Bun.write(pipeline, "name: ro-read\nsteps:\n  hello:\n    run: echo hello\n");
const first = runCli(["run", pipeline, "--format", "json"], { env: { AIORCH_HOME: home } });
const runId = (JSON.parse(first.stdout) as { run_id: string }).run_id;
const canMount = first.exitCode === 0 && bindReadonly();

afterAll(() => {
  if (canMount) Bun.spawnSync(["umount", mounted]);
  rmSync(base, { recursive: true, force: true });
});

describe.skipIf(!canMount)("a history on a read-only disk", () => {
  test("history, trace and cache stats read it; nothing is written next to it", () => {
    const env = { AIORCH_HOME: mounted };
    const list = runCli(["history", "--format", "json"], { env });
    expect(list.stderr).toBe("");
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain(runId);
    const trace = runCli(["trace", runId], { env });
    expect(trace.exitCode).toBe(0);
    expect(trace.stdout).toContain("hello");
    expect(runCli(["cache", "stats"], { env }).exitCode).toBe(0);
  });

  test("a run there says the history cannot be written (exit 2), without a stack trace", () => {
    const r = runCli(["run", pipeline], { env: { AIORCH_HOME: mounted } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("history");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
