import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO_ROOT = join(import.meta.dir, "..", "..");

let built: string | undefined;
/** The folder of a binary built here (not one given by AIORCH_TEST_BINARY). */
let ownFolder: string | undefined;

/**
 * The compiled aiorch (`scripts/build.ts`), built once per test process into a temporary
 * folder that any user may read (the tests run it as `nobody` too): what the end-to-end
 * tests start (`aiorchCommand` in cli.ts) and what users run. A build that exits non-zero
 * or reports an error on stderr fails the test that asked for it. AIORCH_TEST_BINARY names
 * one built already, to start instead.
 */
export function builtBinary(): string {
  if (built && existsSync(built)) return built;
  // Built already by the caller (scripts/test.ts builds one for all its test processes).
  const given = process.env.AIORCH_TEST_BINARY;
  if (given) {
    if (!existsSync(given)) throw new Error(`AIORCH_TEST_BINARY=${given}: no such file`);
    return (built = given);
  }
  const outdir = mkdtempSync(join(tmpdir(), "aiorch-bin-"));
  chmodSync(outdir, 0o755);
  const build = Bun.spawnSync([process.execPath, join(REPO_ROOT, "scripts/build.ts"), "--outdir", outdir], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const stderr = build.stderr.toString();
  if (build.exitCode !== 0 || stderr.includes("error")) throw new Error(`build failed:\n${stderr}`);
  ownFolder = outdir;
  return (built = join(outdir, "aiorch"));
}

/**
 * Removes the binary built by this test process (116 MB), once all its test files ran: the
 * global `afterAll` of tests/helpers/test-process.ts (bunfig.toml's preload) calls it, since
 * `bun test` ends without an `exit` event.
 */
export function removeBuiltBinary(): void {
  if (ownFolder) rmSync(ownFolder, { recursive: true, force: true });
  ownFolder = built = undefined;
}

export interface PtyOutcome {
  exitCode: number;
  /** Everything the command wrote to the terminal, escape sequences included. */
  raw: string;
}

/**
 * Runs `command` in a pseudo-terminal (python3's `pty`), `cols` wide; with `interruptAfter`,
 * types Ctrl-C once the output holds that text.
 */
export async function inPty(
  command: string[],
  options: { cwd: string; env: Record<string, string>; cols?: number; interruptAfter?: string },
): Promise<PtyOutcome> {
  const flags = [
    ...(options.cols ? ["--cols", String(options.cols)] : []),
    ...(options.interruptAfter ? ["--interrupt-after", options.interruptAfter] : []),
  ];
  const child = Bun.spawn(["python3", join(import.meta.dir, "pty-run.py"), ...flags, "--", ...command], {
    cwd: options.cwd,
    env: options.env,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [raw, , exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, raw };
}
