import type { EventSink } from "./events.ts";
import { Limiter, unlimited } from "../util/limiter.ts";
import type { ReusePlan } from "./reuse.ts";
import { roundUsd } from "../model/money.ts";
import type { Pipeline, RunMeta } from "../model/pipeline.ts";
import type { StepLlmUsage } from "../llm/llm-services.ts";
import { RunServices } from "../steps/services.ts";

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
  /** Stream the answer of a single step whose executor streams answers (a prompt), as it arrives (`-v` on a terminal). */
  streamAnswers?: boolean;
  /** Emit `step-output` events: what steps whose executor prints output (run, python) print, line by line as written (`-v`). */
  liveOutput?: boolean;
}

/** What every step of one run shares: the limiter, the services (python workers, LLM), the event sink. */
export class RunContext {
  private currentLimiter: Limiter;
  private contexts = 0;
  private reusePlan?: ReusePlan;
  private closing?: Promise<void>;
  /** Created on first use by the steps that need them; the command configures them (`services.configure`). */
  readonly services: RunServices;

  constructor(readonly options: RunOptions) {
    this.currentLimiter = options.concurrency ? new Limiter(options.concurrency) : unlimited;
    this.services = new RunServices({ env: options.env, cwd: options.cwd });
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

  /** What the calls of step `path` used and cost so far (undefined without any). */
  usageOf(path: string): StepLlmUsage | undefined {
    return this.services.usageOf(path);
  }

  /** Dollars spent by the run's calls so far. */
  get cost(): number {
    return this.services.spent();
  }

  /** What `_meta` holds now for a step of `pipeline` (the run's, or a flow's). */
  meta(pipeline: Pipeline): RunMeta {
    return { run_id: this.options.runId, pipeline: pipeline.name, total_cost: roundUsd(this.cost) };
  }

  /**
   * Ends the run's services: the python workers (their jobs are all finished by now), the
   * LLM cache (written). Once: the session closes the run under its signal handlers, and the
   * command closes it again on its way out (for runs that never reached the session).
   */
  close(): Promise<void> {
    this.closing ??= this.services.close();
    return this.closing;
  }
}
