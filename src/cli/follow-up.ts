import { resolve } from "node:path";
import { historyPath } from "../history/index.ts";
import { shellQuote } from "../template/shell-quote.ts";

/**
 * What the commands a run prints after it (`aiorch trace ID`, `aiorch resume ID`) must add
 * to find that run: ` -c FILE` when the run's history is not the default one
 * (`$AIORCH_HOME/history.db`) — the config that placed it (its `storage.path`) is then
 * named, so the printed command works from any folder, not only from the pipeline's. Empty
 * otherwise: a bare command looks in the default history, where the run is.
 *
 * `configFile`: the config file that chose the history (for `run`, the pipeline's; for
 * `resume`, the one found from the current folder or `--config`); `historyFile`: where the
 * run was recorded.
 */
export function followUpOptions(
  configFile: string | undefined,
  historyFile: string,
  env: Record<string, string | undefined> = process.env,
): string {
  if (configFile === undefined || historyFile === historyPath({ env })) return "";
  return ` -c ${shellQuote(resolve(configFile))}`;
}
