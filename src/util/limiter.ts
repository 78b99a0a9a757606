/** A counting semaphore: at most `limit` holders at once, served in arrival order. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /**
   * Frees a place. A waiter gets it on the next turn of the event loop, so the step that
   * released it reports its end before the next one reports its start.
   */
  release(): void {
    const next = this.waiting.shift();
    if (next) setImmediate(next);
    else this.active--;
  }

  /** Runs `task` while holding one place. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}

/** A limiter that never waits (for "unlimited"). */
export const unlimited = new Limiter(Number.POSITIVE_INFINITY);
