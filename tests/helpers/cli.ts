import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dir, "..", "..");
const MAIN = join(REPO_ROOT, "src", "main.ts");

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI entry point (`bun src/main.ts …`) in a child process, with NO_COLOR
 * and a private AIORCH_HOME, and returns what it printed and its exit code.
 */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = Bun.spawnSync([process.execPath, MAIN, ...args], {
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
