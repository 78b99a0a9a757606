import type { ReusePlan, ReusedItems } from "../engine/reuse.ts";
import { ancestorsIn } from "../engine/step-context.ts";
import { didYouMean } from "../errors/did-you-mean.ts";
import { UserError } from "../errors/user-error.ts";
import type { HistoryStore, RunRow, StepRow } from "../history/index.ts";
import type { Pipeline } from "../model/pipeline.ts";

/** How many recent runs `--step` looks through for one that has every result it needs. */
const RUNS_SEARCHED = 50;

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
function dropMasked(pipeline: Pipeline, rows: readonly StepRow[], results: Map<string, unknown>, scope?: ReadonlySet<string>): Map<string, string> {
  const masked = rows.filter((r) => r.status === "success" && r.masked && results.has(r.name) && (!scope || scope.has(topLevelOf(r.name)))).map((r) => r.name);
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
    for (const item of store.getItems(run.id, step.name)) if (item.status === "success" && !item.masked) values.set(item.index, item.output);
    items.set(step.name, { total: step.itemsTotal, values });
  }
  const results = succeeded(steps);
  const rerun = dropMasked(pipeline, steps, results);
  return { fromRun: run.id, steps: results, items, rerun };
}

function requireStep(pipeline: Pipeline, name: string, flag: string): void {
  const names = pipeline.steps.filter((s) => !s.isHandler).map((s) => s.name);
  if (names.includes(name)) return;
  throw new UserError(`${flag} ${name}: no step \`${name}\` in ${pipeline.file}${didYouMean(name, names)}`, { hint: `\`aiorch list ${pipeline.file}\` lists the steps` });
}

function missingMessage(flag: string, name: string, pipeline: Pipeline, unordered: readonly string[], latest: RunRow | undefined): UserError {
  const order = pipeline.steps.map((s) => s.name);
  const missing = [...unordered].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  // Where to start instead: a missing step whose own ancestors are all available.
  const ancestors = ancestorsIn(pipeline);
  const start = missing.find((m) => ![...(ancestors.get(m) ?? [])].some((a) => missing.includes(a))) ?? missing[0];
  const where = latest ? `the latest run of \`${pipeline.name}\` (${latest.id}, ${latest.status})` : `the history (no run of \`${pipeline.name}\` is recorded)`;
  return new UserError(`${flag} ${name} needs the results of ${missing.map((m) => `\`${m}\``).join(", ")}, which ${missing.length === 1 ? "is" : "are"} not in ${where}`, {
    hint: `run the whole pipeline once (\`aiorch run ${pipeline.file}\`)${start ? `, or start earlier with --from ${start}` : ""}`,
  });
}

/**
 * `run --step NAME`: only NAME runs; the results of its ancestors come from the newest
 * recorded run of the pipeline in which all of them succeeded.
 */
export function stepPlan(store: HistoryStore | undefined, pipeline: Pipeline, name: string): ReusePlan {
  requireStep(pipeline, name, "--step");
  const needed = [...(ancestorsIn(pipeline).get(name) ?? [])];
  const selected = new Set([name]);
  if (needed.length === 0) return { fromRun: "", steps: new Map(), items: new Map(), selected };
  const runs = store?.listRuns({ pipeline: pipeline.name, limit: RUNS_SEARCHED }) ?? [];
  for (const run of runs) {
    const rows = store!.getSteps(run.id);
    const results = succeeded(rows);
    if (needed.every((n) => results.has(n))) {
      const steps = new Map([...results].filter(([path]) => needed.includes(topLevelOf(path))));
      const rerun = dropMasked(pipeline, rows, steps);
      for (const step of rerun.keys()) selected.add(step);
      return { fromRun: run.id, steps, items: new Map(), selected, rerun };
    }
  }
  const latest = runs[0];
  const latestResults = latest ? succeeded(store!.getSteps(latest.id)) : new Map();
  throw missingMessage("--step", name, pipeline, needed.filter((n) => !latestResults.has(n)), latest);
}

/**
 * `run --from NAME`: NAME and every step downstream of it run; every other step's result
 * comes from the latest recorded run of the pipeline (a step without one is "not selected").
 */
export function fromPlan(store: HistoryStore | undefined, pipeline: Pipeline, name: string): ReusePlan {
  requireStep(pipeline, name, "--from");
  const ancestors = ancestorsIn(pipeline);
  const runnable = pipeline.steps.filter((s) => !s.isHandler);
  const selected = new Set(runnable.filter((s) => s.name === name || ancestors.get(s.name)?.has(name)).map((s) => s.name));
  const latest = store?.latestRun(pipeline.name);
  const rows = latest ? store!.getSteps(latest.id) : [];
  const steps = new Map([...succeeded(rows)].filter(([path]) => !selected.has(topLevelOf(path))));
  const neededBy = (chosen: ReadonlySet<string>) => {
    const needed = new Set<string>();
    for (const step of chosen) for (const ancestor of ancestors.get(step) ?? []) if (!chosen.has(ancestor)) needed.add(ancestor);
    return needed;
  };
  // Only results the selected steps read can be masked data replayed: the ancestors of the selection.
  const rerun = dropMasked(pipeline, rows, steps, neededBy(selected));
  for (const step of rerun.keys()) selected.add(step);
  const needed = neededBy(selected);
  const missing = [...needed].filter((n) => !steps.has(n));
  if (missing.length > 0) throw missingMessage("--from", name, pipeline, missing, latest);
  return { fromRun: latest?.id ?? "", steps, items: new Map(), selected, rerun };
}
