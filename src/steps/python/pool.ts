import { availableParallelism } from "node:os";
import { decodeJson, encodeJson } from "./codec.ts";
import { SharedValues } from "./shared-values.ts";
import type { WorkerCacheLimits } from "./worker-cache.ts";
import { PythonWorker, type WorkerExit } from "./worker-process.ts";
import { killTokenHolders, newStepToken } from "../step-token.ts";
import type { OutputListener } from "../output-lines.ts";

/** One execution of a `python:` body (docs/execution.md#python-steps). */
export interface PythonJob {
  /** Step name: the body is compiled with the file name `<step NAME>`. */
  step: string;
  /** Python source. */
  body: string;
  /**
   * Context values (docs/pipeline-reference.md#results-names-and-context): pipeline inputs, ancestor results, vars. Each context object and
   * each object or array inside it reaches a worker once per pool, not once per job, so they
   * must not be mutated after being passed in.
   */
  context: Record<string, unknown>;
  /** Same id ⇒ same context object (the engine guarantees it). Without it, object identity is used. */
  contextId?: string;
  /** Small per-job values merged on top of the context: item, item_index, failed_step, error. */
  extra?: Record<string, unknown>;
  /** The full environment for this job; the worker's own is restored afterwards. */
  env?: Record<string, string>;
  /** Working directory for this job, also put first on `sys.path`; restored afterwards. */
  cwd?: string;
  /** Kills the worker running the job after this many milliseconds (default: no limit). */
  timeoutMs?: number;
  /** The most bytes of printed output, stderr or result the job may produce (`AIORCH_MAX_OUTPUT`). */
  maxOutput?: number;
  /** Abort ⇒ the job is dropped from the queue, or its worker killed and replaced. */
  signal?: AbortSignal;
  /** Receives what the body prints (sys.stdout, sys.stderr), line by line as it is written (`-v`). */
  onOutput?: OutputListener | undefined;
}

/** What a job produced. `stderr` holds what the body wrote to `sys.stderr`. */
export type PythonOutcome =
  | { ok: true; value: unknown; stdout: string; stderr?: string }
  | {
      ok: false;
      kind: "error" | "timeout" | "cancelled" | "crashed";
      message: string;
      traceback?: string;
      stdout: string;
      stderr?: string;
    };

/** Options of {@link PythonPool}. */
export interface PythonPoolOptions {
  /** The interpreter (see `findPython`). */
  python: string;
  /** Maximum number of worker processes (default: the number of CPU cores). */
  size?: number;
  /** Per-worker cache limits (default: `DEFAULT_CACHE_LIMITS`). */
  cacheLimits?: WorkerCacheLimits;
}

/** Counters for tests, the trace and benchmarks. */
export interface PythonPoolStats {
  /** Worker processes started (replacements included). */
  started: number;
  /** Jobs finished, whatever their outcome. */
  jobs: number;
  /** Bytes of context data written to workers. */
  contextBytesSent: number;
}

interface Reply {
  job: number;
  ok: boolean;
  value?: unknown;
  stdout: string;
  stderr: string;
  message?: string;
  traceback?: string;
  /** The job left threads running: this worker must not take another job. */
  retire?: boolean;
  /** Not the reply but a line the body printed (live output): the stream it went to, and `line`. */
  live?: "stdout" | "stderr";
  line?: string;
}

interface Pending {
  readonly id: number;
  readonly job: PythonJob;
  readonly resolve: (outcome: PythonOutcome) => void;
  done: boolean;
  worker?: PythonWorker;
  /** Marks every process the job starts (see step-token.ts): they are killed with the job. */
  token?: string;
  timer?: ReturnType<typeof setTimeout>;
  onAbort?: () => void;
}

/**
 * Kills what a job started outside its worker's process group: processes it executed carry
 * the job's mark, processes it forked without exec the worker's (see step-token.ts).
 */
function killJobProcesses(worker: PythonWorker, pending: Pending): void {
  if (pending.token) killTokenHolders(pending.token);
  killTokenHolders(worker.token);
}

function formatLimit(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(3))}s`;
}

function crashMessage(step: string, exit: WorkerExit): string {
  const how = exit.signal ? `killed by signal ${exit.signal}` : `exit code ${exit.code}`;
  const tail = exit.stderrTail.trimEnd().split("\n").slice(-20).join("\n");
  return `the python worker died while running step ${step} (${how})${tail ? `\n${tail}` : ""}`;
}

/**
 * A pool of persistent python3 workers (docs/execution.md#python-steps). Workers start lazily, at most `size` of them;
 * jobs wait in FIFO order when all are busy. A worker that times out, is aborted or dies is
 * discarded and a fresh one is started for the jobs that follow.
 */
export class PythonPool {
  private readonly python: string;
  private readonly size: number;
  private readonly cacheLimits: WorkerCacheLimits | undefined;
  private readonly shared = new SharedValues();
  private readonly workers = new Set<PythonWorker>();
  private readonly idle: PythonWorker[] = [];
  private readonly running = new Map<PythonWorker, Pending>();
  private queue: Pending[] = [];
  private queueHead = 0;
  private nextJob = 1;
  private closed = false;
  private exitHooked = false;
  private readonly counters: PythonPoolStats = { started: 0, jobs: 0, contextBytesSent: 0 };
  private readonly killAll = (): void => {
    for (const worker of this.workers) worker.kill();
    for (const [worker, pending] of this.running) killJobProcesses(worker, pending);
  };

  constructor(options: PythonPoolOptions) {
    this.python = options.python;
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.cacheLimits = options.cacheLimits;
  }

  /** A snapshot of the counters. */
  get stats(): PythonPoolStats {
    return { ...this.counters };
  }

  /** Runs a job; never rejects: every failure is a `{ ok: false }` outcome. */
  run(job: PythonJob): Promise<PythonOutcome> {
    return new Promise<PythonOutcome>((resolve) => {
      const pending: Pending = { id: this.nextJob++, job, resolve, done: false };
      if (this.closed) return this.finish(pending, this.failure("cancelled", "the python pool is closed"));
      if (job.signal?.aborted) return this.finish(pending, this.failure("cancelled", `cancelled (step ${job.step})`));
      if (job.signal) {
        pending.onAbort = () => this.abort(pending);
        job.signal.addEventListener("abort", pending.onAbort, { once: true });
      }
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Ends every worker: queued and running jobs resolve as cancelled. */
  /**
   * Starts every worker now instead of on demand, so interpreter start-up (slow behind
   * pyenv shims) overlaps other work such as validation. Start failures surface on `run`.
   */
  warm(): void {
    if (this.closed) return;
    while (this.workers.size < this.size) {
      const started = this.startWorker();
      if (typeof started === "string") return;
      this.idle.push(started);
    }
  }

  /**
   * Ends every worker at once (SIGKILL to its group) and waits for them to be gone: for the
   * end of a run, when no job is left and a graceful interpreter shutdown only costs time.
   */
  async terminate(): Promise<void> {
    const exits = [...this.workers].map((worker) => worker.exited);
    this.killAll();
    await this.close();
    await Promise.all(exits);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const pending = this.queue[i]!;
      this.finish(pending, this.failure("cancelled", "the python pool was closed"));
    }
    this.queue = [];
    this.queueHead = 0;
    const exits: Array<Promise<WorkerExit>> = [];
    for (const worker of this.workers) {
      const pending = this.running.get(worker);
      if (pending) {
        worker.kill();
        killJobProcesses(worker, pending);
        this.finish(pending, this.failure("cancelled", "the python pool was closed"));
      } else {
        worker.end();
      }
      exits.push(worker.exited);
    }
    const grace = setTimeout(this.killAll, 1000);
    await Promise.all(exits);
    clearTimeout(grace);
    process.off("exit", this.killAll);
    this.exitHooked = false;
  }

  private pump(): void {
    while (this.queueHead < this.queue.length) {
      const pending = this.queue[this.queueHead]!;
      if (pending.done) {
        this.queueHead++;
        continue;
      }
      let worker = this.idle.pop();
      if (!worker && this.workers.size < this.size) {
        const started = this.startWorker();
        if (typeof started === "string") {
          this.queueHead++;
          this.finish(pending, this.failure("crashed", started));
          continue;
        }
        worker = started;
      }
      if (!worker) break;
      this.queueHead++;
      this.dispatch(worker, pending);
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  /** A new worker, or why it could not start. */
  private startWorker(): PythonWorker | string {
    let worker: PythonWorker;
    try {
      worker = new PythonWorker(this.python, (line) => this.onLine(worker, line), this.cacheLimits);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return `cannot start python (${this.python}): ${reason}`;
    }
    if (!this.exitHooked) {
      // A worker must not outlive aiorch, even when the engine never calls close().
      process.on("exit", this.killAll);
      this.exitHooked = true;
    }
    this.workers.add(worker);
    this.counters.started++;
    void worker.exited.then((exit) => this.onExit(worker, exit));
    return worker;
  }

  private dispatch(worker: PythonWorker, pending: Pending): void {
    const { job } = pending;
    const code = this.shared.code(job.step, job.body);
    const context = this.shared.context(job.context, job.contextId);
    const env = job.env ? this.shared.env(job.env) : undefined;
    const defs = worker.cache.definitions(code, context, env);
    this.counters.contextBytesSent += defs.contextBytes;
    const token = newStepToken();
    const run =
      `{"t":"run","job":${pending.id},"code":${code.id},"ctx":${context.id},` +
      `"extra":${job.extra ? encodeJson(job.extra) : "null"},"env":${env ? env.id : "null"},` +
      `"cwd":${job.cwd ? JSON.stringify(job.cwd) : "null"},"max":${job.maxOutput ?? "null"},"token":"${token}"${job.onOutput ? ',"live":true' : ""}}\n`;
    pending.worker = worker;
    pending.token = token;
    this.running.set(worker, pending);
    if (job.timeoutMs !== undefined && job.timeoutMs > 0) {
      const limit = job.timeoutMs;
      pending.timer = setTimeout(() => {
        this.discard(
          worker,
          pending,
          this.failure("timeout", `timed out after ${formatLimit(limit)} (step ${job.step})`),
        );
      }, limit);
    }
    worker.clearStderr();
    worker.send(defs.text + run);
  }

  private onLine(worker: PythonWorker, line: string): void {
    const pending = this.running.get(worker);
    let reply: Reply;
    try {
      reply = decodeJson(line) as Reply;
    } catch {
      return; // not ours; the worker never writes anything else on this channel
    }
    if (!pending || pending.id !== reply.job) return;
    if (reply.live) {
      // A line the body printed, sent as it was written (the job asked for live output).
      if (typeof reply.line === "string") pending.job.onOutput?.(reply.live, reply.line);
      return;
    }
    this.running.delete(worker);
    const stderr = reply.stderr ? { stderr: reply.stderr } : {};
    this.finish(
      pending,
      reply.ok
        ? {
            ok: true,
            value: reply.value === undefined ? reply.stdout.trim() : reply.value,
            stdout: reply.stdout,
            ...stderr,
          }
        : {
            ok: false,
            kind: "error",
            message: reply.message ?? `python error (step ${pending.job.step})`,
            ...(reply.traceback ? { traceback: reply.traceback } : {}),
            stdout: reply.stdout,
            ...stderr,
          },
    );
    if (reply.retire) {
      // Its threads could act during a later job (exit the process, write to its files): a fresh worker takes over.
      this.workers.delete(worker);
      worker.kill();
    } else if (this.closed) worker.end();
    else this.idle.push(worker);
    this.pump();
  }

  private onExit(worker: PythonWorker, exit: WorkerExit): void {
    this.workers.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at !== -1) this.idle.splice(at, 1);
    const pending = this.running.get(worker);
    if (pending) {
      this.running.delete(worker);
      this.finish(pending, this.failure("crashed", crashMessage(pending.job.step, exit)));
    }
    if (!this.closed) this.pump();
  }

  /**
   * Timeout and abort: the job resolves now, its worker is killed and never reused, and so
   * is every process the job started, in the worker's group or out of it (its token).
   */
  private discard(worker: PythonWorker, pending: Pending, outcome: PythonOutcome): void {
    this.running.delete(worker);
    this.workers.delete(worker);
    worker.kill();
    killJobProcesses(worker, pending);
    this.finish(pending, outcome);
    this.pump();
  }

  private abort(pending: Pending): void {
    if (pending.done) return;
    const outcome = this.failure("cancelled", `cancelled (step ${pending.job.step})`);
    if (pending.worker) this.discard(pending.worker, pending, outcome);
    else this.finish(pending, outcome); // still queued: pump() skips it
  }

  private failure(kind: "timeout" | "cancelled" | "crashed", message: string): PythonOutcome {
    return { ok: false, kind, message, stdout: "" };
  }

  private finish(pending: Pending, outcome: PythonOutcome): void {
    if (pending.done) return;
    pending.done = true;
    if (pending.timer) clearTimeout(pending.timer);
    if (pending.onAbort) pending.job.signal?.removeEventListener("abort", pending.onAbort);
    this.counters.jobs++;
    pending.resolve(outcome);
  }
}
