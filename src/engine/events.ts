/** What the engine reports while it runs. Reporters subscribe; the engine never prints. */
import type { StepLlmUsage } from "../llm/llm-services.ts";
import type { FailedItem } from "./foreach.ts";

export type StepStatus = "success" | "failed" | "skipped" | "cancelled";
export type RunStatus = "success" | "failed" | "cancelled";

export interface StepStartEvent {
  type: "step-start";
  /** `step`, or `parent/child` inside a flow. */
  path: string;
  primitive: string;
  items?: number;
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
  attempt: number;
  error: string;
  delayMs: number;
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
  /** More about a failure (stderr, python traceback), shown with -v. */
  detail?: string;
  /** Why it was skipped: `condition is false`, `upstream failed`. */
  reason?: string;
  handler?: boolean;
  /** The result was taken from the run being resumed (`reason` names it), not computed. */
  reused?: boolean;
  /** prompt: tokens, cost and cache hits of every call the step made. */
  usage?: StepLlmUsage;
  /** What the step wrote besides its result (stderr, print() output), capped. */
  log?: string;
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

export type EngineEvent = StepStartEvent | StepRenderedEvent | StepDeltaEvent | StepRetryEvent | ItemEndEvent | StepSavedEvent | StepEndEvent | RunEndEvent;
export type EventSink = (event: EngineEvent) => void;
