/**
 * A sandbox for running rendered `run:` commands in real shells. The shells run with a
 * PATH whose first entry holds stub `rm`, `id`, `touch`, `pwn`, … that only log to a
 * canary file, so a quoting bug shows up as a log line instead of running `rm -rf /`.
 * The cwd is an empty temp dir that must stay empty.
 */
import { expect } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A sandbox; call `cleanup` in `afterAll`. */
export interface ShellSandbox {
  /** The sandbox's own temp dir (scratch dirs for commands that may write files go under it). */
  readonly base: string;
  /** `/bin/sh`, bash and `bash --posix` (when bash is installed): a command line, split at spaces. */
  readonly shells: readonly string[];
  readonly env: Record<string, string>;
  /**
   * Runs `command` in every shell; asserts exit 0, exact stdout bytes, and that nothing else
   * ran. A command that passed with the same expected output is not run again: it runs in
   * the same empty folder with the same environment, so it would do the same.
   */
  expectRuns(command: string, expected: string): void;
  /** Runs `command` in `shell` (in `cwd`, default the empty work dir); returns what the stubs logged. */
  stubsRun(shell: string, command: string, cwd?: string): string;
  /** What the stubs logged since it was last read (by this or `stubsRun`), emptied: for commands run by other means. */
  canary(): string;
  cleanup(): void;
}

/** Creates the stubs and directories of a new sandbox. */
export function shellSandbox(): ShellSandbox {
  const base = mkdtempSync(join(tmpdir(), "aiorch-hostile-"));
  const bin = join(base, "bin");
  const cwd = join(base, "work");
  const canary = join(base, "canary.log");
  mkdirSync(bin);
  mkdirSync(cwd);
  for (const name of ["rm", "id", "touch", "pwn", "whoami", "curl", "sh", "bash", "echo"]) {
    writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "ran ${name} $*" >> '${canary}'\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const bash = Bun.which("bash");
  const shells = ["/bin/sh", ...(bash ? [bash, `${bash} --posix`] : [])];
  const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: "/home/EXPANDED-HOME", LC_ALL: "C.UTF-8" };
  const passed = new Set<string>();
  const takeCanary = () => {
    const ran = existsSync(canary) ? readFileSync(canary, "utf8") : "";
    rmSync(canary, { force: true });
    return ran;
  };
  return {
    base,
    shells,
    env,
    expectRuns(command, expected) {
      if (passed.has(`${command}\0${expected}`)) return;
      for (const shell of shells) {
        const proc = Bun.spawnSync([...shell.split(" "), "-c", command], { cwd, env, stdout: "pipe", stderr: "pipe" });
        const ran = takeCanary();
        expect({
          shell,
          ran,
          files: readdirSync(cwd),
          stderr: proc.stderr.toString(),
          exitCode: proc.exitCode,
        }).toEqual({
          shell,
          ran: "",
          files: [],
          stderr: "",
          exitCode: 0,
        });
        expect({ shell, stdout: proc.stdout.toString("utf8") }).toEqual({ shell, stdout: expected });
        expect(Buffer.from(proc.stdout).equals(Buffer.from(expected, "utf8"))).toBe(true); // bytes, not just UTF-16
      }
      passed.add(`${command}\0${expected}`);
    },
    stubsRun(shell, command, dir = cwd) {
      Bun.spawnSync([...shell.split(" "), "-c", command], {
        cwd: dir,
        env,
        stdin: "ignore",
        stdout: "ignore",
        stderr: "ignore",
        timeout: 5000,
      });
      return takeCanary();
    },
    canary: takeCanary,
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Seeded PRNG (mulberry32) so random corpora are the same on every run. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
