import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Pipeline, Step } from "../model/pipeline.ts";
import { stringifyPyJson } from "../model/py-json.ts";
import { executorFor, type StepCall } from "../steps/registry.ts";
import { asStepFailure, StepFailure } from "../errors/step-failure.ts";
import type { FailedAttempt, StepEndEvent } from "./events.ts";
import { compileCondition, compileTemplate } from "../template/index.ts";
import { validateFile } from "../validate/index.ts";
import { attemptsOf, Cancelled, withRetries } from "./attempts.ts";
import { stepEnvironment } from "./env.ts";
import { runItems, type FailedItem } from "./foreach.ts";
import { NOT_SELECTED, reusedItemsOf, reusedReason } from "./reuse.ts";
import { roundUsd } from "../model/money.ts";
import { StepLog, StepWarnings } from "./step-log.ts";
import type { RunContext } from "./run-context.ts";
import { itemVars, loadLazyInputs, stepContext, stepText, type StepRecord } from "./step-context.ts";

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

const describeKind = (value: unknown) => (Array.isArray(value) ? "a list" : value === null ? "None" : typeof value === "object" ? "a mapping" : `a ${typeof value}`);

/** The foreach list of a step (§5.5): a literal list, or an expression that must give one. */
function foreachItems(step: Step, context: Record<string, unknown>): unknown[] {
  if (!step.foreach) return [];
  if (step.foreach.kind === "list") return step.foreach.items;
  const value = compileTemplate(step.foreach.template).evaluate(context);
  if (Array.isArray(value)) return value;
  const hint = typeof value === "string" && /^\s*[[{]/.test(value) ? " (it looks like JSON text: parse it in a python: step with json.loads first)" : "";
  throw new StepFailure(`foreach must produce a list, got ${describeKind(value)}${hint}`);
}

function writeSaved(template: string, value: unknown, context: Record<string, unknown>, cwd: string): string {
  const path = resolve(cwd, compileTemplate(template).render(context).trim());
  mkdirSync(dirname(path), { recursive: true });
  const text = typeof value === "string" ? value : value instanceof Uint8Array ? value : stringifyPyJson(value, { indent: 2 });
  writeFileSync(path, text);
  return path;
}

/**
 * `save:` writes the result to a file. On a foreach step whose path reads `item` or
 * `item_index` (`out/{{ item }}.txt`), each item's result goes to its own file; otherwise
 * the whole list goes to one. An item that failed (`on_item_failure: continue`) has no
 * result: no file is written for it.
 */
/** Writes the result as `save:` says; returns the files written. */
function save(step: Step, value: unknown, context: Record<string, unknown>, cwd: string, items?: readonly unknown[], failed: readonly FailedItem[] = []): string[] {
  if (!step.save) return [];
  const perItem = items && Array.isArray(value) && compileTemplate(step.save).references.some((r) => r.name === "item" || r.name === "item_index");
  if (!perItem) return [writeSaved(step.save, value, context, cwd)];
  const skipped = new Set(failed.map((f) => f.index));
  const written: string[] = [];
  value.forEach((itemValue, index) => {
    if (!skipped.has(index)) written.push(writeSaved(step.save!, itemValue, { ...context, item: items[index], item_index: index, [step.name]: itemValue }, cwd));
  });
  return written;
}

/**
 * Runs one step to its end (§5.5, §5.6): condition, foreach fan-out, attempts with retries
 * and timeouts, `save:`, and the `on_failure` handler. Never throws: the outcome is the record.
 * The start line is announced when the step really starts (its first concurrency slot).
 */
export async function runStep(scope: PipelineScope, step: Step, extra: Record<string, unknown> = {}): Promise<StepRecord> {
  const { run, pipeline, signal } = scope;
  const path = scope.prefix + step.name;
  let started = performance.now();
  const emit = run.options.emit;
  let announced = false;
  const announce = (items?: number, reusedItems?: number) => {
    if (announced) return;
    announced = true;
    started = performance.now();
    emit({ type: "step-start", path, primitive: step.primitive, ...(items !== undefined ? { items } : {}), ...(reusedItems ? { reusedItems } : {}) });
  };
  const finish = (record: Omit<StepRecord, "name" | "durationMs">, reused = false): StepRecord => {
    const usage = run.llmUsage(path);
    const log = logs.text();
    const warned = warnings.list();
    const full: StepRecord = {
      name: step.name, durationMs: announced ? performance.now() - started : 0, ...record,
      ...(usage ? { usage } : {}), ...(log ? { log } : {}), ...(warned ? { warnings: warned } : {}), ...(failedAttempts.length ? { failedAttempts } : {}),
    };
    const { name: _name, ...fields } = full;
    const event: StepEndEvent = { type: "step-end", path, primitive: step.primitive, ...fields, ...(step.isHandler ? { handler: true } : {}), ...(reused ? { reused } : {}) };
    emit(event);
    return full;
  };
  /** Failed attempts of a step without foreach; a foreach item's are reported with the item. */
  const failedAttempts: FailedAttempt[] = [];
  const itemAttempts = new Map<number, FailedAttempt[]>();
  const noteFailure = (failure: StepFailure, attempt: number, item: number | undefined) => {
    const entry: FailedAttempt = { attempt, ...(item !== undefined ? { item } : {}), error: failure.message, ...(failure.output ? { output: failure.output } : {}) };
    if (item === undefined) failedAttempts.push(entry);
    else itemAttempts.set(item, [...(itemAttempts.get(item) ?? []), entry]);
  };
  const logs = new StepLog();
  const warnings = new StepWarnings();
  const plan = run.reuse;
  if (plan?.steps.has(path) && !step.isHandler) {
    return finish({ status: "success", value: plan.steps.get(path), attempts: 0, reason: reusedReason(plan) }, true);
  }
  if (plan?.selected && scope.prefix === "" && !step.isHandler && !plan.selected.has(step.name)) {
    return finish({ status: "skipped", attempts: 0, reason: NOT_SELECTED });
  }
  let attempts = 0;
  try {
    const meta = { run_id: run.options.runId, pipeline: pipeline.name, total_cost: roundUsd(run.cost) };
    const wait = { signal, ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}) };
    const context = await stepContext(pipeline, step, scope.inputs, scope.records, meta, extra, wait);
    const scoped = { ...context, ...extra };
    if (step.condition && !(step.condition.kind === "constant" ? step.condition.value : compileCondition(step.condition.source).test(scoped))) {
      return finish({ status: "skipped", attempts: 0, reason: "condition is false" });
    }
    await loadLazyInputs(context, scope.inputs, stepText(step), wait);
    Object.assign(scoped, context, extra);
    const items = step.foreach ? foreachItems(step, scoped) : undefined;
    const reusedItems = items ? reusedItemsOf(plan, path, items.length) : undefined;
    if (items) announce(items.length, reusedItems?.size);
    const executor = executorFor(step.primitive);
    if (!executor) throw new StepFailure(`${step.primitive}: steps cannot run in this build of aiorch`);
    const env = stepEnvironment(run.options.env, pipeline.env, step.env);
    const cwd = step.cwd ? resolve(run.options.cwd, compileTemplate(step.cwd).render(scoped).trim()) : run.options.cwd;
    const contextId = run.contextId(path);
    const call = (itemExtra: Record<string, unknown>, attemptSignal: AbortSignal): StepCall => ({
      step, pipeline, path, context, contextId, extra: { ...extra, ...itemExtra }, signal: attemptSignal, env, cwd,
      ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
      python: () => run.python(),
      llm: () => run.llm(),
      ...(run.options.streamAnswers && !items && step.primitive === "prompt" ? { stream: (text: string) => emit({ type: "step-delta", path, text }) } : {}),
      ...(run.options.liveOutput ? { onOutput: (stream, line) => emit({ type: "step-output", path, ...(typeof itemExtra.item_index === "number" ? { item: itemExtra.item_index } : {}), stream, line }) } : {}),
      // Each item of a foreach over a flow has steps of its own: `parent[3]/child`.
      runFlow: (child, inputs, flowPath, flowSignal) => scope.runFlow(child, inputs, typeof itemExtra.item_index === "number" ? `${flowPath}[${itemExtra.item_index}]` : flowPath, flowSignal),
      validateFlow: (flowFile) => validateFile(flowFile),
      rendered: (text) => emit({ type: "step-rendered", path, rendered: text, ...(typeof itemExtra.item_index === "number" ? { index: itemExtra.item_index } : {}) }),
    });
    const { traits } = executor;
    const cachedItems = new Set<number>();
    const attempt = async (itemExtra: Record<string, unknown>) => {
      const index = typeof itemExtra.item_index === "number" ? itemExtra.item_index : undefined;
      let outcome;
      try {
        outcome = await withRetries((attemptSignal) => executor.execute(call(itemExtra, attemptSignal)).then((out) => {
          logs.add(out.log, index);
          warnings.add(out.warnings, index);
          if (index !== undefined && out.cached) cachedItems.add(index);
          return out.value;
        }), {
          policy: step.retry,
          ...(step.timeoutMs !== undefined && !traits.timesItself ? { timeoutMs: step.timeoutMs } : {}),
          gate: <T>(work: () => Promise<T>) => (traits.unmetered ? (announce(), work()) : run.limiter.run(() => (announce(), work()))),
          signal,
          onRetry: (n, failure, delayMs) => {
            noteFailure(failure, n, index);
            emit({ type: "step-retry", path, ...(index !== undefined ? { item: index } : {}), attempt: n, error: failure.message, ...(failure.output ? { output: failure.output } : {}), delayMs });
          },
        });
      } catch (error) {
        const failure = asStepFailure(error);
        if (failure.kind !== "cancelled" && !signal.aborted) noteFailure(failure, attemptsOf(error), index);
        throw error;
      }
      attempts = Math.max(attempts, outcome.attempts);
      return outcome.value;
    };
    let value: unknown;
    let failedItems: FailedItem[] | undefined;
    if (items) {
      let done = 0;
      let failed = 0;
      const cap = Math.min(step.concurrency, run.limiter.limit);
      const outcome = await runItems(items, { parallel: step.parallel, cap, signal, onItemFailure: step.onItemFailure, ...(reusedItems ? { reused: reusedItems } : {}) }, (item, index) => attempt({ item, item_index: index, ...itemVars(step, scoped, { item, item_index: index }) }), (outcome) => {
        if (outcome.ok) done++;
        else failed++;
        const status = outcome.ok ? "success" : outcome.error?.kind === "cancelled" ? "cancelled" : "failed";
        emit({
          type: "item-end", path, index: outcome.index, status, durationMs: outcome.durationMs, done, failed, total: items.length,
          ...(outcome.ok ? { value: outcome.value } : { error: outcome.error?.message ?? "failed", ...(outcome.error?.output ? { output: outcome.error.output } : {}) }),
          ...(outcome.reused ? { reused: true } : {}),
          ...(itemAttempts.has(outcome.index) ? { failedAttempts: itemAttempts.get(outcome.index)! } : {}),
          ...(outcome.ok && cachedItems.has(outcome.index) ? { cached: true } : {}),
        });
        itemAttempts.delete(outcome.index);
      });
      value = outcome.results;
      if (outcome.failed.length) failedItems = outcome.failed;
      attempts = Math.max(attempts, 1);
    } else {
      value = await attempt({});
    }
    const saved = save(step, value, { ...scoped, [step.name]: value }, run.options.cwd, items, failedItems);
    if (saved.length > 0) emit({ type: "step-saved", path, files: saved });
    return finish({ status: "success", value, attempts, ...(failedItems ? { failedItems } : {}) });
  } catch (error) {
    const failure = asStepFailure(error);
    if (failure instanceof Cancelled || failure.kind === "cancelled" || signal.aborted) {
      return finish({ status: "cancelled", attempts: Math.max(attempts, attemptsOf(error)), error: "cancelled" });
    }
    const record = finish({ status: "failed", attempts: Math.max(attempts, attemptsOf(error)), error: failure.message, ...(failure.detail ? { detail: failure.detail } : {}), ...(failure.output ? { output: failure.output } : {}) });
    await runHandler(scope, step, handlerError(failure));
    return record;
  }
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

/** §5.6: when a step finally fails, its on_failure handler runs with `failed_step` and `error`. */
async function runHandler(scope: PipelineScope, step: Step, message: string): Promise<void> {
  if (!step.onFailure) return;
  const handler = scope.pipeline.steps.find((s) => s.name === step.onFailure);
  if (!handler) return;
  const record = await runStep(scope, handler, { failed_step: step.name, error: message });
  scope.records.set(handler.name, record);
}
