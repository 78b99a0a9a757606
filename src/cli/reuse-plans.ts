import type { ReusePlan, ReusedItems } from "../engine/reuse.ts";
import { ancestorsIn } from "../engine/step-context.ts";
import { didYouMean } from "../errors/did-you-mean.ts";
import { UserError } from "../errors/user-error.ts";
import type { HistoryStore, RunRow, StepRow } from "../history/index.ts";
import type { Pipeline } from "../model/pipeline.ts";

/** The top-level step a path belongs to: `fetch` for `fetch`, `fetch[2]/child` and `fetch/child`. */
function topLevelOf(path: string): string {
  return path.split("/")[0]!.replace(/\[\d+\]$/, "");
}

/** Succeeded results of a run's steps (nested flow steps included), by path. Handlers never reuse theirs. */
function succeeded(steps: readonly StepRow[]): Map<string, unknown> {
  const results = new Map<string, unknown>();
  for (const step of steps) if (step.status === "success") results.set(step.name, step.output);
  return results;
}

/** Why a step whose record held a masked secret runs again. */
export const MASKED_RERUN = "its recorded input or result held a masked secret";

/**
 * Takes out of `results` every result a masked secret rules out, and returns why each
 * top-level step that loses its result runs again. Masked data is never replayed: `***`
 * is not what the step made (`release/***-2024` would be deployed). Out go:
 * - a step whose recorded input or result was masked;
 * - every step downstream of one (the simple, safe rule: it must see the new result,
 *   whether or not its own record was masked);
 * - inside a flow step, every nested result once one of them was masked (when the flow
 *   step itself runs again, its whole sub-pipeline does).
 * `scope` (`--from`): only these top-level steps are looked at; a masked result no step
 * that runs reads is left, since everything shown of it is masked anyway.
 */
function dropMasked(
  pipeline: Pipeline,
  rows: readonly StepRow[],
  results: Map<string, unknown>,
  scope?: ReadonlySet<string>,
): Map<string, string> {
  const masked = rows
    .filter(
      (r) => r.status === "success" && r.masked && results.has(r.name) && (!scope || scope.has(topLevelOf(r.name))),
    )
    .map((r) => r.name);
  const maskedTop = new Set(masked.filter((path) => topLevelOf(path) === path));
  const maskedInside = new Set(masked.filter((path) => topLevelOf(path) !== path).map(topLevelOf));
  const ancestors = ancestorsIn(pipeline);
  const order = pipeline.steps.filter((s) => !s.isHandler).map((s) => s.name);
  const reasons = new Map<string, string>();
  for (const name of order) {
    if (!results.has(name) || (scope && !scope.has(name))) continue;
    if (maskedTop.has(name)) reasons.set(name, MASKED_RERUN);
    else {
      const cause = order.find((a) => maskedTop.has(a) && ancestors.get(name)?.has(a));
      if (cause) reasons.set(name, `it depends on \`${cause}\`, which runs again`);
    }
  }
  for (const path of [...results.keys()]) {
    const top = topLevelOf(path);
    if (reasons.has(top) || (path !== top && maskedInside.has(top))) results.delete(path);
  }
  return reasons;
}

/**
 * `aiorch resume RUN`: every step that succeeded in the run is reused, and for a foreach
 * step that did not finish, every item that succeeded — except what held a masked secret
 * and what depends on it ({@link dropMasked}).
 */
export function resumePlan(store: HistoryStore, run: RunRow, pipeline: Pipeline): ReusePlan {
  const steps = store.getSteps(run.id);
  const items = new Map<string, ReusedItems>();
  for (const step of steps) {
    if (step.status === "success" || step.itemsTotal === null) continue;
    const values = new Map<number, unknown>();
    for (const item of store.getItems(run.id, step.name))
      if (item.status === "success" && !item.masked) values.set(item.index, item.output);
    items.set(step.name, { total: step.itemsTotal, values });
  }
  const results = succeeded(steps);
  const rerun = dropMasked(pipeline, steps, results);
  return { fromRun: run.id, steps: results, items, rerun };
}

/** `run --step NAME` or `run --from NAME`. */
export interface Selection {
  flag: "--step" | "--from";
  name: string;
}

/** The plan a selection makes from one run's recorded steps, or the top-level steps whose results it lacks. */
export type SelectionAttempt = { plan: ReusePlan } | { missing: string[] };

/** Refuses a selected step the pipeline does not have (exit 2, with a suggestion). */
export function requireStep(pipeline: Pipeline, { flag, name }: Selection): void {
  const names = pipeline.steps.filter((s) => !s.isHandler).map((s) => s.name);
  if (names.includes(name)) return;
  throw new UserError(`${flag} ${name}: no step \`${name}\` in ${pipeline.file}${didYouMean(name, names)}`, {
    hint: `\`aiorch list ${pipeline.file}\` lists the steps`,
  });
}

/** `missing` in the pipeline's order. */
export function inStepOrder(pipeline: Pipeline, missing: Iterable<string>): string[] {
  const order = pipeline.steps.map((s) => s.name);
  return [...missing].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** Where to start instead of reusing `missing`: the first missing step none of whose ancestors is missing. */
export function startInstead(pipeline: Pipeline, missing: readonly string[]): string | undefined {
  const ancestors = ancestorsIn(pipeline);
  return missing.find((m) => ![...(ancestors.get(m) ?? [])].some((a) => missing.includes(a))) ?? missing[0];
}

/**
 * The plan of `selection` with the results recorded in `run` (`rows`: its steps; none: no
 * earlier run). `--step NAME`: only NAME runs, and every ancestor's result must be there.
 * `--from NAME`: NAME and everything downstream run; every other step's result is taken
 * when the run has it (a step without one is "not selected"), and the ancestors of what
 * runs must have one. Results holding a masked secret run again ({@link dropMasked}).
 */
export function selectionAttempt(
  pipeline: Pipeline,
  selection: Selection,
  run: RunRow | undefined,
  rows: readonly StepRow[],
): SelectionAttempt {
  return selection.flag === "--step"
    ? stepAttempt(pipeline, selection.name, run, rows)
    : fromAttempt(pipeline, selection.name, run, rows);
}

function stepAttempt(
  pipeline: Pipeline,
  name: string,
  run: RunRow | undefined,
  rows: readonly StepRow[],
): SelectionAttempt {
  const needed = [...(ancestorsIn(pipeline).get(name) ?? [])];
  const selected = new Set([name]);
  const results = succeeded(rows);
  const missing = needed.filter((n) => !results.has(n));
  if (missing.length > 0) return { missing };
  const steps = new Map([...results].filter(([path]) => needed.includes(topLevelOf(path))));
  const rerun = dropMasked(pipeline, rows, steps);
  for (const step of rerun.keys()) selected.add(step);
  return { plan: { fromRun: run?.id ?? "", steps, items: new Map(), selected, rerun } };
}

function fromAttempt(
  pipeline: Pipeline,
  name: string,
  run: RunRow | undefined,
  rows: readonly StepRow[],
): SelectionAttempt {
  const ancestors = ancestorsIn(pipeline);
  const runnable = pipeline.steps.filter((s) => !s.isHandler);
  const selected = new Set(
    runnable.filter((s) => s.name === name || ancestors.get(s.name)?.has(name)).map((s) => s.name),
  );
  const steps = new Map([...succeeded(rows)].filter(([path]) => !selected.has(topLevelOf(path))));
  const neededBy = (chosen: ReadonlySet<string>) => {
    const needed = new Set<string>();
    for (const step of chosen)
      for (const ancestor of ancestors.get(step) ?? []) if (!chosen.has(ancestor)) needed.add(ancestor);
    return needed;
  };
  // Only results the selected steps read can be masked data replayed: the ancestors of the selection.
  const rerun = dropMasked(pipeline, rows, steps, neededBy(selected));
  for (const step of rerun.keys()) selected.add(step);
  const missing = [...neededBy(selected)].filter((n) => !steps.has(n));
  if (missing.length > 0) return { missing };
  return { plan: { fromRun: run?.id ?? "", steps, items: new Map(), selected, rerun } };
}
