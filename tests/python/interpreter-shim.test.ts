/**
 * python3 behind a version-manager shim (pyenv, asdf): the real interpreter is asked once and
 * remembered in $AIORCH_HOME, so workers start without the shim's cost; a changed shim (or
 * PATH, or folder) is asked again.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, scratch, SLOW } from "../run/harness.ts";

afterAll(removeScratch);

const real = Bun.which("python3");
const dir = scratch("shim");
const shim = join(dir, "python3");
const log = join(dir, "shim.log");
writeFileSync(shim, `#!/bin/sh\necho called >> '${log}'\nexec '${real}' "$@"\n`);
chmodSync(shim, 0o755);
const calls = () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0);

describe.skipIf(!real)("a python3 shim", () => {
  test(
    "is asked for the real interpreter once; later runs start workers without it",
    async () => {
      const home = join(dir, "home");
      const env = { AIORCH_PYTHON: shim, AIORCH_HOME: home };
      const files = {
        "p.yaml": "name: one\nsteps:\n  p:\n    python: |\n      import sys\n      result = sys.executable\n",
      };
      const first = await aiorch(["run", "p.yaml", "--format", "json", "--no-history"], { cwd: dir, env, files });
      expect(first.exitCode).toBe(0);
      expect((JSON.parse(first.stdout) as { outputs: { p: string } }).outputs.p).not.toBe(shim);
      expect(calls()).toBe(1);
      const second = await aiorch(["run", "p.yaml", "--format", "json", "--no-history"], { cwd: dir, env });
      expect(second.exitCode).toBe(0);
      expect(calls()).toBe(1);
      // A changed shim is asked again.
      utimesSync(shim, new Date(), new Date(Date.now() + 5_000));
      expect((await aiorch(["run", "p.yaml", "--no-history"], { cwd: dir, env })).exitCode).toBe(0);
      expect(calls()).toBe(2);
    },
    SLOW,
  );
});
