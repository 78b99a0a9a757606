/**
 * In-process tests of the engine core (`runDag`, `runStep`): pipelines of steps run by a
 * fake primitive whose executor does what the test says, so the scheduling, retry, foreach
 * and handler rules are checked without starting a process. The real primitives are tested
 * through the CLI (tests/run/).
 */
import type { Pipeline, Primitive, Step } from "../../src/model/pipeline.ts";
import type { EngineEvent } from "../../src/engine/events.ts";
import { RunContext } from "../../src/engine/run-context.ts";
import type { PipelineScope } from "../../src/engine/step-runner.ts";
import { registerExecutor, type StepCall } from "../../src/steps/registry.ts";

/** The fake primitive: never a name the YAML can spell, so no real step is affected. */
export const FAKE = "fake-for-tests" as Primitive;

/** What a fake step does on each attempt (or item): its value, or a throw. */
export type FakeBehaviour = (call: StepCall) => unknown;

const behaviours = new WeakMap<Step, FakeBehaviour>();

registerExecutor(FAKE, async (call) => ({ value: await behaviours.get(call.step)!(call) }));

/**
 * A step of the fake primitive doing `behaviour`; `fields` override the defaults of a plain
 * step. Its context holds the ancestors its text names, as for a `run:` step: give a `body`
 * that names the ones it reads.
 */
export function fakeStep(name: string, behaviour: FakeBehaviour, fields: Partial<Step> = {}): Step {
  // A step of no real primitive: the fields every kind shares (a run: step's shape, with the fake tag).
  const step = {
    name,
    primitive: FAKE,
    body: "",
    depends: [],
    parallel: false,
    concurrency: 8,
    onItemFailure: "fail",
    retry: { retries: 0, delayMs: 0, strategy: "fixed", maxDelayMs: 60_000 },
    env: {},
    vars: {},
    format: "text",
    isHandler: false,
    location: { file: "/fake.yaml", line: 1, col: 1 },
    ...fields,
  } as unknown as Step;
  behaviours.set(step, behaviour);
  return step;
}

export function fakePipeline(steps: Step[]): Pipeline {
  return { name: "fake", file: "/fake.yaml", declaresInputs: false, inputs: [], env: {}, steps, flows: new Map() };
}

/** A top-level scope over `pipeline` whose events land in `events`; `concurrency` is `--concurrency`. */
export function fakeScope(
  pipeline: Pipeline,
  options: { signal?: AbortSignal; concurrency?: number } = {},
): { scope: PipelineScope; events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  const signal = options.signal ?? new AbortController().signal;
  const run = new RunContext({
    runId: "test-run",
    emit: (event) => events.push(event),
    signal,
    cwd: "/",
    env: {},
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  const scope: PipelineScope = {
    run,
    pipeline,
    inputs: {},
    records: new Map(),
    prefix: "",
    signal,
    runFlow: () => Promise.reject(new Error("no flows in fake pipelines")),
  };
  return { scope, events };
}

/** A promise with its resolve at hand: lets a test decide when a fake step ends. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
