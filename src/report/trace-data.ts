/**
 * What `aiorch trace` shows, read from the history: the run, its steps in the order of a
 * tree (flow children under their parent), and the foreach items of each step counted.
 */
import type { ItemCounts, ItemRow, RunRow, StepRow } from "../history/index.ts";

/** Failed items listed under a step, unless `-v` (then all of them). */
export const FAILED_ITEMS_SHOWN = 5;

/** Everything a trace is drawn from. */
export interface TraceData {
  run: RunRow;
  /** The run's steps, in the order they started (`HistoryStore.getSteps`). */
  steps: readonly StepRow[];
  /** The recorded items of each foreach step, counted by status (`HistoryStore.itemCounts`). */
  itemCounts: ReadonlyMap<string, ItemCounts>;
  /** Failed items of the steps that have some: the first {@link FAILED_ITEMS_SHOWN}, or all with `-v`. */
  failures: ReadonlyMap<string, readonly ItemRow[]>;
  /** With `-v`: every recorded item of each foreach step. */
  items?: ReadonlyMap<string, readonly ItemRow[]>;
  /** The clock, for a run still going. */
  now: number;
}

/** A step in trace order: its depth in the flow tree and the name shown at that depth. */
export interface TraceEntry<T extends { name: string } = StepRow> {
  step: T;
  depth: number;
  /** The name without its parent's prefix: `child` for `flow/child`, `[3]/child` for `flow[3]/child`. */
  label: string;
}

/**
 * A foreach step's items: how many the list had and how each ended, adding up:
 * `total = succeeded + failed + cancelled + notRun`. `cached` counts the succeeded items a
 * prompt step answered from the LLM cache.
 */
export interface ItemSummary {
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** Never ran: the step stopped at a failure, was cancelled, or its run crashed. */
  notRun: number;
  cached: number;
}

/**
 * The recorded step that `name` runs inside: the longest `/`-prefix of it that is itself a
 * step, with a foreach index (`flow[3]`) dropped. Undefined for a top-level step.
 */
function parentOf(name: string, names: ReadonlySet<string>): string | undefined {
  for (let cut = name.lastIndexOf("/"); cut > 0; cut = name.lastIndexOf("/", cut - 1)) {
    const prefix = name.slice(0, cut);
    if (names.has(prefix)) return prefix;
    const unindexed = prefix.replace(/\[\d+\]$/, "");
    if (names.has(unindexed)) return unindexed;
  }
  return undefined;
}

/**
 * The steps as a tree, depth first: top-level steps in the order they started, each
 * followed by the steps of its flow (in the order they started), and so on down.
 */
export function traceOrder<T extends { name: string }>(steps: readonly T[]): TraceEntry<T>[] {
  const names = new Set(steps.map((s) => s.name));
  const children = new Map<string | undefined, T[]>();
  for (const step of steps) {
    const parent = parentOf(step.name, names);
    const list = children.get(parent);
    if (list) list.push(step);
    else children.set(parent, [step]);
  }
  const ordered: TraceEntry<T>[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    for (const step of children.get(parent) ?? []) {
      const label = parent === undefined ? step.name : step.name.slice(parent.length).replace(/^\//, "");
      ordered.push({ step, depth, label });
      visit(step.name, depth + 1);
    }
  };
  visit(undefined, 0);
  return ordered;
}

/**
 * A foreach step's item counts: the recorded items when there are any (they are written as
 * each item ends, so they are right even for a run that crashed mid-step), else the
 * step's own counters. Undefined for a step without `foreach:`.
 */
export function itemSummary(step: StepRow, counts: ItemCounts | undefined): ItemSummary | undefined {
  if (step.itemsTotal === null && counts === undefined) return undefined;
  const succeeded = counts ? counts.success : (step.itemsDone ?? 0);
  const failed = counts ? counts.failed : (step.itemsFailed ?? 0);
  const cancelled = counts ? counts.cancelled : 0;
  const total = Math.max(step.itemsTotal ?? 0, succeeded + failed + cancelled);
  return {
    total,
    succeeded,
    failed,
    cancelled,
    notRun: total - succeeded - failed - cancelled,
    cached: counts?.cached ?? 0,
  };
}
