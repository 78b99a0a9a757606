/** The normalised pipeline: what the planner and the engine see. No shorthands survive normalisation. */

export type InputType = "string" | "integer" | "number" | "boolean" | "list" | "file" | "http";
export type InputFormat = "text" | "json" | "csv" | "binary";

/** Where something was written, for messages at run time. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface InputSpec {
  name: string;
  type: InputType;
  hasDefault: boolean;
  default?: unknown;
  description?: string;
  required: boolean;
  minimum?: number;
  maximum?: number;
  format?: InputFormat;
  delimiter?: string;
  /** A MIME type noted for readers; it does not change parsing. */
  contentType?: string;
  /** File inputs: the largest file accepted, in MiB. */
  maxSizeMb?: number;
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** How a foreach list is obtained; a bare name is an expression like a template's. */
export type ForeachSpec = { kind: "expression"; template: string } | { kind: "list"; items: unknown[] };

/** `condition:` as written: an expression, the compatibility `{{ }}` form, or a constant. */
export type ConditionSpec = { kind: "expression"; source: string } | { kind: "constant"; value: boolean };

export interface RetryPolicy {
  /** Extra attempts after the first (0-10). */
  retries: number;
  delayMs: number;
  strategy: "fixed" | "exponential";
  maxDelayMs: number;
}

export interface PromptSettings {
  model?: string;
  temperature?: number;
  maxTokens?: number;
  system?: string;
  format: "text" | "json";
  schema?: Record<string, unknown>;
  retryOnInvalid: number;
  cache: boolean;
  maxCost?: number;
}

/** What every step has, whatever it does. */
interface StepCommon {
  name: string;
  /** The prompt text, python body, shell command or flow path (the field named after the primitive). */
  body: string;
  depends: string[];
  output?: string;
  condition?: ConditionSpec;
  foreach?: ForeachSpec;
  parallel: boolean;
  /** With foreach: cap on iterations in flight (default 8). */
  concurrency: number;
  /** With foreach: `fail` (default) stops the step at a failed item; `continue` runs them all, `null` in failed slots. */
  onItemFailure: "fail" | "continue";
  retry: RetryPolicy;
  onFailure?: string;
  timeoutMs?: number;
  env: Record<string, string>;
  cwd?: string;
  save?: string;
  vars: Record<string, unknown>;
  description?: string;
  /** Named by some other step's on_failure: only runs when invoked. */
  isHandler: boolean;
  location: SourceLocation;
}

/** `prompt:`: the body is the prompt text (a template). */
export interface PromptStep extends StepCommon {
  primitive: "prompt";
  prompt: PromptSettings;
}

/** `python:`: the body is python code, never templated. */
export interface PythonStep extends StepCommon {
  primitive: "python";
}

/** `run:`: the body is a shell command (a shell-mode template). */
export interface RunStep extends StepCommon {
  primitive: "run";
  /** `json`: stdout is parsed as a JSON document. */
  format: "text" | "json";
}

/** `flow:`: the body is the path of a sub-pipeline (a template). */
export interface FlowStep extends StepCommon {
  primitive: "flow";
  /** Values for the sub-pipeline's inputs. */
  flowInput: Record<string, unknown>;
}

/** One step of a pipeline: a union by what it does. */
export type Step = PromptStep | PythonStep | RunStep | FlowStep;

/** What a step does: `prompt`, `python`, `run` or `flow` (the YAML keys are `spec/step.ts`'s PRIMITIVES). */
export type Primitive = Step["primitive"];

/** The step type of one primitive. */
export type StepOf<P extends Primitive> = Extract<Step, { primitive: P }>;

export interface Pipeline {
  name: string;
  description?: string;
  /** Absolute path of the file. */
  file: string;
  /** Whether the file had an `input:` block (without one, any -i key is accepted). */
  declaresInputs: boolean;
  inputs: InputSpec[];
  env: Record<string, string>;
  /** In file order. */
  steps: Step[];
  outputs?: Record<string, unknown>;
  /** Sub-pipelines of `flow:` steps with a literal path, by absolute path. */
  flows: Map<string, Pipeline>;
}

export const DEFAULT_FOREACH_CONCURRENCY = 8;
export const DEFAULT_RETRY_MAX_DELAY_MS = 60_000;

/** The name under which templates and python steps read the facts of the run ({@link RunMeta}). */
export const META_NAME = "_meta";

/** `_meta`: the run's id, the pipeline's name, and what the run's prompt calls have cost so far (USD). */
export interface RunMeta {
  run_id: string;
  pipeline: string;
  total_cost: number;
}

/**
 * Names aiorch provides to templates and python steps, so no input, step or output may take
 * them. `loop` is not one: a step may be called `loop` (as in the Python aiorch); inside a
 * `{% for %}` the name means the loop, as in Jinja2, and elsewhere the step's result.
 */
export const RESERVED_NAMES = ["item", "item_index", META_NAME, "failed_step", "error", "inputs"] as const;

/** Every step of a pipeline and of the sub-pipelines its flow: steps call (each pipeline once). */
export function stepsWithFlows(pipeline: Pipeline, seen = new Set<Pipeline>()): Step[] {
  if (seen.has(pipeline)) return [];
  seen.add(pipeline);
  return [...pipeline.steps, ...[...pipeline.flows.values()].flatMap((child) => stepsWithFlows(child, seen))];
}
