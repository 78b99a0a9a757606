/** What the engine reports while it runs. Reporters subscribe; the engine never prints. */
import type { StepLlmUsage } from "../llm/llm-services.ts";
import type { FailedItem } from "./foreach.ts";
import type { OutputStream } from "../steps/output-lines.ts";
import type { OutputTails } from "../errors/step-failure.ts";

/** One failed attempt of a step or foreach item: why, and the end of what it printed. */
export interface FailedAttempt {
  attempt: number;
  /** The foreach item, by index. */
  item?: number;
  error: string;
  output?: OutputTails;
}

export type StepStatus = "success" | "failed" | "skipped" | "cancelled";
export type RunStatus = "success" | "failed" | "cancelled";

export interface StepStartEvent {
  type: "step-start";
  /** `step`, or `parent/child` inside a flow. */
  path: string;
  primitive: string;
  items?: number;
  /** Of `items`, those taken from the run being resumed (not run again). */
  reusedItems?: number;
}

export interface StepRenderedEvent {
  type: "step-rendered";
  path: string;
  /** The rendered command, prompt or python body (after redaction), for `-v`. */
  rendered: string;
  /** The foreach item it was rendered for. */
  index?: number;
}

export interface StepDeltaEvent {
  type: "step-delta";
  path: string;
  /** The next piece of a prompt step's answer, as it streams in (`-v` on a terminal). */
  text: string;
}

export interface StepRetryEvent {
  type: "step-retry";
  path: string;
  /** The foreach item whose attempt failed. */
  item?: number;
  attempt: number;
  error: string;
  /** The end of what the failed attempt printed. */
  output?: OutputTails;
  delayMs: number;
}

/** A line a run: or python: step printed, as it was written (only when live output is on: `-v`). */
export interface StepOutputEvent {
  type: "step-output";
  path: string;
  /** The foreach item that printed it. */
  item?: number;
  stream: OutputStream;
  line: string;
}

export interface ItemEndEvent {
  type: "item-end";
  path: string;
  index: number;
  status: "success" | "failed" | "cancelled";
  /** The item's result (success). */
  value?: unknown;
  /** Why the item failed. */
  error?: string;
  /** The end of what the item's last attempt printed (failed items). */
  output?: OutputTails;
  /** Every failed attempt of the item (a failed item, or one that succeeded after retries). */
  failedAttempts?: FailedAttempt[];
  durationMs: number;
  /** The result was taken from the run being resumed, not computed. */
  reused?: boolean;
  /** A prompt step's answer came from the LLM cache. */
  cached?: boolean;
  done: number;
  failed: number;
  total: number;
}

export interface StepEndEvent {
  type: "step-end";
  path: string;
  primitive: string;
  status: StepStatus;
  durationMs: number;
  attempts: number;
  value?: unknown;
  error?: string;
  /** More about a failure (python traceback, an unparsable answer), shown with -v. */
  detail?: string;
  /** The end of what the failing attempt printed (stdout and stderr tails). */
  output?: OutputTails;
  /** Every failed attempt of a step without foreach, retried ones included (items carry their own). */
  failedAttempts?: FailedAttempt[];
  /** Why it was skipped: `condition is false`, `upstream failed`. */
  reason?: string;
  handler?: boolean;
  /** The result was taken from the run being resumed (`reason` names it), not computed. */
  reused?: boolean;
  /** prompt: tokens, cost and cache hits of every call the step made. */
  usage?: StepLlmUsage;
  /** What the step wrote besides its result (stderr, print() output), capped. */
  log?: string;
  /** What went wrong although the step succeeded (a prompt answer cut off at max_tokens); foreach items by index. */
  warnings?: string[];
  /** A step that kept going (`on_item_failure: continue`): its failed items, by index. */
  failedItems?: FailedItem[];
}

export interface RunEndEvent {
  type: "run-end";
  status: RunStatus;
  durationMs: number;
  steps: number;
  cost: number;
}

/** `save:` wrote the step's result (one file, or one per foreach item). */
export interface StepSavedEvent {
  type: "step-saved";
  path: string;
  /** Absolute paths of the files written. */
  files: string[];
}

export type EngineEvent =
  | StepStartEvent
  | StepRenderedEvent
  | StepDeltaEvent
  | StepOutputEvent
  | StepRetryEvent
  | ItemEndEvent
  | StepSavedEvent
  | StepEndEvent
  | RunEndEvent;
export type EventSink = (event: EngineEvent) => void;
