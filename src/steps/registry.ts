import type { Diagnostic } from "../errors/diagnostic.ts";
import type { Pipeline, Primitive, Step, StepOf } from "../model/pipeline.ts";
import type { TemplateMode } from "../template/index.ts";
import type { OutputListener } from "./output-lines.ts";
import type { ServiceKey } from "./services.ts";

/** Everything a primitive needs to execute one attempt of one step (or one foreach item). */
export interface StepCall<S extends Step = Step> {
  step: S;
  pipeline: Pipeline;
  /** `step`, or `parent/child` inside a flow. */
  path: string;
  /** Inputs, ancestor results, vars and `_meta`: identical for every item of a foreach. */
  context: Record<string, unknown>;
  /** Stable id of `context` for the whole run (lets python workers receive it once). */
  contextId: string;
  /** Per-call values on top of the context: item, item_index, failed_step, error. */
  extra: Record<string, unknown>;
  /** Aborts on timeout, Ctrl-C or run abort; executors must stop their work and rethrow `signal.reason`. */
  signal: AbortSignal;
  /** The process environment of this step. */
  env: Record<string, string>;
  /** Working directory (absolute). */
  cwd: string;
  timeoutMs?: number;
  /** A service the run shares (the python workers, the LLM services), created on the first call. */
  service<T, S>(key: ServiceKey<T, S>): Promise<T>;
  /** Set under `-v` for an executor that {@link ExecutorTraits.printsOutput}: receives what the step prints, line by line as it is written. */
  onOutput?: OutputListener | undefined;
  /** Set under `-v` on a terminal, without foreach, for an executor that {@link ExecutorTraits.streamsAnswer}: receives the answer as it arrives. */
  stream?: (text: string) => void;
  /** Runs a sub-pipeline in this run, cancelled with `signal`; supplied by the engine (steps never import the engine). */
  runFlow(child: Pipeline, inputs: Record<string, unknown>, path: string, signal: AbortSignal): Promise<unknown>;
  /** Validates a sub-pipeline whose path was templated (known only now); supplied by the engine (steps never import validate/). */
  validateFlow(path: string): Promise<{ valid: boolean; pipeline?: Pipeline; diagnostics: Diagnostic[] }>;
  /** Reports the rendered command/prompt for `-v`. */
  rendered(text: string): void;
}

/** What a prompt call used and cost. */
export interface LlmUsage {
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** USD; 0 for a cache hit. */
  cost: number;
  /** Answered by the response cache. */
  cached: boolean;
  /** The cost comes from the flagged fallback rate (unknown model). */
  fallbackPrice: boolean;
}

export interface StepOutput {
  value: unknown;
  /** prompt: what the call used. */
  usage?: LlmUsage;
  /** What the step wrote besides its result (run: stderr; python: print() output and stderr), for the trace. */
  log?: string;
  /** What went wrong although the call succeeded (prompt: the answer was cut off at max_tokens). */
  warnings?: string[];
  /** prompt: the answer came from the LLM cache. */
  cached?: boolean;
}

export type StepExecutor<S extends Step = Step> = (call: StepCall<S>) => Promise<StepOutput>;

/** A templated text of a step, and how it is rendered. */
export interface TemplateText {
  source: string;
  mode: TemplateMode;
}

/** What the engine needs to know about a primitive, besides how to execute it. */
export interface ExecutorTraits<S extends Step = Step> {
  /** Applies `call.timeoutMs` itself, from when the work really starts (a pooled worker takes the job). */
  timesItself?: boolean;
  /** Holds no concurrency slot: its own steps do (flow). */
  unmetered?: boolean;
  /** Its answer can be shown as it arrives (`call.stream`). */
  streamsAnswer?: boolean;
  /** It prints while it runs (`call.onOutput`). */
  printsOutput?: boolean;
  /**
   * Its body is code, not a template: it may read any result by a name it builds at run time
   * (`inputs[name]`), so its context holds every ancestor's result, and a lazy input is
   * fetched when a word of the body names it.
   */
  bodyIsCode?: boolean;
  /** The templated texts of its own fields (the body, a prompt's model and system…); not the condition, foreach, vars, save and cwd every step has. */
  templates?(step: S): TemplateText[];
}

export interface Executor<S extends Step = Step> {
  execute: StepExecutor<S>;
  traits: ExecutorTraits<S>;
}

const executors = new Map<Primitive, Executor>();

/** Each primitive registers its executor (dagu's RegisterExecutor habit). */
export function registerExecutor<P extends Primitive>(
  primitive: P,
  execute: StepExecutor<StepOf<P>>,
  traits: ExecutorTraits<StepOf<P>> = {},
): void {
  // Looked up by the step's own primitive (executorFor), so it only ever receives steps of its kind.
  executors.set(primitive, { execute, traits } as unknown as Executor);
}

/** The executor of `step`'s primitive; undefined when this build has none. */
export function executorFor<S extends Step>(step: S): Executor<S> | undefined {
  return executors.get(step.primitive) as Executor<S> | undefined;
}
