/**
 * What a person types for a run id, turned into one run. Every command that takes a run id
 * (`history RUN_ID`, `trace`, `resume`) resolves it here, through `HistoryStore.getRun`, so
 * the rules are the same everywhere:
 *
 * 1. `last` is the newest run of the history (any pipeline, imported runs included).
 * 2. An exact id names its run.
 * 3. Otherwise any part of an id, 4 characters or more, names the one run whose id holds
 *    it, anywhere: the random end `3fa9` of `20261124-170312-3fa9` is enough, and so is a
 *    prefix. Two runs started in the same second share 16 characters; only their random
 *    ends tell them apart, which is why a prefix alone cannot be the rule.
 * 4. A whole number may also be the id a run had in the Python aiorch (kept on import); it
 *    counts as one more match, so a number that is both refuses with both listed.
 *
 * More than one match is a UserError (exit 2) listing them; none is undefined.
 */
import type { Database } from "bun:sqlite";
import { UserError } from "../errors/user-error.ts";
import type { RunRecord } from "./row-codec.ts";
import { listRuns, NEWEST_FIRST, RUN_SELECT, toRow } from "./run-queries.ts";
import type { RunRow } from "./types.ts";

/** The word that names the newest run wherever a run id is taken. */
export const LAST_RUN = "last";

/** The shortest part of an id that is searched for inside the ids. */
export const MIN_ID_PART = 4;

/** Candidates listed when a part matches several runs. */
const LISTED = 10;

/** The run `id` names, by the rules above; undefined when it names none. */
export function findRun(db: Database, id: string): RunRow | undefined {
  if (id === LAST_RUN) return listRuns(db, { limit: 1 })[0];
  const exact = db.query<RunRecord, [string]>(`${RUN_SELECT} WHERE r.id = ?`).get(id);
  if (exact) return toRow(exact);
  const matches = new Map<string, RunRow>();
  for (const run of idPartMatches(db, id)) matches.set(run.id, run);
  if (/^\d+$/.test(id)) for (const run of importedRuns(db, Number(id))) matches.set(run.id, run);
  if (matches.size <= 1) return [...matches.values()][0];
  throw ambiguous(id, [...matches.values()]);
}

/**
 * Runs whose id holds `part` (case does not matter), newest first, at most one more than
 * are listed. `instr` takes the text literally: `_` and `%` are not wildcards.
 */
function idPartMatches(db: Database, part: string): RunRow[] {
  if (part.length < MIN_ID_PART) return [];
  return db
    .query<RunRecord, [string, number]>(`${RUN_SELECT} WHERE instr(lower(r.id), ?) > 0 ${NEWEST_FIRST} LIMIT ?`)
    .all(part.toLowerCase(), LISTED + 1)
    .map(toRow);
}

/** Runs imported from a Python aiorch history with integer id `n` (one, unless two Python files were imported). */
function importedRuns(db: Database, n: number): RunRow[] {
  return db.query<RunRecord, [number]>(`${RUN_SELECT} WHERE r.imported_id = ? ${NEWEST_FIRST}`).all(n).map(toRow);
}

function ambiguous(id: string, runs: RunRow[]): UserError {
  const listed = runs
    .slice(0, LISTED)
    .map(
      (r) =>
        `  ${r.id}  ${r.pipeline}  ${new Date(r.startedAt).toISOString()}${r.imported ? `  (Python run #${r.imported.id})` : ""}`,
    );
  const more = runs.length > LISTED ? "\n  …and more" : "";
  return new UserError(`run "${id}" matches several runs:\n${listed.join("\n")}${more}`, {
    hint: "give more characters of the run id: the whole id, or a part of it (4+ characters, e.g. its last 4) that only one run has",
  });
}
