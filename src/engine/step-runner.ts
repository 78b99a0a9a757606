import { resolve } from "node:path";
import type { Pipeline, Step } from "../model/pipeline.ts";
import { executorFor, type Executor, type StepCall } from "../steps/registry.ts";
import { asStepFailure, StepFailure } from "../errors/step-failure.ts";
import { compileCondition, compileTemplate } from "../template/index.ts";
import { validateFile } from "../validate/index.ts";
import { attemptsOf, Cancelled, withRetries } from "./attempts.ts";
import { stepEnvironment } from "./env.ts";
import { runItems, type FailedItem } from "./foreach.ts";
import { NOT_SELECTED, reusedItemsOf, reusedReason } from "./reuse.ts";
import type { RunContext } from "./run-context.ts";
import { itemVars, loadLazyInputs, stepContext, type StepRecord } from "./step-context.ts";
import { namesReadBy } from "./step-reads.ts";
import { StepReport } from "./step-report.ts";
import { save } from "./step-save.ts";

/** One pipeline being run (the top level, or a flow inside it). */
export interface PipelineScope {
  run: RunContext;
  pipeline: Pipeline;
  inputs: Record<string, unknown>;
  records: Map<string, StepRecord>;
  /** `""` at the top level, `parent/` inside a flow step. */
  prefix: string;
  /** Cancels this pipeline: the run's Ctrl-C, or for a flow its step's attempt (timeout). */
  signal: AbortSignal;
  runFlow(child: Pipeline, inputs: Record<string, unknown>, path: string, signal: AbortSignal): Promise<unknown>;
}

const describeKind = (value: unknown) =>
  Array.isArray(value)
    ? "a list"
    : value === null
      ? "None"
      : typeof value === "object"
        ? "a mapping"
        : `a ${typeof value}`;

/** The foreach list of a step (docs/execution.md#foreach): a literal list, or an expression that must give one. */
function foreachItems(step: Step, context: Record<string, unknown>): unknown[] {
  if (!step.foreach) return [];
  if (step.foreach.kind === "list") return step.foreach.items;
  const value = compileTemplate(step.foreach.template).evaluate(context);
  if (Array.isArray(value)) return value;
  const hint =
    typeof value === "string" && /^\s*[[{]/.test(value)
      ? " (it looks like JSON text: parse it in a python: step with json.loads first)"
      : "";
  throw new StepFailure(`foreach must produce a list, got ${describeKind(value)}${hint}`);
}

/** What a step's calls share once it is known to run: its context, and its foreach list. */
interface Prepared {
  /** Inputs, ancestor results, `_meta` and vars: what every call's `context` is. */
  context: Record<string, unknown>;
  /** `context` with the step's extra values (a handler's `failed_step` and `error`): what its templates read. */
  scoped: Record<string, unknown>;
  items?: unknown[];
  /** Items taken from an earlier run, by index. */
  reusedItems?: ReadonlyMap<number, unknown>;
}

/**
 * Runs one step to its end (docs/execution.md#foreach, docs/execution.md#retries-and-timeouts): results taken from an earlier run, the context and
 * condition, the attempts (for each foreach item) with retries and timeouts, `save:`, and
 * the `on_failure` handler. Never throws: the outcome is the record. The start line is
 * announced when the step really starts (its first concurrency slot).
 */
export async function runStep(
  scope: PipelineScope,
  step: Step,
  extra: Record<string, unknown> = {},
): Promise<StepRecord> {
  const report = new StepReport(scope.run, step, scope.prefix + step.name);
  const earlier = fromEarlierRun(scope, step, report.path);
  if (earlier) return report.finish(earlier, earlier.status === "success");
  try {
    const prepared = await prepare(scope, step, report.path, extra);
    if (!prepared) return report.finish({ status: "skipped", attempts: 0, reason: "condition is false" });
    if (prepared.items) report.announce(prepared.items.length, prepared.reusedItems?.size);
    const executor = executorFor(step);
    if (!executor) throw new StepFailure(`${step.primitive}: steps cannot run in this build of aiorch`);
    const attempt = attempts(
      scope,
      step,
      executor,
      callsOf(scope, step, executor, prepared, report.path, extra),
      report,
    );
    const { value, failedItems } = prepared.items
      ? await runForeach(scope, step, prepared, attempt, report)
      : { value: await attempt({}) };
    report.saved(
      save(step, value, { ...prepared.scoped, [step.name]: value }, scope.run.options.cwd, prepared.items, failedItems),
    );
    return report.finish({
      status: "success",
      value,
      attempts: report.attempts,
      ...(failedItems ? { failedItems } : {}),
    });
  } catch (error) {
    return await failed(scope, step, error, report);
  }
}

/** The record of a step the reuse plan answers: its earlier result, or skipped when `--step`/`--from` did not select it. */
function fromEarlierRun(
  scope: PipelineScope,
  step: Step,
  path: string,
): Omit<StepRecord, "name" | "durationMs"> | undefined {
  const plan = scope.run.reuse;
  if (!plan || step.isHandler) return undefined;
  if (plan.steps.has(path))
    return { status: "success", value: plan.steps.get(path), attempts: 0, reason: reusedReason(plan) };
  if (plan.selected && scope.prefix === "" && !plan.selected.has(step.name))
    return { status: "skipped", attempts: 0, reason: NOT_SELECTED };
  return undefined;
}

/**
 * The context of the step; undefined when its condition is false. The lazy http inputs its
 * condition and vars read are fetched first, the ones the rest of the step reads once it runs.
 */
async function prepare(
  scope: PipelineScope,
  step: Step,
  path: string,
  extra: Record<string, unknown>,
): Promise<Prepared | undefined> {
  const { run, pipeline, signal } = scope;
  const wait = { signal, ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}) };
  const context = await stepContext(pipeline, step, scope.inputs, scope.records, run.meta(pipeline), extra, wait);
  const scoped = { ...context, ...extra };
  if (
    step.condition &&
    !(step.condition.kind === "constant" ? step.condition.value : compileCondition(step.condition.source).test(scoped))
  )
    return undefined;
  await loadLazyInputs(context, scope.inputs, namesReadBy(step), wait);
  Object.assign(scoped, context, extra);
  if (!step.foreach) return { context, scoped };
  const items = foreachItems(step, scoped);
  const reusedItems = reusedItemsOf(run.reuse, path, items.length);
  return { context, scoped, items, ...(reusedItems ? { reusedItems } : {}) };
}

/** The call of one attempt of the step (of one foreach item: `itemExtra` holds its values), cancelled by `signal`. */
type CallMaker = (itemExtra: Record<string, unknown>, signal: AbortSignal) => StepCall;

/** What every call of the step shares (environment, folder, context id, listeners), and the item's values. */
function callsOf(
  scope: PipelineScope,
  step: Step,
  executor: Executor,
  prepared: Prepared,
  path: string,
  extra: Record<string, unknown>,
): CallMaker {
  const { run, pipeline } = scope;
  const { emit } = run.options;
  const { context, scoped } = prepared;
  const env = stepEnvironment(run.options.env, pipeline.env, step.env);
  const cwd = step.cwd ? resolve(run.options.cwd, compileTemplate(step.cwd).render(scoped).trim()) : run.options.cwd;
  const contextId = run.contextId(path);
  const { traits } = executor;
  const stream =
    run.options.streamAnswers && !prepared.items && traits.streamsAnswer
      ? (text: string) => emit({ type: "step-delta", path, text })
      : undefined;
  const printing = run.options.liveOutput === true && traits.printsOutput === true;
  return (itemExtra, signal) => {
    const index = typeof itemExtra.item_index === "number" ? itemExtra.item_index : undefined;
    return {
      step,
      pipeline,
      path,
      context,
      contextId,
      extra: { ...extra, ...itemExtra },
      signal,
      env,
      cwd,
      ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
      service: (key) => run.services.get(key),
      ...(stream ? { stream } : {}),
      ...(printing
        ? {
            onOutput: (output, line) =>
              emit({
                type: "step-output",
                path,
                ...(index !== undefined ? { item: index } : {}),
                stream: output,
                line,
              }),
          }
        : {}),
      // Each item of a foreach over a flow has steps of its own: `parent[3]/child`.
      runFlow: (child, inputs, flowPath, flowSignal) =>
        scope.runFlow(child, inputs, index !== undefined ? `${flowPath}[${index}]` : flowPath, flowSignal),
      validateFlow: (flowFile) => validateFile(flowFile),
      rendered: (text) =>
        emit({ type: "step-rendered", path, rendered: text, ...(index !== undefined ? { index } : {}) }),
    };
  };
}

/**
 * One call of the step (of one foreach item) to its end: its attempts, each in a
 * concurrency slot (unless the executor holds none) and under the step's timeout (unless
 * the executor applies it itself), retried as `retry:` says. Resolves to the result.
 */
function attempts(
  scope: PipelineScope,
  step: Step,
  executor: Executor,
  call: CallMaker,
  report: StepReport,
): (itemExtra: Record<string, unknown>) => Promise<unknown> {
  const { run, signal } = scope;
  const { traits } = executor;
  // The step's start line is announced when its first attempt really starts (a slot is taken).
  const announced = <T>(work: () => Promise<T>): Promise<T> => {
    report.announce();
    return work();
  };
  const gate = <T>(work: () => Promise<T>) =>
    traits.unmetered ? announced(work) : run.limiter.run(() => announced(work));
  const timeout = step.timeoutMs !== undefined && !traits.timesItself ? { timeoutMs: step.timeoutMs } : {};
  return async (itemExtra) => {
    const index = typeof itemExtra.item_index === "number" ? itemExtra.item_index : undefined;
    let outcome;
    try {
      outcome = await withRetries(
        (attemptSignal) =>
          executor.execute(call(itemExtra, attemptSignal)).then((output) => {
            report.took(output, index);
            return output.value;
          }),
        {
          policy: step.retry,
          ...timeout,
          gate,
          signal,
          onRetry: (n, failure, delayMs) => report.retrying(failure, n, index, delayMs),
        },
      );
    } catch (error) {
      const failure = asStepFailure(error);
      if (failure.kind !== "cancelled" && !signal.aborted) report.attemptFailed(failure, attemptsOf(error), index);
      throw error;
    }
    report.attempts = Math.max(report.attempts, outcome.attempts);
    return outcome.value;
  };
}

/** Every item of a foreach step, as `parallel`, `concurrency` and `on_item_failure` say; each item's end is reported. */
async function runForeach(
  scope: PipelineScope,
  step: Step,
  prepared: Prepared,
  attempt: (itemExtra: Record<string, unknown>) => Promise<unknown>,
  report: StepReport,
): Promise<{ value: unknown[]; failedItems?: FailedItem[] }> {
  const items = prepared.items ?? [];
  const options = {
    parallel: step.parallel,
    cap: Math.min(step.concurrency, scope.run.limiter.limit),
    signal: scope.signal,
    onItemFailure: step.onItemFailure,
    ...(prepared.reusedItems ? { reused: prepared.reusedItems } : {}),
  };
  const perItem = (item: unknown, index: number) =>
    attempt({ item, item_index: index, ...itemVars(step, prepared.scoped, { item, item_index: index }) });
  const outcome = await runItems(items, options, perItem, (ended) => report.itemEnded(ended, items.length));
  report.attempts = Math.max(report.attempts, 1);
  return { value: outcome.results, ...(outcome.failed.length ? { failedItems: outcome.failed } : {}) };
}

/** The record of a step that failed or was cancelled; a failed step's on_failure handler runs. */
async function failed(scope: PipelineScope, step: Step, error: unknown, report: StepReport): Promise<StepRecord> {
  const failure = asStepFailure(error);
  const attempts = Math.max(report.attempts, attemptsOf(error));
  if (failure instanceof Cancelled || failure.kind === "cancelled" || scope.signal.aborted)
    return report.finish({ status: "cancelled", attempts, error: "cancelled" });
  const record = report.finish({
    status: "failed",
    attempts,
    error: failure.message,
    ...(failure.detail ? { detail: failure.detail } : {}),
    ...(failure.output ? { output: failure.output } : {}),
  });
  await runHandler(scope, step, handlerError(failure));
  return record;
}

/**
 * The `error` an on_failure handler receives: the message, and when the step wrote to
 * stderr its last 20 lines, in the form handlers of earlier versions read (`…; stderr (last
 * 20 lines):` and the lines), so a handler that forwards `{{ error }}` still forwards the reason.
 */
function handlerError(failure: StepFailure): string {
  const stderr = failure.output?.stderr;
  if (!stderr) return failure.message;
  return `${failure.message}; stderr (last 20 lines):\n${stderr.split("\n").slice(-20).join("\n")}`;
}

/** docs/execution.md#retries-and-timeouts: when a step finally fails, its on_failure handler runs with `failed_step` and `error`. */
async function runHandler(scope: PipelineScope, step: Step, message: string): Promise<void> {
  if (!step.onFailure) return;
  const handler = scope.pipeline.steps.find((s) => s.name === step.onFailure);
  if (!handler) return;
  const record = await runStep(scope, handler, { failed_step: step.name, error: message });
  scope.records.set(handler.name, record);
}
