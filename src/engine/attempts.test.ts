import { describe, expect, test } from "bun:test";
import { StepFailure } from "../errors/step-failure.ts";
import { Cancelled, retryDelay, withRetries } from "./attempts.ts";
import type { RetryPolicy } from "../model/pipeline.ts";

const policy = (retries: number, fields: Partial<RetryPolicy> = {}): RetryPolicy => ({
  retries,
  delayMs: 0,
  strategy: "fixed",
  maxDelayMs: 60_000,
  ...fields,
});
const running = () => new AbortController().signal;

describe("retryDelay", () => {
  test("fixed: the same delay before every attempt", () => {
    expect([2, 3, 7].map((n) => retryDelay(policy(5, { delayMs: 300 }), n))).toEqual([300, 300, 300]);
  });

  test.each([
    // [attempt, random, delay]: the base doubles from delayMs; half of it is fixed, half random.
    [2, 0, 500],
    [2, 1, 1000],
    [3, 0, 1000],
    [4, 0.5, 3000],
    // Capped by maxDelayMs.
    [10, 1, 5000],
    [10, 0, 2500],
  ])("exponential, attempt %p, random %p: %p ms", (next, random, delay) => {
    expect(
      retryDelay(policy(10, { delayMs: 1000, strategy: "exponential", maxDelayMs: 5000 }), next, () => random),
    ).toBe(delay);
  });
});

describe("withRetries", () => {
  test("a first success is the value, after one attempt", async () => {
    expect(await withRetries(async () => "done", { policy: policy(3), signal: running() })).toEqual({
      value: "done",
      attempts: 1,
    });
  });

  test("failures are retried until one succeeds; each retry is reported with its failure and delay", async () => {
    let calls = 0;
    const retries: Array<[number, string, number]> = [];
    const outcome = await withRetries(
      async () => {
        if (++calls < 3) throw new StepFailure(`failure ${calls}`);
        return calls;
      },
      {
        policy: policy(5, { delayMs: 1 }),
        signal: running(),
        onRetry: (n, failure, delay) => retries.push([n, failure.message, delay]),
      },
    );
    expect(outcome).toEqual({ value: 3, attempts: 3 });
    expect(retries).toEqual([
      [1, "failure 1", 1],
      [2, "failure 2", 1],
    ]);
  });

  test("after 1 + retries failed attempts the last failure is thrown, with its attempt count", async () => {
    let calls = 0;
    const error = await withRetries(
      async () => {
        throw new StepFailure(`failure ${++calls}`);
      },
      { policy: policy(2), signal: running() },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect(error).toMatchObject({ message: "failure 3", attempts: 3 });
    expect(calls).toBe(3);
  });

  test("an error that is not a StepFailure still fails the attempt, with its message", async () => {
    const error = await withRetries(
      async () => {
        throw new Error("plain error");
      },
      { policy: policy(0), signal: running() },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: "plain error", kind: "error", attempts: 1 });
  });

  test("an attempt past its timeout is aborted and fails as a timeout, which is retried like any failure", async () => {
    const seen: string[] = [];
    const error = await withRetries(
      (signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
      {
        policy: policy(1),
        timeoutMs: 20,
        signal: running(),
        onRetry: (_, failure) => seen.push(`${failure.kind}: ${failure.message}`),
      },
    ).catch((e: unknown) => e);
    expect(seen).toEqual(["timeout: timed out after 20ms"]);
    expect(error).toMatchObject({ kind: "timeout", message: "timed out after 20ms", attempts: 2 });
  });

  test("the timeout starts once the gate lets the attempt run: waiting for a slot is not attempt time", async () => {
    const outcome = await withRetries(
      (signal) => (signal.aborted ? Promise.reject(signal.reason) : Promise.resolve("ran in time")),
      {
        policy: policy(0),
        timeoutMs: 20,
        // The slot comes free long after the timeout would have passed had it started at once.
        gate: async (run) => {
          await Bun.sleep(100);
          return run();
        },
        signal: running(),
      },
    );
    expect(outcome).toEqual({ value: "ran in time", attempts: 1 });
  });

  test("a cancelled run is never retried: Ctrl-C during the delay before a retry ends at once", async () => {
    const controller = new AbortController();
    let calls = 0;
    const error = await withRetries(
      async () => {
        calls++;
        throw new StepFailure("boom");
      },
      { policy: policy(5, { delayMs: 60_000 }), signal: controller.signal, onRetry: () => controller.abort() },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cancelled);
    expect(calls).toBe(1);
  });

  test("an attempt failing as cancelled is not retried", async () => {
    let calls = 0;
    const error = await withRetries(
      async () => {
        calls++;
        throw new StepFailure("cancelled", "cancelled");
      },
      { policy: policy(5), signal: running() },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "cancelled" });
    expect(calls).toBe(1);
  });

  test("a run cancelled before the first attempt runs nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const error = await withRetries(async () => ++calls, { policy: policy(5), signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Cancelled);
    expect(calls).toBe(0);
  });
});
