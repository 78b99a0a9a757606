import type { Bound } from "./row-codec.ts";

/** Rows waiting for the next commit, in the order they were recorded. */
export interface Batch {
  steps: Bound[][];
  items: Bound[][];
}

/** When buffered rows are committed: whichever comes first. */
export interface GroupCommitOptions {
  /** The longest a recorded row waits (default 50 ms). */
  maxDelayMs?: number;
  /** A batch this large is committed at once, inside the call that filled it (default 500). */
  maxRows?: number;
}

/** The longest pause between retries of a commit that failed in the background. */
const MAX_RETRY_DELAY_MS = 1_000;

/**
 * Buffers step and item rows and hands them to `commit` as one batch (one transaction)
 * at most `maxDelayMs` after the first of them, or as soon as `maxRows` are waiting.
 * The timer is unref'd: it never keeps the process alive. A background commit that fails
 * keeps its rows for the next attempt and remembers the error for the next `flush()`.
 */
export class GroupCommit {
  private steps: Bound[][] = [];
  private items: Bound[][] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failure: unknown;
  private retryDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRows: number;

  constructor(
    private readonly commit: (batch: Batch) => void,
    options: GroupCommitOptions = {},
  ) {
    this.maxDelayMs = options.maxDelayMs ?? 50;
    this.maxRows = options.maxRows ?? 500;
    this.retryDelayMs = this.maxDelayMs;
  }

  /** Rows waiting. */
  get size(): number {
    return this.steps.length + this.items.length;
  }

  /** Buffers the parameters of one step upsert. */
  addStep(params: Bound[]): void {
    this.steps.push(params);
    this.added();
  }

  /** Buffers the parameters of one item upsert. */
  addItem(params: Bound[]): void {
    this.items.push(params);
    this.added();
  }

  /**
   * Commits everything waiting, now. Throws what the commit threw (the rows stay buffered),
   * or else an error a background commit met since the last flush.
   */
  flush(): void {
    this.clearTimer();
    if (this.size > 0) this.commitNow();
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
  }

  /** Stops the timer; what is still buffered stays there. */
  stop(): void {
    this.clearTimer();
  }

  /** Takes the rows out of the buffer, for a caller that commits them in its own transaction. */
  take(): Batch {
    this.clearTimer();
    const batch = { steps: this.steps, items: this.items };
    this.steps = [];
    this.items = [];
    return batch;
  }

  /** Puts rows whose commit failed back in front of the newer ones. */
  restore(batch: Batch): void {
    this.steps = batch.steps.concat(this.steps);
    this.items = batch.items.concat(this.items);
  }

  private added(): void {
    if (this.size >= this.maxRows) {
      this.clearTimer();
      this.commitNow();
    } else if (this.timer === undefined) {
      this.schedule(this.maxDelayMs);
    }
  }

  private commitNow(): void {
    const batch = this.take();
    try {
      this.commit(batch);
      this.retryDelayMs = this.maxDelayMs;
    } catch (error) {
      this.restore(batch);
      throw error;
    }
  }

  private schedule(delayMs: number): void {
    const timer = setTimeout(() => this.onTimer(), delayMs);
    timer.unref();
    this.timer = timer;
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.size === 0) return;
    try {
      this.commitNow();
    } catch (error) {
      // Nobody to throw to in a timer: keep the rows, retry later, report on the next flush.
      this.failure = error;
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, MAX_RETRY_DELAY_MS);
      this.schedule(this.retryDelayMs);
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
