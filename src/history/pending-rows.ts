import type { PendingWrites } from "./group-commit.ts";
import {
  ITEM_ATTEMPTS,
  ITEM_INPUT,
  ITEM_OUTPUT,
  STEP_ATTEMPTS,
  STEP_INPUT,
  STEP_LOG,
  STEP_OUTPUT,
  type Bound,
} from "./row-codec.ts";

/** Rows waiting for the next commit, in the order they were recorded. */
export interface Batch {
  steps: Bound[][];
  items: Bound[][];
}

/** The step and item upserts of the run history waiting for their group commit. */
export class PendingRows implements PendingWrites<Batch> {
  private steps: Bound[][] = [];
  private items: Bound[][] = [];

  get size(): number {
    return this.steps.length + this.items.length;
  }

  get waiting(): boolean {
    return this.size > 0;
  }

  /** Buffers the parameters of one step upsert. */
  addStep(params: Bound[]): void {
    this.steps.push(params);
  }

  /** Buffers the parameters of one item upsert. */
  addItem(params: Bound[]): void {
    this.items.push(params);
  }

  take(): Batch {
    const batch = { steps: this.steps, items: this.items };
    this.steps = [];
    this.items = [];
    return batch;
  }

  restore(batch: Batch): void {
    this.steps = batch.steps.concat(this.steps);
    this.items = batch.items.concat(this.items);
  }
}

/** Values larger than this are replaced by a note when the disk is full. */
const KEPT_ON_FULL_DISK = 1024;
const NOT_RECORDED = "(not recorded: the disk holding the history was full)";

/** The batch with its large text values (input, output, log) replaced by a short note. */
export function slimmed(batch: Batch): Batch {
  const slim = (params: Bound[], text: number[], json: number[]) =>
    params.map((value, k) => {
      if (typeof value !== "string" || value.length <= KEPT_ON_FULL_DISK) return value;
      if (json.includes(k)) return JSON.stringify(NOT_RECORDED);
      return text.includes(k) ? NOT_RECORDED : value;
    });
  return {
    steps: batch.steps.map((p) => slim(p, [STEP_INPUT, STEP_LOG], [STEP_OUTPUT, STEP_ATTEMPTS])),
    items: batch.items.map((p) => slim(p, [ITEM_INPUT], [ITEM_OUTPUT, ITEM_ATTEMPTS])),
  };
}
