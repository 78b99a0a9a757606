import { setOwn } from "../model/own-key.ts";
import { META_NAME, type Pipeline, type RunMeta, type Step } from "../model/pipeline.ts";
import { isLazyHttpValue } from "../load/inputs.ts";
import { ancestorsOf, buildDag, type AncestorIndex } from "../plan/dag.ts";
import { compileTemplate } from "../template/index.ts";
import type { FailedAttempt, StepStatus } from "./events.ts";
import type { StepLlmUsage } from "../llm/llm-services.ts";
import { formatDuration } from "../model/duration.ts";
import { StepFailure, type OutputTails } from "../errors/step-failure.ts";
import { Cancelled } from "./attempts.ts";
import type { FailedItem } from "./foreach.ts";
import { bodyIsCode, namesReadByCondition, perItemVars, stepWords } from "./step-reads.ts";

/** What happened to one step. */
export interface StepRecord {
  name: string;
  status: StepStatus;
  value?: unknown;
  error?: string;
  /** More about a failure: a python traceback (shown with -v, kept in the trace). */
  detail?: string;
  /** The end of what the failing attempt printed. */
  output?: OutputTails;
  /** Every failed attempt of a step without foreach (items carry their own). */
  failedAttempts?: FailedAttempt[];
  attempts: number;
  durationMs: number;
  reason?: string;
  /** prompt: tokens, cost, cache hits. */
  usage?: StepLlmUsage;
  /** What it wrote besides its result (stderr, print() output). */
  log?: string;
  /** What went wrong although it succeeded (a prompt answer cut off at max_tokens). */
  warnings?: string[];
  /** `on_item_failure: continue`: the items that failed (their slots hold `null`), by index. */
  failedItems?: FailedItem[];
}

const ancestorCache = new WeakMap<Pipeline, AncestorIndex>();

export function ancestorsIn(pipeline: Pipeline): AncestorIndex {
  let ancestors = ancestorCache.get(pipeline);
  if (!ancestors) ancestorCache.set(pipeline, (ancestors = ancestorsOf(buildDag(pipeline.steps))));
  return ancestors;
}

/** The steps that publish each name (a step's name, an `output:` alias), and each step's place in the file. */
interface Publishers {
  byName: Map<string, Step[]>;
  /** Steps with a name or alias that is not one identifier: no single word of a template spells it. */
  unspelled: Step[];
  order: Map<Step, number>;
}

const publisherCache = new WeakMap<Pipeline, Publishers>();
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

function publishersIn(pipeline: Pipeline): Publishers {
  let found = publisherCache.get(pipeline);
  if (found) return found;
  found = { byName: new Map(), unspelled: [], order: new Map() };
  for (const [k, step] of pipeline.steps.entries()) {
    found.order.set(step, k);
    for (const name of step.output ? [step.name, step.output] : [step.name]) {
      if (!IDENTIFIER.test(name)) found.unspelled.push(step);
      const steps = found.byName.get(name);
      if (steps) steps.push(step);
      else found.byName.set(name, [step]);
    }
  }
  publisherCache.set(pipeline, found);
  return found;
}

/**
 * The ancestors whose results a step's context holds, in file order. A code body (python) reads
 * `inputs[…]` by any name it builds, so it gets all of them. Any other step reads results
 * only through its templates, and a template reads a name only by writing it: such a step
 * gets the ancestors that a word of its text names. The context is built for every step
 * and copied for every render, so all ancestors everywhere made a chain of N steps build
 * and copy N²/2 entries (a 4,000-step chain: 8 million, and hundreds of MB of garbage).
 */
export function readableAncestors(pipeline: Pipeline, step: Step): Step[] {
  const ancestors = ancestorsIn(pipeline);
  if (bodyIsCode(step)) {
    const all = ancestors.get(step.name) ?? new Set<string>();
    return pipeline.steps.filter((s) => all.has(s.name));
  }
  const { byName, unspelled, order } = publishersIn(pipeline);
  const found = new Set<Step>();
  const consider = (s: Step) => {
    if (!found.has(s) && ancestors.reaches(step.name, s.name)) found.add(s);
  };
  for (const word of stepWords(step)) for (const s of byName.get(word) ?? []) consider(s);
  for (const s of unspelled) consider(s);
  return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
}

/** What stops a step's wait for its http inputs: the run's Ctrl-C and the step's `timeout`. */
export interface InputWait {
  /** The run's (or the flow's) cancellation. */
  signal: AbortSignal;
  /** The step's `timeout`: fetching its inputs counts as its own time. */
  timeoutMs?: number;
  /** Started by the first fetch of the step, so both fetch phases share one deadline. */
  deadline?: AbortSignal;
}

/**
 * Fetches the lazy http inputs among `names` (docs/pipeline-reference.md#input: on first use) into `context`.
 * Ctrl-C ends the wait as a cancellation; the step's timeout as a timeout failure.
 */
export async function loadLazyInputs(
  context: Record<string, unknown>,
  inputs: Record<string, unknown>,
  names: ReadonlySet<string>,
  wait: InputWait,
): Promise<void> {
  for (const [name, value] of Object.entries(inputs)) {
    if (!isLazyHttpValue(value) || name in context || !names.has(name)) continue;
    if (wait.timeoutMs !== undefined) wait.deadline ??= AbortSignal.timeout(wait.timeoutMs);
    try {
      setOwn(
        context,
        name,
        await value.load(wait.deadline ? AbortSignal.any([wait.signal, wait.deadline]) : wait.signal),
      );
    } catch (error) {
      if (wait.signal.aborted) throw new Cancelled();
      if (wait.deadline?.aborted)
        throw new StepFailure(
          `timed out after ${formatDuration(wait.timeoutMs!)} waiting for http input \`${name}\``,
          "timeout",
        );
      throw error;
    }
  }
}

/**
 * Adds the successful results of `steps` (in file order) to `context`, as the Python aiorch
 * resolves names: an `output:` alias wins over an input and over a step's own name, and an
 * input wins over a step's name (so a step called like an input does not hide the input).
 */
export function publishResults(
  context: Record<string, unknown>,
  inputs: Record<string, unknown>,
  steps: readonly Step[],
  records: ReadonlyMap<string, StepRecord>,
): void {
  const done = steps.filter((s) => records.get(s.name)?.status === "success");
  for (const s of done) if (!Object.hasOwn(inputs, s.name)) setOwn(context, s.name, records.get(s.name)!.value);
  for (const s of done) if (s.output) setOwn(context, s.output, records.get(s.name)!.value);
}

/**
 * The context of a step (docs/pipeline-reference.md#results-names-and-context): inputs, the results of its ancestors (under their names
 * and `output:` aliases; skipped steps are absent), `_meta`, then its `vars` rendered in
 * that context. Lazy http inputs are fetched here only when `vars` or the condition read
 * them; the step runner fetches the rest once the condition holds.
 */
export async function stepContext(
  pipeline: Pipeline,
  step: Step,
  inputs: Record<string, unknown>,
  records: ReadonlyMap<string, StepRecord>,
  meta: RunMeta,
  extra: Record<string, unknown>,
  wait: InputWait,
): Promise<Record<string, unknown>> {
  const context: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs)) if (!isLazyHttpValue(value)) setOwn(context, name, value);
  await loadLazyInputs(context, inputs, namesReadByCondition(step), wait);
  publishResults(context, inputs, readableAncestors(pipeline, step), records);
  context[META_NAME] = meta;
  const perItem = perItemVars(step);
  for (const [key, value] of Object.entries(step.vars)) {
    if (perItem.includes(key)) continue; // rendered for each item (itemVars)
    setOwn(context, key, typeof value === "string" ? compileTemplate(value).evaluate({ ...context, ...extra }) : value);
  }
  return context;
}

/** The per-item `vars` of a foreach step for one item, rendered with the step's context and the item. */
export function itemVars(
  step: Step,
  context: Record<string, unknown>,
  item: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of perItemVars(step))
    values[key] = compileTemplate(step.vars[key] as string).evaluate({ ...context, ...item, ...values });
  return values;
}
