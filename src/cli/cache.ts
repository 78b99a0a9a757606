import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { UserError } from "../errors/user-error.ts";
import { ResponseCache } from "../llm/response-cache.ts";
import { loadCliConfig } from "./cli-config.ts";
import { parseDuration } from "../model/duration.ts";
import { cacheStatsJson, cacheStatsLines, EMPTY_CACHE } from "../report/cache-stats-view.ts";
import { FORMAT_ARG, printJson, printOut } from "./output.ts";
import { historyFile } from "./run-history.ts";

const ACTIONS = ["stats", "clear"] as const;

export const cacheCommand = defineCommand({
  meta: {
    name: "cache",
    description:
      "The LLM response cache: `cache stats` (entries, hits, dollars saved) or `cache clear [--older-than 30d]`.",
  },
  args: {
    action: { type: "positional", description: "stats or clear", required: true },
    "older-than": {
      type: "string",
      description: "clear: only entries not used for this long (e.g. 30d, 12h)",
      valueHint: "AGE",
    },
    config: {
      type: "string",
      alias: "c",
      description: "Config file (its storage.path says where the cache lives)",
      valueHint: "FILE",
    },
    ...FORMAT_ARG,
  },
  async run({ args }) {
    const action = String(args.action);
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new UserError(`unknown cache action \`${action}\``, {
        hint: "use `aiorch cache stats` or `aiorch cache clear [--older-than 30d]`",
      });
    }
    const olderThan = args["older-than"];
    const olderThanMs = olderThan === undefined ? undefined : parseDuration(olderThan);
    if (olderThan !== undefined && (olderThanMs === undefined || action !== "clear")) {
      throw new UserError(
        action !== "clear"
          ? "--older-than goes with `cache clear`"
          : `--older-than takes an age like 30d, 12h or 90m, not ${JSON.stringify(olderThan)}`,
        { hint: "e.g. aiorch cache clear --older-than 30d" },
      );
    }
    const { config } = loadCliConfig({ explicit: args.config, pipelineDir: process.cwd() });
    const file = historyFile(config, process.env);
    const json = args.format === "json";
    if (!existsSync(file)) {
      if (json) printJson(action === "stats" ? cacheStatsJson(EMPTY_CACHE, file) : { deleted: 0, file });
      else printOut(`no LLM cache yet (${file})`);
      return;
    }
    const cache = ResponseCache.open(file, { readonly: action === "stats" });
    try {
      if (action === "stats") {
        const stats = cache.stats();
        if (json) printJson(cacheStatsJson(stats, file));
        else printOut([`LLM cache ${file}`, ...cacheStatsLines(stats)].join("\n"));
      } else {
        const deleted = cache.clear(olderThanMs);
        if (json) printJson({ deleted, file });
        else
          printOut(
            `deleted ${deleted} cached answer${deleted === 1 ? "" : "s"}${olderThan ? ` not used for ${olderThan}` : ""}`,
          );
      }
    } finally {
      cache.close();
    }
  },
});
