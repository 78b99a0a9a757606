/**
 * Results a run takes from an earlier run instead of computing them: `aiorch resume`
 * (every succeeded step and foreach item), `run --step` and `run --from` (docs/cli.md#aiorch-run, docs/history.md).
 * Keys are step paths as the engine reports them: `step`, `parent/child` inside a flow,
 * `parent[3]/child` inside the third item of a foreach over a flow.
 */
export interface ReusePlan {
  /** The run the results come from. */
  fromRun: string;
  /** Step results to take as they are. */
  steps: ReadonlyMap<string, unknown>;
  /** Succeeded items of foreach steps that did not finish, with the list length they belong to. */
  items: ReadonlyMap<string, ReusedItems>;
  /**
   * Top-level steps allowed to run (`--step`, `--from`); every other step that has no
   * reusable result is skipped as "not selected". Undefined: every step may run.
   */
  selected?: ReadonlySet<string>;
  /**
   * Top-level steps that had a result to reuse but run again, with why (shown before the
   * run): their record held a masked secret (`***` is not the value the step made), or they
   * depend on such a step and must see its new result.
   */
  rerun?: ReadonlyMap<string, string>;
}

export interface ReusedItems {
  /** The length of the foreach list when the items were recorded; another length reuses nothing. */
  total: number;
  values: ReadonlyMap<number, unknown>;
}

/** The reason recorded for a step whose result was reused. */
export function reusedReason(plan: ReusePlan): string {
  return `reused from run ${plan.fromRun}`;
}

/** The reason recorded for a step that `--step`/`--from` left out. */
export const NOT_SELECTED = "not selected";

/** Reused item results of `path` if the list still has `total` items. */
export function reusedItemsOf(
  plan: ReusePlan | undefined,
  path: string,
  total: number,
): ReadonlyMap<number, unknown> | undefined {
  const items = plan?.items.get(path);
  return items && items.total === total && items.values.size > 0 ? items.values : undefined;
}
