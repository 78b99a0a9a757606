import { StepFailure } from "../step-failure.ts";

export { maxOutputBytes } from "../../model/output-limit.ts";

export interface ShellRun {
  command: string;
  env: Record<string, string>;
  cwd: string;
  signal: AbortSignal;
  maxOutput: number;
}

export interface ShellOutcome {
  stdout: string;
  stderr: string;
}

/** The shell used for run: steps: /bin/sh, or on Windows `sh` from PATH, else cmd.exe. */
function shellArgv(command: string): string[] {
  if (process.platform !== "win32") return ["/bin/sh", "-c", command];
  const sh = Bun.which("sh");
  return sh ? [sh, "-c", command] : ["cmd.exe", "/d", "/s", "/c", command];
}

/** Keeps the last `limit` bytes of a stream (stderr: only its tail matters). */
async function readTail(stream: ReadableStream<Uint8Array>, limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.byteLength;
    while (size - (chunks[0]?.byteLength ?? 0) >= limit && chunks.length > 1) size -= chunks.shift()!.byteLength;
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads all of stdout, failing as soon as it exceeds `limit` bytes. */
async function readCapped(stream: ReadableStream<Uint8Array>, limit: number, onOverflow: () => void): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > limit) {
      onOverflow();
      throw new StepFailure(`the command printed more than ${limit} bytes; raise AIORCH_MAX_OUTPUT or write large output to a file (save: or a redirect)`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Kills the whole process group: the shell and everything it started. */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/**
 * Runs a command with the machine's shell in its own process group (§5.2). Non-zero exit →
 * StepFailure with the exit code and the last 20 lines of stderr. When `signal` aborts
 * (timeout, Ctrl-C, run abort) the group is killed and the abort reason is thrown.
 */
export async function runShell(run: ShellRun): Promise<ShellOutcome> {
  if (run.signal.aborted) throw run.signal.reason;
  const child = Bun.spawn(shellArgv(run.command), {
    cwd: run.cwd,
    env: run.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: process.platform !== "win32",
  });
  const kill = () => killGroup(child.pid);
  run.signal.addEventListener("abort", kill, { once: true });
  try {
    const [stdout, stderr, exitCode] = await Promise.all([
      readCapped(child.stdout, run.maxOutput, kill),
      readTail(child.stderr, 256 * 1024),
      child.exited,
    ]);
    if (run.signal.aborted) throw run.signal.reason;
    if (exitCode !== 0) {
      const tail = stderr.trimEnd().split("\n").slice(-20).join("\n");
      const how = child.signalCode ? `was killed by ${child.signalCode}` : `exited with code ${exitCode}`;
      const lines = run.command.trim().split("\n");
      const shown = lines[0]!.length > 80 ? `${lines[0]!.slice(0, 79)}…` : lines[0]!;
      const command = `\`${shown}\`${lines.length > 1 ? ` (+${lines.length - 1} line${lines.length > 2 ? "s" : ""})` : ""}`;
      throw new StepFailure(`command ${command} ${how}${tail ? `; stderr (last 20 lines):\n${tail}` : " with no stderr"}`, "error", stderr);
    }
    return { stdout, stderr };
  } catch (error) {
    kill();
    if (run.signal.aborted) throw run.signal.reason;
    throw error;
  } finally {
    run.signal.removeEventListener("abort", kill);
  }
}
