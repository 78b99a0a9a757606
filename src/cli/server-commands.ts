/**
 * The Python aiorch's server commands — `serve`, `status`, `stop` — ran its Platform server
 * (web UI, schedules, an API) as a daemon. This aiorch has no server: pipelines run in the
 * `aiorch run` process, and schedules belong to cron or CI. The commands are accepted, with
 * every option they had, so that old scripts get a clear answer rather than "unknown
 * command": `status` says what it can (no server; the recent runs), `stop` has nothing to
 * stop, `serve` cannot do what it is asked (exit 2). They are not listed in `aiorch --help`.
 */
import { defineCommand } from "citty";
import { ExitCode, UserError } from "../errors/user-error.ts";
import { renderNoRuns, renderRunTable } from "../report/history-view.ts";
import { locateHistory, readHistory } from "./history.ts";
import { printErr, printOut } from "./output.ts";

const NO_SERVER = "this aiorch has no server or daemon: a pipeline runs in the `aiorch run` process that started it";
const INSTEAD =
  "run pipelines with `aiorch run FILE` (from cron or CI for schedules); `aiorch dashboard` summarises recent runs, costs and the cache";
const STATUS_RUNS = 5;

export const serveCommand = defineCommand({
  meta: {
    name: "serve",
    description: "(Python aiorch) Start its Platform server. Not available here: says what to use instead (exit 2).",
  },
  args: {
    host: { type: "string", description: "Accepted and ignored: there is no server to bind", valueHint: "HOST" },
    port: { type: "string", description: "Accepted and ignored: there is no server to bind", valueHint: "PORT" },
    daemon: { type: "boolean", description: "Accepted and ignored" },
    reload: { type: "boolean", description: "Accepted and ignored" },
    "pipeline-dir": { type: "string", description: "Accepted and ignored", valueHint: "DIR" },
    dev: { type: "boolean", description: "Accepted and ignored" },
  },
  run() {
    throw new UserError(
      `\`aiorch serve\` started the Python aiorch's Platform server (web UI, schedules, API); ${NO_SERVER}`,
      { hint: INSTEAD, exitCode: ExitCode.usage },
    );
  },
});

export const statusCommand = defineCommand({
  meta: {
    name: "status",
    description:
      "(Python aiorch) Server status and the last runs: here there is no server; shows the history file and its last runs.",
  },
  args: {},
  run() {
    const file = locateHistory(undefined);
    printOut(`server    none (${NO_SERVER})\nhistory   ${file}`);
    readHistory(file, (store) => {
      const runs = store.listRuns({ limit: STATUS_RUNS });
      printOut(
        runs.length === 0
          ? `\n${renderNoRuns(false, file)}`
          : `\n${renderRunTable(runs, { counts: store.stepCounts(runs.map((r) => r.id)), now: Date.now(), limit: STATUS_RUNS + 1 /* no "--limit shows more": status has none */ })}`,
      );
    });
  },
});

export const stopCommand = defineCommand({
  meta: {
    name: "stop",
    description: "(Python aiorch) Stop its server daemon: here there is none, so there is nothing to stop (exit 0).",
  },
  args: {},
  run() {
    printErr(`nothing to stop: ${NO_SERVER}`);
  },
});
