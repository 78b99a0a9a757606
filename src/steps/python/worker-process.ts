import type { Subprocess } from "bun";
import isolationScript from "./worker-isolation.py" with { type: "text" };
import valuesScript from "./worker-values.py" with { type: "text" };
import mainScript from "./worker.py" with { type: "text" };
import { WorkerCache, type WorkerCacheLimits } from "./worker-cache.ts";
import { markedEnv, newStepToken } from "../step-token.ts";

/** How a worker process ended. */
export interface WorkerExit {
  code: number | null;
  signal: string | null;
  /** The last lines the process wrote to its stderr (fatal errors, faulthandler dumps). */
  stderrTail: string;
}

/** The worker is one script in three files: what keeps jobs apart, the context values, the protocol loop. */
const workerScript = `${isolationScript}\n${valuesScript}\n${mainScript}`;

const STDERR_TAIL_CHARS = 8192;
/** How long to wait for stderr to drain after the process ended (grandchildren may hold it). */
const STDERR_DRAIN_MS = 200;
const NEWLINE = 10;

/**
 * One persistent `python3 -c worker.py` process. It runs in its own process group
 * (`detached`), so a kill reaches whatever the step body spawned, and Ctrl-C in the terminal
 * reaches only aiorch, which decides what to stop.
 */
export class PythonWorker {
  /** What this process already holds of the shared values. */
  readonly cache: WorkerCache;
  /** Resolves once the process is gone and its stderr has been read. */
  readonly exited: Promise<WorkerExit>;
  private readonly proc: Subprocess<"pipe", "pipe", "pipe">;
  private stderrTail = "";
  private killed = false;

  /** Spawns the process; throws when the interpreter cannot be started. */
  constructor(python: string, onLine: (line: string) => void, limits?: WorkerCacheLimits) {
    this.cache = new WorkerCache(limits);
    this.proc = Bun.spawn([python, "-c", workerScript], {
      // Marks the worker and whatever its jobs fork without exec (a job's exec'd children get the job's own mark).
      env: markedEnv(process.env, this.token),
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      detached: true,
    });
    const stdout = this.proc.stdout.getReader();
    const stderr = this.proc.stderr.getReader();
    void this.readLines(stdout, onLine);
    const stderrDone = this.readStderr(stderr);
    this.exited = this.proc.exited.then(async () => {
      // Reap anything the body left behind in the group; it would keep the pipes open.
      this.signalGroup();
      // A cleared, unref'd timer: a pending Bun.sleep would keep aiorch alive after the run.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        stderrDone,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, STDERR_DRAIN_MS)).unref()),
      ]);
      clearTimeout(timer);
      // A process the body detached from the group (setsid, a daemon) may hold the pipes for
      // ever; a pending read of them would keep aiorch from exiting after the run.
      void stdout.cancel().catch(() => undefined);
      void stderr.cancel().catch(() => undefined);
      return { code: this.proc.exitCode, signal: this.signalName(), stderrTail: this.stderrTail };
    });
  }

  /** The mark of this worker's processes (see step-token.ts): killed with a job that times out or is cancelled. */
  readonly token = newStepToken();

  /** The OS process id (also the process group id). */
  get pid(): number {
    return this.proc.pid;
  }

  /** Writes protocol lines (each already ending in a newline). */
  send(text: string): void {
    if (this.killed) return;
    try {
      this.proc.stdin.write(text);
      void Promise.resolve(this.proc.stdin.flush()).catch(() => undefined);
    } catch {
      // The process is gone; `exited` reports it.
    }
  }

  /** Forgets stderr written before the job that is about to start. */
  clearStderr(): void {
    this.stderrTail = "";
  }

  /** SIGKILL to the whole process group: the body really stops, and so do its children. */
  kill(): void {
    this.killed = true;
    this.signalGroup();
  }

  /** Ends stdin: an idle worker exits on its own. */
  end(): void {
    try {
      void Promise.resolve(this.proc.stdin.end()).catch(() => undefined);
    } catch {
      // Already closed.
    }
  }

  private signalGroup(): void {
    try {
      process.kill(-this.proc.pid, "SIGKILL");
    } catch {
      // The group is already empty (ESRCH), or groups are unsupported: fall back to the leader.
      if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
    }
  }

  private signalName(): string | null {
    const signal = this.proc.signalCode;
    return signal === null ? null : String(signal);
  }

  private async readLines(stdout: PipeReader, onLine: (line: string) => void): Promise<void> {
    const decoder = new TextDecoder();
    let pending: Uint8Array[] = [];
    try {
      for (;;) {
        const { value: chunk, done } = await stdout.read();
        if (done || !chunk) return;
        let start = 0;
        for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
          const piece = chunk.subarray(start, nl);
          const line = pending.length ? decoder.decode(Buffer.concat([...pending, piece])) : decoder.decode(piece);
          pending = [];
          start = nl + 1;
          onLine(line);
        }
        if (start < chunk.length) pending.push(chunk.slice(start));
      }
    } catch {
      // The pipe broke because the process died; `exited` reports it.
    }
  }

  private async readStderr(stderr: PipeReader): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value: chunk, done } = await stderr.read();
        if (done || !chunk) return;
        this.stderrTail = (this.stderrTail + decoder.decode(chunk, { stream: true })).slice(-STDERR_TAIL_CHARS);
      }
    } catch {
      // Same as above.
    }
  }
}

/** A pipe's reader: read it, or give it up (`cancel`: the pending read ends as EOF). */
interface PipeReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}
