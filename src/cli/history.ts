import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { didYouMean } from "../errors/did-you-mean.ts";
import { UserError } from "../errors/user-error.ts";
import { HistoryStore, numericRunIdError, type RunFilter, type ShownStatus } from "../history/index.ts";
import { loadCliConfig } from "./cli-config.ts";
import { parseDuration } from "../model/duration.ts";
import {
  pruneJson,
  renderNoRuns,
  renderPrune,
  renderRunTable,
  runListJson,
  type PruneRequest,
} from "../report/history-view.ts";
import { renderRunSummary } from "../report/run-summary-view.ts";
import { runSummaryJson } from "../report/trace-json.ts";
import { documentJson } from "../report/history-format.ts";
import { FORMAT_ARG, maskSecrets, printOut } from "./output.ts";
import { historyFile, runSecrets } from "./run-history.ts";
import { traceData } from "../report/trace-data-reader.ts";

const STATUSES: readonly ShownStatus[] = ["running", "success", "failed", "cancelled", "crashed"];
const DEFAULT_LIMIT = 20;
const PRUNE_USAGE =
  "e.g. `aiorch history prune --older-than 30d` or `aiorch history prune --keep 100` (both together: runs that match both)";

/** Options of `history`, `history RUN_ID` and `history prune`, as citty parses them. */
interface HistoryArgs {
  run_id?: string;
  _: string[];
  limit?: string;
  pipeline?: string;
  status?: string;
  "older-than"?: string;
  keep?: string;
  config?: string;
  format: string;
}

export const historyCommand = defineCommand({
  meta: {
    name: "history",
    description:
      "The run history: `history` lists recent runs, newest first (--limit, --pipeline, --status); `history RUN_ID` shows one run's summary (inputs, status, times, cost, failed steps); `history prune` deletes old runs (--older-than, --keep) and reclaims the space.",
  },
  args: {
    run_id: {
      type: "positional",
      required: false,
      description:
        "A run id, any part of one (4+ characters) that no other id has, or `last` (the newest run); or `prune`",
      valueHint: "RUN_ID|prune",
    },
    limit: { type: "string", description: `At most N runs (default ${DEFAULT_LIMIT})`, valueHint: "N" },
    pipeline: { type: "string", description: "Only runs of this pipeline (its name:)", valueHint: "NAME" },
    status: { type: "string", description: `Only runs with this status: ${STATUSES.join(", ")}`, valueHint: "STATUS" },
    "older-than": {
      type: "string",
      description: "prune: delete runs that started longer ago than this (30d, 2w, 12h, 90m)",
      valueHint: "AGE",
    },
    keep: { type: "string", description: "prune: keep the newest N runs, delete the others", valueHint: "N" },
    config: {
      type: "string",
      alias: "c",
      description:
        "Config file (default: aiorch.yaml in or above the current folder, else $AIORCH_HOME/config.yaml); its storage.path says where the history is",
      valueHint: "FILE",
    },
    ...FORMAT_ARG,
  },
  run({ args }) {
    const options: HistoryArgs = args;
    const extra = options._.slice(1);
    if (extra.length > 0) {
      throw new UserError(`unexpected argument \`${extra[0]}\` for \`aiorch history\``, {
        hint: "give one run id: `aiorch history RUN_ID`",
      });
    }
    if (options.run_id === "prune") return prune(options);
    if (options.run_id !== undefined) return showRun(options, options.run_id);
    return listRuns(options);
  },
});

/** The history file for the config found from the current folder (or `--config`); secrets of that config and the environment are masked in all output. */
export function locateHistory(configFile: string | undefined): string {
  const { config } = loadCliConfig({ explicit: configFile, pipelineDir: process.cwd() });
  maskSecrets(runSecrets(config, process.env));
  return historyFile(config, process.env);
}

/** Reads the history at `file` (read-only) with `read`, then closes it. */
export function readHistory<T>(file: string, read: (store: HistoryStore) => T): T {
  const store = HistoryStore.open(file, { readonly: true });
  try {
    return read(store);
  } finally {
    store.close();
  }
}

/** Asking for run `id` where no database exists yet: nothing was recorded there. */
export function noRunsYet(file: string, id: string): UserError {
  if (/^\d+$/.test(id)) return numericRunIdError(id, file, undefined);
  return new UserError(`no run "${id}": no runs recorded yet (${file} does not exist)`, {
    hint: "`aiorch run FILE` records runs there; if they were recorded elsewhere, check AIORCH_HOME, the config's storage.path or --config",
  });
}

/** Options that belong to other forms of the command, refused rather than ignored. */
function refuse(options: HistoryArgs, names: readonly (keyof HistoryArgs)[], form: string, hint: string): void {
  for (const name of names) {
    if (options[name] !== undefined) throw new UserError(`--${name} does not apply to \`${form}\``, { hint });
  }
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 1) {
    throw new UserError(`--limit must be a whole number of at least 1, got ${JSON.stringify(value)}`, {
      hint: "e.g. --limit 50",
    });
  }
  return n;
}

function statusOf(value: string | undefined): ShownStatus | undefined {
  if (value === undefined) return undefined;
  if ((STATUSES as readonly string[]).includes(value)) return value as ShownStatus;
  throw new UserError(`unknown status ${JSON.stringify(value)} for --status${didYouMean(value, STATUSES)}`, {
    hint: `use one of ${STATUSES.join(", ")}`,
  });
}

function listRuns(options: HistoryArgs): void {
  refuse(
    options,
    ["older-than", "keep"],
    "aiorch history",
    "--older-than and --keep are options of `aiorch history prune`",
  );
  const filter: RunFilter = { limit: limitOf(options.limit) };
  const status = statusOf(options.status);
  if (status !== undefined) filter.status = status;
  if (options.pipeline !== undefined) filter.pipeline = options.pipeline;
  const file = locateHistory(options.config);
  const json = options.format === "json";
  const now = Date.now();
  if (!existsSync(file)) {
    printOut(json ? "[]" : renderNoRuns(false, file));
    return;
  }
  readHistory(file, (store) => {
    const runs = store.listRuns(filter);
    const counts = store.stepCounts(runs.map((r) => r.id));
    if (json) printOut(documentJson(runListJson(runs, counts, now)));
    else if (runs.length === 0) printOut(renderNoRuns(status !== undefined || filter.pipeline !== undefined, file));
    else printOut(renderRunTable(runs, { counts, now, limit: filter.limit! }));
  });
}

function showRun(options: HistoryArgs, id: string): void {
  refuse(
    options,
    ["limit", "pipeline", "status"],
    "aiorch history RUN_ID",
    "--limit, --pipeline and --status filter the list of runs: `aiorch history --status failed`",
  );
  refuse(
    options,
    ["older-than", "keep"],
    "aiorch history RUN_ID",
    "--older-than and --keep are options of `aiorch history prune`",
  );
  const file = locateHistory(options.config);
  if (!existsSync(file)) throw noRunsYet(file, id);
  readHistory(file, (store) => {
    const run = store.requireRun(id);
    const counts = store.stepCounts([run.id]).get(run.id);
    const data = traceData(store, run, { allFailures: false, allItems: false });
    printOut(
      options.format === "json" ? documentJson(runSummaryJson(data, counts)) : renderRunSummary({ ...data, counts }),
    );
  });
}

/** `--older-than AGE` and `--keep N`, checked before the database is touched. */
function pruneRequest(options: HistoryArgs): { request: PruneRequest; olderThanMs?: number } {
  const age = options["older-than"];
  const keep = options.keep;
  if (age === undefined && keep === undefined) {
    throw new UserError("`aiorch history prune` needs --older-than AGE and/or --keep N to know which runs to delete", {
      hint: PRUNE_USAGE,
    });
  }
  const result: { request: PruneRequest; olderThanMs?: number } = { request: {} };
  if (age !== undefined) {
    const ms = parseDuration(age);
    if (ms === undefined) {
      throw new UserError(`--older-than must be an age such as 30d, 2w, 12h or 90m, got ${JSON.stringify(age)}`, {
        hint: PRUNE_USAGE,
      });
    }
    result.olderThanMs = ms;
    result.request.olderThan = age.trim();
  }
  if (keep !== undefined) {
    const n = Number(keep);
    if (keep.trim() === "" || !Number.isInteger(n) || n < 0) {
      throw new UserError(`--keep must be a whole number of 0 or more, got ${JSON.stringify(keep)}`, {
        hint: PRUNE_USAGE,
      });
    }
    result.request.keep = n;
  }
  return result;
}

function prune(options: HistoryArgs): void {
  refuse(
    options,
    ["limit", "pipeline", "status"],
    "aiorch history prune",
    "prune selects the runs to delete by --older-than and --keep only",
  );
  const { request, olderThanMs } = pruneRequest(options);
  const file = locateHistory(options.config);
  const json = options.format === "json";
  if (!existsSync(file)) {
    const nothing = { runs: 0, bytesBefore: 0, bytesAfter: 0 };
    printOut(json ? documentJson(pruneJson(nothing)) : `no runs recorded yet: nothing to prune (history: ${file})`);
    return;
  }
  const store = HistoryStore.open(file);
  try {
    const result = store.prune({
      ...(olderThanMs !== undefined ? { olderThanMs } : {}),
      ...(request.keep !== undefined ? { keep: request.keep } : {}),
    });
    printOut(json ? documentJson(pruneJson(result)) : renderPrune(result, request));
  } finally {
    store.close();
  }
}
