/**
 * The engine core in process: runDag and runStep over steps of a fake primitive
 * (tests/helpers/fake-steps.ts). The same rules through the CLI, with real shells and
 * python: tests/run/scheduler.test.ts, control.test.ts, foreach.test.ts.
 */
import { describe, expect, test } from "bun:test";
import { fakePipeline, fakeScope, fakeStep, gate } from "../../tests/helpers/fake-steps.ts";
import { StepFailure } from "../errors/step-failure.ts";
import type { EngineEvent } from "./events.ts";
import { runDag } from "./scheduler.ts";
import { runStep } from "./step-runner.ts";

const ends = (events: EngineEvent[]) => events.flatMap((e) => (e.type === "step-end" ? [e.path] : []));

describe("runDag", () => {
  test("a step starts as soon as its own dependencies finish: no barrier between layers", async () => {
    const slow = gate();
    const steps = [
      fakeStep("a", () => "a"),
      fakeStep(
        "b",
        () => {
          slow.open(); // b ran while c was still running
          return "b";
        },
        { depends: ["a"] },
      ),
      fakeStep("c", () => slow.promise.then(() => "c")),
    ];
    const { scope, events } = fakeScope(fakePipeline(steps));
    expect(await runDag(scope)).toBe("success");
    expect(ends(events)).toEqual(["a", "b", "c"]);
  });

  test("a step sees the results of its ancestors", async () => {
    const steps = [
      fakeStep("a", () => 20),
      fakeStep("b", (call) => (call.context.a as number) + 1, { depends: ["a"], body: "{{ a }}" }),
    ];
    const { scope } = fakeScope(fakePipeline(steps));
    await runDag(scope);
    expect(scope.records.get("b")).toMatchObject({ status: "success", value: 21, attempts: 1 });
  });

  test("--concurrency 1: never more than one step in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const probe = async () => {
      most = Math.max(most, ++inFlight);
      await Bun.sleep(1);
      inFlight--;
    };
    const { scope } = fakeScope(fakePipeline(["a", "b", "c", "d"].map((name) => fakeStep(name, probe))), {
      concurrency: 1,
    });
    expect(await runDag(scope)).toBe("success");
    expect(most).toBe(1);
  });

  test("a failed step skips its dependents as upstream failed; the independent branch runs; its handler gets failed_step and error", async () => {
    const ran: string[] = [];
    const note =
      (name: string, value: unknown = name) =>
      () => {
        ran.push(name);
        return value;
      };
    const steps = [
      fakeStep("prepare", note("prepare")),
      fakeStep(
        "build",
        () => {
          throw new StepFailure("exited with code 3");
        },
        { depends: ["prepare"], onFailure: "cleanup" },
      ),
      fakeStep("package", note("package"), { depends: ["build"] }),
      fakeStep("publish", note("publish"), { depends: ["package"] }),
      fakeStep("docs", note("docs"), { depends: ["prepare"] }),
      fakeStep("cleanup", (call) => ({ failed_step: call.extra.failed_step, error: call.extra.error }), {
        isHandler: true,
      }),
    ];
    const { scope } = fakeScope(fakePipeline(steps));
    expect(await runDag(scope)).toBe("failed");
    const summary = Object.fromEntries(
      [...scope.records].map(([name, r]) => [name, [r.status, r.attempts, r.reason ?? null]]),
    );
    expect(summary).toEqual({
      prepare: ["success", 1, null],
      build: ["failed", 1, null],
      package: ["skipped", 0, "upstream failed"],
      publish: ["skipped", 0, "upstream failed"],
      docs: ["success", 1, null],
      cleanup: ["success", 1, null],
    });
    expect(ran.sort()).toEqual(["docs", "prepare"]);
    expect(scope.records.get("cleanup")!.value).toEqual({ failed_step: "build", error: "exited with code 3" });
  });

  test("a handler is not scheduled on its own: it does not run when nothing fails", async () => {
    const steps = [
      fakeStep("work", () => "ok", { onFailure: "handler" }),
      fakeStep("handler", () => "ran", { isHandler: true }),
    ];
    const { scope } = fakeScope(fakePipeline(steps));
    expect(await runDag(scope)).toBe("success");
    expect([...scope.records.keys()]).toEqual(["work"]);
  });

  test("after Ctrl-C the running step is cancelled and nothing new starts", async () => {
    const controller = new AbortController();
    const steps = [
      fakeStep("long", (call) => {
        queueMicrotask(() => controller.abort());
        return new Promise((_, reject) => call.signal.addEventListener("abort", () => reject(call.signal.reason)));
      }),
      fakeStep("after", () => "never", { depends: ["long"] }),
    ];
    const { scope } = fakeScope(fakePipeline(steps), { signal: controller.signal });
    expect(await runDag(scope)).toBe("cancelled");
    expect(scope.records.get("long")).toMatchObject({ status: "cancelled", error: "cancelled" });
    expect(scope.records.get("after")).toMatchObject({ status: "skipped", reason: "run cancelled" });
  });
});

describe("runStep", () => {
  test("a false condition skips the step without an attempt", async () => {
    let calls = 0;
    const step = fakeStep("maybe", () => ++calls, { condition: { kind: "expression", source: "1 > 2" } });
    const { scope, events } = fakeScope(fakePipeline([step]));
    expect(await runStep(scope, step)).toMatchObject({ status: "skipped", reason: "condition is false", attempts: 0 });
    expect(calls).toBe(0);
    // A skipped step never announces a start.
    expect(events.map((e) => e.type)).toEqual(["step-end"]);
  });

  test("retries: each failed attempt is an event and a failed attempt of the record; the success counts its attempts", async () => {
    let calls = 0;
    const step = fakeStep(
      "flaky",
      () => {
        if (++calls < 3) throw new StepFailure(`attempt ${calls} failed`);
        return "third time";
      },
      { retry: { retries: 3, delayMs: 1, strategy: "fixed", maxDelayMs: 60_000 } },
    );
    const { scope, events } = fakeScope(fakePipeline([step]));
    const record = await runStep(scope, step);
    expect(record).toMatchObject({ status: "success", value: "third time", attempts: 3 });
    expect(record.failedAttempts).toEqual([
      { attempt: 1, error: "attempt 1 failed" },
      { attempt: 2, error: "attempt 2 failed" },
    ]);
    expect(events.filter((e) => e.type === "step-retry").map((e) => (e as { attempt: number }).attempt)).toEqual([
      1, 2,
    ]);
  });

  test("foreach: one call per item with item and item_index, results in order, an item-end event per item", async () => {
    const step = fakeStep("each", (call) => `${call.extra.item_index}:${call.extra.item}`, {
      foreach: { kind: "list", items: ["x", "y", "z"] },
      parallel: true,
    });
    const { scope, events } = fakeScope(fakePipeline([step]));
    expect(await runStep(scope, step)).toMatchObject({ status: "success", value: ["0:x", "1:y", "2:z"], attempts: 1 });
    expect(events.find((e) => e.type === "step-start")).toMatchObject({ items: 3 });
    expect(events.filter((e) => e.type === "item-end").length).toBe(3);
  });

  test("foreach over a value that is not a list fails the step, saying what it got", async () => {
    const step = fakeStep("each", () => "never", { foreach: { kind: "expression", template: "{{ '[1, 2]' }}" } });
    const { scope } = fakeScope(fakePipeline([step]));
    expect(await runStep(scope, step)).toMatchObject({
      status: "failed",
      error:
        "foreach must produce a list, got a string (it looks like JSON text: parse it in a python: step with json.loads first)",
    });
  });
});
