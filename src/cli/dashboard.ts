import { defineCommand } from "citty";
import { UserError } from "../errors/user-error.ts";
import { ResponseCache } from "../llm/response-cache.ts";
import { parseDuration } from "../model/duration.ts";
import { dashboardJson, renderDashboard, type Dashboard } from "../report/dashboard-view.ts";
import { documentJson } from "../report/history-format.ts";
import { locateHistory, readHistory } from "./history.ts";
import { FORMAT_ARG, printOut } from "./output.ts";

const DEFAULT_LIMIT = 10;
const DEFAULT_SINCE = "7d";
/** Rows of each breakdown (pipelines, models, failures). */
const TOP = 10;

export const dashboardCommand = defineCommand({
  meta: {
    name: "dashboard",
    description:
      "A one-screen summary of the history: runs and spending (last 24h, 7 days, all), recent runs, cost by pipeline and by model, recent failures, the LLM cache. Reads only.",
  },
  args: {
    limit: { type: "string", description: `Recent runs shown (default ${DEFAULT_LIMIT})`, valueHint: "N" },
    since: {
      type: "string",
      description: `The cost by pipeline and by model covers runs started this long ago or less (default ${DEFAULT_SINCE}; e.g. 24h, 30d)`,
      valueHint: "AGE",
    },
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
    const limit = args.limit === undefined ? DEFAULT_LIMIT : Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1 || args.limit?.trim() === "") {
      throw new UserError(`--limit must be a whole number of at least 1, got ${JSON.stringify(args.limit)}`, {
        hint: "e.g. --limit 20",
      });
    }
    const sinceLabel = (args.since ?? DEFAULT_SINCE).trim();
    const sinceMs = parseDuration(sinceLabel);
    if (sinceMs === undefined)
      throw new UserError(`--since must be an age such as 24h, 7d or 30d, got ${JSON.stringify(args.since)}`, {
        hint: "e.g. --since 30d",
      });
    const file = locateHistory(args.config);
    const now = Date.now();
    const cacheReader = ResponseCache.open(file, { readonly: true });
    let cache;
    try {
      cache = cacheReader.stats();
    } finally {
      cacheReader.close();
    }
    const dashboard: Dashboard = readHistory(file, (store) => {
      const recent = store.listRuns({ limit });
      return {
        file,
        figures: store.dashboard({ now, since: now - sinceMs, top: TOP }),
        recent,
        counts: store.stepCounts(recent.map((r) => r.id)),
        cache,
        since: now - sinceMs,
        sinceLabel,
        limit,
        now,
      };
    });
    printOut(args.format === "json" ? documentJson(dashboardJson(dashboard)) : renderDashboard(dashboard));
  },
});
