/**
 * `aiorch trace RUN_ID --html FILE`: the run page as one self-contained HTML file — the
 * same page `aiorch ui` serves, with the run, every item of its foreach steps and their
 * timelines inlined — that opens offline, for a CI artifact or a bug report.
 */
import type { HistoryBrowser } from "../history/history-browser.ts";
import { stringifyPyJson } from "../model/py-json.ts";
import { itemJson, itemTimelinePayload, runPayload } from "./api.ts";
import { uiPage } from "./page.ts";
import type { ExportedRun } from "./web/payloads.ts";

/** The page of run `id`, every secret masked by `mask` as on the terminal. */
export async function runHtml(browser: HistoryBrowser, id: string, mask: (text: string) => string): Promise<string> {
  const run = runPayload(browser, id);
  const exported: ExportedRun = { run, items: {}, timelines: {} };
  for (const step of run.steps) {
    if (!step.items) continue;
    exported.items[step.name] = browser.runs.getItems(run.run_id, step.name).map(itemJson);
    exported.timelines[step.name] = itemTimelinePayload(browser, run.run_id, new URLSearchParams({ step: step.name }));
  }
  return uiPage(mask(stringifyPyJson(exported)));
}
