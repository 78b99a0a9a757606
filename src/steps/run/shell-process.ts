import { accessSync, constants } from "node:fs";
import { LineSplitter, type OutputListener } from "../output-lines.ts";
import { outputTails, StepFailure, StoppedWithOutput } from "../../errors/step-failure.ts";
import { killTokenHolders, markedEnv, newStepToken } from "../step-token.ts";

export { maxOutputBytes } from "../../model/output-limit.ts";

/**
 * How long the pipes are still read once a killed command's shell is gone. A process that
 * escaped every kill may hold them open for ever; its output no longer matters.
 */
const PIPE_GRACE_MS = 200;

export interface ShellRun {
  command: string;
  env: Record<string, string>;
  cwd: string;
  signal: AbortSignal;
  maxOutput: number;
  /** Receives stdout and stderr line by line as they are written (`-v`). */
  onOutput?: OutputListener | undefined;
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

/**
 * The failure of a run: step on a machine without /bin/sh (the `FROM scratch` image holds
 * none), or undefined when /bin/sh is there and the spawn failed for another reason.
 */
function missingShell(): StepFailure | undefined {
  if (process.platform === "win32") return undefined;
  try {
    accessSync("/bin/sh", constants.X_OK);
    return undefined;
  } catch {
    return new StepFailure(
      "run: steps need a shell at /bin/sh, and this machine has none; install one (dash or bash), or in Docker run this pipeline with the aiorch:python image (Dockerfile.python), which has /bin/sh and python3",
    );
  }
}

/** A pipe being read, which can be given up ({@link stopReading}): its pending read then ends as EOF. */
interface Pipe {
  reader: { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> };
}

function pipe(stream: ReadableStream<Uint8Array>): Pipe {
  return { reader: stream.getReader() };
}

function stopReading(...pipes: Pipe[]): void {
  for (const { reader } of pipes) void reader.cancel().catch(() => undefined);
}

async function* chunksOf({ reader }: Pipe): AsyncGenerator<Uint8Array> {
  for (;;) {
    const { value, done } = await reader.read();
    if (done || !value) return;
    yield value;
  }
}

/** What a stream has delivered so far: all of it (stdout, up to a cap) or its tail (stderr). */
class Received {
  private readonly chunks: Uint8Array[] = [];
  size = 0;

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
  }

  /** Drops whole chunks from the front while the rest still holds `limit` bytes. */
  keepTail(limit: number): void {
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.byteLength >= limit)
      this.size -= this.chunks.shift()!.byteLength;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** Keeps the last `limit` bytes of a stream (stderr: only its tail matters). */
async function readTail(stream: Pipe, limit: number, into: Received, lines?: LineSplitter): Promise<void> {
  for await (const chunk of chunksOf(stream)) {
    lines?.push(chunk);
    into.push(chunk);
    into.keepTail(limit);
  }
  lines?.flush();
}

/** Reads all of stdout, failing as soon as it exceeds `limit` bytes. */
async function readCapped(
  stream: Pipe,
  limit: number,
  into: Received,
  onOverflow: () => void,
  lines?: LineSplitter,
): Promise<void> {
  for await (const chunk of chunksOf(stream)) {
    lines?.push(chunk);
    if (into.size + chunk.byteLength > limit) {
      onOverflow();
      throw new StepFailure(
        `the command printed more than ${limit} bytes; raise AIORCH_MAX_OUTPUT or write large output to a file (save: or a redirect)`,
        "error",
        undefined,
        outputTails(into.text(), ""),
      );
    }
    into.push(chunk);
  }
  lines?.flush();
}

/** `\`first line\`` of a command, with a count of the lines not shown. */
function commandHeadline(command: string): string {
  const lines = command.trim().split("\n");
  const shown = lines[0]!.length > 80 ? `${lines[0]!.slice(0, 79)}…` : lines[0]!;
  return `\`${shown}\`${lines.length > 1 ? ` (+${lines.length - 1} line${lines.length > 2 ? "s" : ""})` : ""}`;
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
 * Runs a command with the machine's shell in its own process group (docs/execution.md#run-steps). Non-zero exit →
 * StepFailure with the exit code and the tails of stdout and stderr; a stopped command
 * (timeout, Ctrl-C) throws its abort reason, wrapped with the tails when it printed anything. When `signal` aborts
 * (timeout, Ctrl-C, run abort) or stdout overflows, everything the command started is
 * killed — its process group, and every process carrying its step token (those that left
 * the group) — and the abort reason is thrown once the shell is gone, without waiting for
 * pipes a survivor may still hold. A command that ends on its own is read to EOF, as `$(…)`
 * does: a background process it left holding stdout is waited for.
 */
export async function runShell(run: ShellRun): Promise<ShellOutcome> {
  if (run.signal.aborted) throw run.signal.reason;
  const token = newStepToken();
  let child;
  try {
    child = Bun.spawn(shellArgv(run.command), {
      cwd: run.cwd,
      env: markedEnv(run.env, token),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      detached: process.platform !== "win32",
    });
  } catch (error) {
    throw missingShell() ?? error;
  }
  const out = pipe(child.stdout);
  const err = pipe(child.stderr);
  const stdout = new Received();
  const stderr = new Received();
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    killGroup(child.pid);
    killTokenHolders(token);
    void child.exited.then(() => setTimeout(() => stopReading(out, err), PIPE_GRACE_MS));
  };
  const stopped = () => {
    const output = outputTails(stdout.text(), stderr.text());
    return output ? new StoppedWithOutput(run.signal.reason, output) : run.signal.reason;
  };
  run.signal.addEventListener("abort", kill, { once: true });
  const live = run.onOutput;
  try {
    const [, , exitCode] = await Promise.all([
      readCapped(out, run.maxOutput, stdout, kill, live && new LineSplitter("stdout", live)),
      readTail(err, 256 * 1024, stderr, live && new LineSplitter("stderr", live)),
      child.exited,
    ]);
    if (run.signal.aborted) throw stopped();
    if (exitCode !== 0) {
      const how = child.signalCode ? `was killed by ${child.signalCode}` : `exited with code ${exitCode}`;
      const output = outputTails(stdout.text(), stderr.text());
      throw new StepFailure(
        `command ${commandHeadline(run.command)} ${how}${output ? "" : " and printed nothing"}`,
        "error",
        undefined,
        output,
      );
    }
    return { stdout: stdout.text(), stderr: stderr.text() };
  } catch (error) {
    kill();
    await child.exited;
    if (run.signal.aborted) throw error instanceof StoppedWithOutput ? error : stopped();
    throw error;
  } finally {
    run.signal.removeEventListener("abort", kill);
  }
}
