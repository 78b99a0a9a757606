import type { Diagnostic } from "../errors/diagnostic.ts";
import type { Pipeline, Primitive, Step } from "../model/pipeline.ts";
import type { LlmServices } from "../llm/llm-services.ts";
import type { PythonPool } from "./python/pool.ts";
import type { OutputListener } from "./output-lines.ts";

/** Everything a primitive needs to execute one attempt of one step (or one foreach item). */
export interface StepCall {
  step: Step;
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
  python(): PythonPool;
  /** The run's LLM services (transport, cache, budget), created on the first prompt: step. */
  llm(): Promise<LlmServices>;
  /** Set under `-v`: receives what a run: or python: step prints, line by line as it is written. */
  onOutput?: OutputListener | undefined;
  /** Set for a single prompt step under `-v` on a terminal: receives the answer as it arrives. */
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

export type StepExecutor = (call: StepCall) => Promise<StepOutput>;

export interface ExecutorTraits {
  /** Applies `call.timeoutMs` itself, from when the work really starts (a pooled worker takes the job). */
  timesItself?: boolean;
  /** Holds no concurrency slot: its own steps do (flow). */
  unmetered?: boolean;
}

const executors = new Map<Primitive, { execute: StepExecutor; traits: ExecutorTraits }>();

/** Each primitive registers its executor (dagu's RegisterExecutor habit). */
export function registerExecutor(primitive: Primitive, execute: StepExecutor, traits: ExecutorTraits = {}): void {
  executors.set(primitive, { execute, traits });
}

export function executorFor(primitive: Primitive): { execute: StepExecutor; traits: ExecutorTraits } | undefined {
  return executors.get(primitive);
}
