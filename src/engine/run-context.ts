import { PythonPool } from "../steps/python/pool.ts";
import { aiorchHome } from "../load/config.ts";
import { findPython } from "../steps/python/interpreter.ts";
import { realInterpreter } from "../steps/python/real-interpreter.ts";
import type { EventSink } from "./events.ts";
import { Limiter, unlimited } from "../util/limiter.ts";
import type { ReusePlan } from "./reuse.ts";
import type { LlmServices } from "../llm/llm-services.ts";
import type { LlmSettings } from "../llm/settings.ts";
import { StepFailure } from "../errors/step-failure.ts";

export interface RunOptions {
  runId: string;
  emit: EventSink;
  /** Aborted on Ctrl-C/SIGTERM: no step starts after it, running ones are killed. */
  signal: AbortSignal;
  /** Where `aiorch run` was invoked: default cwd of steps, base of relative `save:` and `cwd:`. */
  cwd: string;
  /** The invoking environment. */
  env: Record<string, string | undefined>;
  /** `--concurrency`: cap on units of work in flight across the whole run (default: unlimited). */
  concurrency?: number;
  /** Interpreter for python: steps (config `python:`); AIORCH_PYTHON and PATH otherwise. */
  python?: string;
  /** Settings of prompt: steps (config `llm:`, --model, --no-cache, --max-cost). */
  llm?: LlmSettings;
  /** Stream a single prompt step's answer as it arrives (`-v` on a terminal). */
  streamAnswers?: boolean;
  /** Emit `step-output` events: what run: and python: steps print, line by line as written (`-v`). */
  liveOutput?: boolean;
}

/** What every step of one run shares: the limiter, the python pool, the event sink. */
export class RunContext {
  private currentLimiter: Limiter;
  private pool?: PythonPool;
  private contexts = 0;
  private reusePlan?: ReusePlan;
  private llmServices?: Promise<LlmServices>;
  private llmReady?: LlmServices;
  private closing?: Promise<void>;

  constructor(readonly options: RunOptions) {
    this.currentLimiter = options.concurrency ? new Limiter(options.concurrency) : unlimited;
  }

  /** Caps units of work in flight across the run (`--concurrency`). */
  get limiter(): Limiter {
    return this.currentLimiter;
  }

  /** Sets `--concurrency` once it is known (before any step starts). */
  limitConcurrency(limit: number): void {
    this.currentLimiter = new Limiter(limit);
  }

  /** Results taken from an earlier run (`resume`, `--step`, `--from`), if any. */
  get reuse(): ReusePlan | undefined {
    return this.reusePlan;
  }

  /** Sets the results to reuse, once they are known (before any step starts). */
  reuseResults(plan: ReusePlan): void {
    this.reusePlan = plan;
  }

  get signal(): AbortSignal {
    return this.options.signal;
  }

  /**
   * A fresh id for one context object. Python workers cache contexts by id, so an id must
   * never be reused for different values (a flow inside a foreach runs the same step path
   * once per item, each time with its own context).
   */
  contextId(path: string): string {
    return `${this.options.runId}/${path}#${++this.contexts}`;
  }

  /** The worker pool, started on the first python: step. */
  python(): PythonPool {
    if (!this.pool) {
      const interpreter = findPython(this.options.python);
      if (!interpreter) {
        throw new StepFailure("python: steps need python3, and none was found on PATH; install Python 3, or set AIORCH_PYTHON to an interpreter; in Docker, use the aiorch:python image (Dockerfile.python)");
      }
      const home = aiorchHome(this.options.env);
      this.pool = new PythonPool({ python: realInterpreter(interpreter, { env: this.options.env, cwd: this.options.cwd, home }) });
    }
    return this.pool;
  }

  /** Starts the python workers ahead of the first python: step; false without python3. */
  warmPython(): boolean {
    if (!findPython(this.options.python)) return false;
    this.python().warm();
    return true;
  }

  /** The LLM services, created (and the openai SDK loaded) on the first prompt: step. */
  llm(): Promise<LlmServices> {
    this.llmServices ??= import("../llm/llm-services.ts").then(({ LlmServices }) => {
      if (!this.options.llm) throw new StepFailure("prompt: steps need the LLM settings of the run (an engine bug)");
      return (this.llmReady = new LlmServices(this.options.llm));
    });
    return this.llmServices;
  }

  /** What the prompt calls of step `path` used and cost so far (undefined without any). */
  llmUsage(path: string) {
    return this.llmReady?.usageOf(path);
  }

  /** Dollars spent by prompt calls in this run. */
  get cost(): number {
    return this.llmReady?.spent ?? 0;
  }

  /**
   * Ends the run's python workers (their jobs are all finished by now) and writes the LLM
   * cache. Once: the session closes the run under its signal handlers, and the command
   * closes it again on its way out (for runs that never reached the session).
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.llmReady?.close();
      await this.pool?.terminate();
    })();
    return this.closing;
  }
}
