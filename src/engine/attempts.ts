import type { RetryPolicy } from "../model/pipeline.ts";
import { formatDuration } from "../model/duration.ts";
import { asStepFailure, outputOf, StepFailure } from "../errors/step-failure.ts";
import { sleep } from "../util/sleep.ts";

/**
 * Delay before attempt `next` (2, 3, …): fixed, or doubling from `delayMs` with "equal
 * jitter" (half fixed, half random, so retries of many items spread out) capped by
 * `maxDelayMs`.
 */
export function retryDelay(policy: RetryPolicy, next: number, random: () => number = Math.random): number {
  if (policy.strategy === "fixed") return policy.delayMs;
  const base = Math.min(policy.maxDelayMs, policy.delayMs * 2 ** (next - 2));
  return Math.round(base / 2 + (base / 2) * random());
}

export class Cancelled extends StepFailure {
  constructor() {
    super("cancelled", "cancelled");
  }
}

export interface AttemptOptions {
  policy: RetryPolicy;
  /** Per-attempt limit; its clock starts once `gate` lets the attempt run. */
  timeoutMs?: number;
  /** Waits for a place to run (a concurrency slot); time spent waiting is not attempt time. */
  gate?: <T>(run: () => Promise<T>) => Promise<T>;
  /** The run's cancellation (Ctrl-C, abort): never retried. */
  signal: AbortSignal;
  onRetry?: (attempt: number, failure: StepFailure, delayMs: number) => void;
}

/**
 * Runs `attempt` until it succeeds or `1 + retries` attempts failed (docs/execution.md#retries-and-timeouts). Each attempt
 * gets a signal that aborts at its timeout or when the run is cancelled; a timeout is a
 * failure like any other (retried), a cancellation ends at once.
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  options: AttemptOptions,
): Promise<{ value: T; attempts: number }> {
  const { policy, timeoutMs, signal } = options;
  const gate = options.gate ?? ((run) => run());
  for (let n = 1; ; n++) {
    if (signal.aborted) throw new Cancelled();
    let timedOut = false;
    const once = async () => {
      const timeout = timeoutMs !== undefined ? AbortSignal.timeout(timeoutMs) : undefined;
      try {
        return await attempt(timeout ? AbortSignal.any([signal, timeout]) : signal);
      } catch (error) {
        timedOut = timeout?.aborted === true;
        throw error;
      }
    };
    let failure: StepFailure;
    try {
      return { value: await gate(once), attempts: n };
    } catch (error) {
      if (signal.aborted) throw new Cancelled();
      failure = timedOut
        ? new StepFailure(`timed out after ${formatDuration(timeoutMs!)}`, "timeout", undefined, outputOf(error))
        : asStepFailure(error);
      if (failure.kind === "cancelled") throw failure;
    }
    if (n > policy.retries) throw Object.assign(failure, { attempts: n });
    const delay = retryDelay(policy, n + 1);
    options.onRetry?.(n, failure, delay);
    try {
      await sleep(delay, signal);
    } catch {
      throw new Cancelled();
    }
  }
}

/** How many attempts a failure took (set by withRetries). */
export const attemptsOf = (error: unknown): number => (error as { attempts?: number }).attempts ?? 1;
