/**
 * Writes a store keeps between commits, in the store's own shape (rows to upsert; answers
 * and hit counts): the store adds to them, {@link GroupCommit} takes them out to commit.
 */
export interface PendingWrites<B> {
  /** Writes waiting that count towards `maxRows`. */
  readonly size: number;
  /** Whether anything is waiting (some writes, such as hit counts, need not count towards `maxRows`). */
  readonly waiting: boolean;
  /** Takes out everything waiting, as one batch. */
  take(): B;
  /** Puts back a batch whose commit failed, before the writes added since. */
  restore(batch: B): void;
}

/** When buffered writes are committed: whichever comes first. */
export interface GroupCommitOptions {
  /** The longest a write waits (default 50 ms); `Infinity`: until `maxRows` are waiting or `flush()`. */
  maxDelayMs?: number;
  /** A batch this large is committed at once, inside the call that filled it (default 500). */
  maxRows?: number;
}

/** The longest pause between retries of a commit that failed in the background. */
const MAX_RETRY_DELAY_MS = 1_000;

/**
 * The one write batching of the history database, used by the run history (steps and items)
 * and by the LLM cache (answers and hits): hands the pending writes to `commit` as one batch
 * (one transaction) at most `maxDelayMs` after the first of them, or as soon as `maxRows` are
 * waiting. The timer is unref'd: it never keeps the process alive. A background commit that
 * fails keeps its writes for the next attempt and remembers the error for the next `flush()`.
 */
export class GroupCommit<B> {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failure: unknown;
  private retryDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRows: number;

  constructor(
    private readonly pending: PendingWrites<B>,
    private readonly commit: (batch: B) => void,
    options: GroupCommitOptions = {},
  ) {
    this.maxDelayMs = options.maxDelayMs ?? 50;
    this.maxRows = options.maxRows ?? 500;
    this.retryDelayMs = Math.min(this.maxDelayMs, MAX_RETRY_DELAY_MS);
  }

  /** Writes waiting that count towards `maxRows`. */
  get size(): number {
    return this.pending.size;
  }

  /** Tells it a write was added to the pending writes: commits a full batch now, or makes sure the timer runs. */
  added(): void {
    if (this.pending.size >= this.maxRows) {
      this.clearTimer();
      this.commitNow();
    } else if (this.timer === undefined && Number.isFinite(this.maxDelayMs)) {
      this.schedule(this.maxDelayMs);
    }
  }

  /**
   * Commits everything waiting, now. Throws what the commit threw (the writes stay pending),
   * or else an error a background commit met since the last flush.
   */
  flush(): void {
    this.clearTimer();
    if (this.pending.waiting) this.commitNow();
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
  }

  /** Stops the timer; what is still pending stays there. */
  stop(): void {
    this.clearTimer();
  }

  /** Takes the pending writes out, for a caller that commits them in its own transaction. */
  take(): B {
    this.clearTimer();
    return this.pending.take();
  }

  /** Puts writes whose commit failed back in front of the newer ones. */
  restore(batch: B): void {
    this.pending.restore(batch);
  }

  private commitNow(): void {
    const batch = this.take();
    try {
      this.commit(batch);
      this.retryDelayMs = Math.min(this.maxDelayMs, MAX_RETRY_DELAY_MS);
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
    if (!this.pending.waiting) return;
    try {
      this.commitNow();
    } catch (error) {
      // Nobody to throw to in a timer: keep the writes, retry later, report on the next flush.
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
