/**
 * Which earlier run `run --step/--from` takes its results from (issue 13 item 4). Without
 * `--reuse`: the newest run of the same pipeline file (absolute path), unchanged (the
 * SHA-256 of it and of its flow files), with the same inputs (by digest, secrets included),
 * that has every result needed — never a run that differs in any of these. With
 * `--reuse RUN_ID`: that run, whatever differs, with a warning saying what.
 */
import { UserError } from "../errors/user-error.ts";
import type { HistoryStore, RunRow, StepRow } from "../history/index.ts";
import type { ReusePlan } from "../engine/reuse.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { inStepOrder, selectionAttempt, startInstead, type Selection } from "./reuse-plans.ts";
import { runDifferences, shownPath } from "./run-differences.ts";
import type { RunFingerprint } from "./run-fingerprint.ts";

/** How many recent runs of the file are looked through for one that matches. */
const RUNS_SEARCHED = 50;

/** Runs named, with what differs, when none matches. */
const RUNS_LISTED = 3;

/** The plan, and what to tell before the run. */
export interface ReuseChoice {
  plan: ReusePlan;
  /** Printed as a warning before the run: how the run chosen by `--reuse` differs from this one. */
  warning?: string;
  /** The run whose results are reused although it differs (`--reuse`): recorded, so this run is never matched automatically. */
  unmatched?: string;
}

/** Where the results may come from: the history (undefined: there is none yet, at `historyFile`), and `--reuse`. */
export interface ReuseSource {
  store: HistoryStore | undefined;
  historyFile: string;
  /** `--reuse RUN_ID`: an id, a unique part of one, or `last`. */
  reuse?: string | undefined;
}

/** The plan of `selection` for a run of `pipeline` that is `current`; UserErrors (exit 2) say what does not fit. */
export function chooseReuse(
  pipeline: Pipeline,
  selection: Selection,
  current: RunFingerprint,
  source: ReuseSource,
): ReuseChoice {
  if (source.reuse !== undefined) return explicitReuse(pipeline, selection, current, source);
  // `--step` of a step without ancestors reuses nothing: no history needed.
  const alone = selectionAttempt(pipeline, selection, undefined, []);
  if (selection.flag === "--step" && "plan" in alone) return { plan: alone.plan };
  const { store } = source;
  const considered: Considered[] = [];
  for (const run of store?.runsOfFile(current.filePath, RUNS_SEARCHED) ?? []) {
    const why = runDifferences(store!, run, current);
    if (why.length > 0) {
      considered.push({ run, why });
      continue;
    }
    const rows = store!.getSteps(run.id);
    const attempt = selectionAttempt(pipeline, selection, run, rows);
    if ("plan" in attempt) return { plan: attempt.plan };
    considered.push({ run, why: [lacking(attempt.missing, rows)], lacks: attempt.missing });
  }
  // `--from` a step nothing upstream of: the other steps' results were welcome, not needed.
  if ("plan" in alone) return { plan: alone.plan };
  throw noMatch(pipeline, selection, alone.missing, current, source, considered);
}

/** `--reuse RUN_ID`: that run's results, whatever differs (said in a warning); a run without the needed results is exit 2. */
function explicitReuse(
  pipeline: Pipeline,
  selection: Selection,
  current: RunFingerprint,
  { store, historyFile, reuse }: ReuseSource,
): ReuseChoice {
  const id = reuse!;
  if (!store)
    throw new UserError(`--reuse ${id}: there is no run history yet (${historyFile})`, {
      hint: "run the whole pipeline first (`aiorch run` without --step/--from) to record one",
    });
  let run: RunRow;
  try {
    run = store.requireRun(id);
  } catch (error) {
    if (error instanceof UserError)
      throw new UserError(`--reuse ${id}: ${error.message}`, error.hint === undefined ? {} : { hint: error.hint });
    throw error;
  }
  if (run.imported) {
    throw new UserError(
      `--reuse ${id}: run ${run.id} is run #${run.imported.id} of the Python aiorch, imported from its history: it kept no step results`,
      { hint: "choose a run made by this aiorch (`aiorch history` lists them)" },
    );
  }
  const rows = store.getSteps(run.id);
  const attempt = selectionAttempt(pipeline, selection, run, rows);
  if ("missing" in attempt) {
    const missing = inStepOrder(pipeline, attempt.missing);
    const start = startInstead(pipeline, missing);
    throw new UserError(
      `--reuse ${id}: run ${run.id} has no result of ${names(missing)}, which ${selection.flag} ${selection.name} needs: ${lacking(missing, rows)}`,
      {
        hint: `choose a run that has ${missing.length === 1 ? "it" : "them"} (\`aiorch history\` lists the runs, \`aiorch trace ${run.id}\` shows this one)${start ? `, or start earlier with --from ${start}` : ""}`,
      },
    );
  }
  if (attempt.plan.steps.size === 0) return { plan: attempt.plan };
  const why = runDifferences(store, run, current);
  if (why.length === 0) return { plan: attempt.plan };
  return {
    plan: attempt.plan,
    warning: `run ${run.id} differs from this run; its results are reused anyway (--reuse):\n${why.map((w) => `  ${w}`).join("\n")}`,
    unmatched: run.id,
  };
}

/** Why a run lacks the results of `missing`: for each, that it failed there (or whatever its status), or never ran there. */
function lacking(missing: readonly string[], rows: readonly StepRow[]): string {
  return missing
    .map((name) => {
      const row = rows.find((r) => r.name === name);
      if (!row) return `\`${name}\` did not run`;
      return row.status === "skipped" && row.reason
        ? `\`${name}\` was skipped (${row.reason})`
        : `\`${name}\` ${row.status === "running" ? "did not finish" : row.status}`;
    })
    .join(", ");
}

const names = (steps: readonly string[]) => steps.map((s) => `\`${s}\``).join(", ");

interface Considered {
  run: RunRow;
  why: string[];
  /** The run matches, but lacks these results. */
  lacks?: string[];
}

/** No run fits: which were looked at and what differs in each, and the ways out. */
function noMatch(
  pipeline: Pipeline,
  selection: Selection,
  needed: readonly string[],
  current: RunFingerprint,
  source: ReuseSource,
  considered: Considered[],
): UserError {
  const missing = inStepOrder(pipeline, needed);
  const start = startInstead(pipeline, missing);
  const file = shownPath(current.filePath);
  const head = `${selection.flag} ${selection.name} needs the results of ${names(missing)} from an earlier run of ${file} with the same inputs`;
  const ways = [
    `run the whole pipeline (the same command without ${selection.flag})`,
    ...(start && start !== selection.name ? [`start earlier with --from ${start}`] : []),
  ];
  const store = source.store;
  const listed = considered.length > 0 ? considered : otherRuns(pipeline, store, current);
  if (!store || listed.length === 0) {
    const where =
      store && store.listRuns({ limit: 1 }).length > 0
        ? `no run of it (or of a pipeline named \`${pipeline.name}\`) is recorded`
        : `the history has no runs at all (${source.historyFile})`;
    return new UserError(`${head}, and ${where}`, { hint: ways.join(", or ") });
  }
  const lines = listed
    .slice(0, RUNS_LISTED)
    .map(({ run, why }) => `  run ${run.id} (${run.status}): ${why.join("; ")}`);
  const more = listed.length - RUNS_LISTED;
  if (more > 0) lines.push(`  …and ${more} older run${more === 1 ? "" : "s"} of it`);
  // The newest listed run that has every result needed: what --reuse would take.
  const usable = listed
    .slice(0, RUNS_LISTED)
    .find(
      (c) =>
        !c.lacks && !c.run.imported && "plan" in selectionAttempt(pipeline, selection, c.run, store.getSteps(c.run.id)),
    );
  const what =
    considered.length > 0
      ? "none of its recorded runs fits"
      : `no run of it is on record, only these of a pipeline named \`${pipeline.name}\``;
  return new UserError(`${head}, and ${what}:\n${lines.join("\n")}`, {
    hint: [
      ...(usable ? [`\`--reuse ${usable.run.id}\` reuses that run's results anyway (with a warning)`] : []),
      ...ways,
    ].join(", or "),
  });
}

/** When the file has no run: the newest runs of a pipeline with the same name (another file, or recorded by an older aiorch). */
function otherRuns(pipeline: Pipeline, store: HistoryStore | undefined, current: RunFingerprint): Considered[] {
  return (store?.listRuns({ pipeline: pipeline.name, limit: RUNS_LISTED + 1 }) ?? []).map((run) => ({
    run,
    why: runDifferences(store!, run, current),
  }));
}
