import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtBinary } from "./binary.ts";

export const REPO_ROOT = join(import.meta.dir, "..", "..");
const MAIN = join(REPO_ROOT, "src", "main.ts");

/**
 * The aiorch the tests start: the compiled binary (`scripts/build.ts`, built once per test
 * process), which is what users run and starts in a fraction of the time `bun src/main.ts`
 * spends transpiling; with AIORCH_TEST_SOURCES=1, `bun src/main.ts` (no build).
 */
export function aiorchCommand(): string[] {
  return process.env.AIORCH_TEST_SOURCES === "1" ? [process.execPath, MAIN] : [builtBinary()];
}

/** {@link aiorchCommand} as words for a `sh -c` command line. */
export function aiorchShellCommand(): string {
  return aiorchCommand()
    .map((word) => `'${word.replaceAll("'", `'\\''`)}'`)
    .join(" ");
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI ({@link aiorchCommand}) in a child process, with NO_COLOR and a
 * private AIORCH_HOME, and returns what it printed and its exit code.
 */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = Bun.spawnSync([...aiorchCommand(), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", AIORCH_HOME: tempDir("home"), ...options.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `aiorch-test-${label}-`));
}
