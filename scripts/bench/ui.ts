/**
 * The web UI (issue 15), measured in Debian's Chromium (puppeteer-core): the run page of a
 * 10,000-item foreach until it is interactive (its steps, the item timeline and the first
 * page of items drawn), and the runs list over 10,000 runs: its first page, the next one,
 * and the API's answer for a page near the end (key-set pages: as fast as the first).
 */
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM, launchBrowser } from "../../tests/helpers/browser.ts";
import { HistoryStore } from "../../src/history/index.ts";
import { PYTHON_FOREACH, writePipeline } from "./generate.ts";
import { row } from "./measure.ts";

const RUNS = 10_000;

/** Adds `count` finished runs to the history at `file`, in one transaction (their steps do not matter here). */
function addRuns(file: string, count: number): void {
  HistoryStore.open(file).close();
  const db = new Database(file);
  const insert = db.prepare(
    "INSERT INTO runs (id, pipeline, file, inputs, status, started_at, finished_at, total_cost, pid) VALUES (?, ?, ?, '{}', ?, ?, ?, ?, 1)",
  );
  const start = Date.now() - count * 60_000;
  db.transaction(() => {
    for (let k = 0; k < count; k++) {
      const t = start + k * 60_000;
      insert.run(
        `bench-${String(k).padStart(6, "0")}`,
        `pipeline-${k % 7}`,
        "p.yaml",
        k % 9 === 0 ? "failed" : "success",
        t,
        t + 1500,
        0.001,
      );
    }
  })();
  db.close();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchUi(binary: string, work: string): Promise<string[]> {
  if (!existsSync(CHROMIUM))
    return [`  (no Chromium at ${CHROMIUM}: apt-get install -y chromium; the UI rows are skipped)`];
  const home = join(work, "ui-home");
  const env = { ...process.env, AIORCH_HOME: home };
  const run = Bun.spawnSync(
    [binary, "run", writePipeline(work, "ui-foreach.yaml", PYTHON_FOREACH), "-i", "n=10000", "--format", "json"],
    { env, stdout: "pipe" },
  );
  const runId = (JSON.parse(run.stdout.toString()) as { run_id: string }).run_id;
  addRuns(join(home, "history.db"), RUNS);
  const ui = Bun.spawn([binary, "ui", "--port", "0"], { env, stdout: "pipe", stderr: "ignore" });
  const reader = ui.stdout.getReader();
  let printed = "";
  while (!/aiorch ui: (\S+)/.test(printed)) printed += new TextDecoder().decode((await reader.read()).value);
  const url = /aiorch ui: (\S+)/.exec(printed)![1]!;
  const browser = await launchBrowser();
  const lines: string[] = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const runPage: number[] = [];
    for (let k = 0; k < 4; k++) {
      await page.goto("about:blank");
      const started = performance.now();
      await page.goto(`${url}#/run/${runId}?step=double`);
      await page.waitForSelector('body[data-ready="run"]');
      await page.waitForSelector("[data-testid=item-timeline] canvas");
      await page.waitForSelector("[data-testid=item-table] tbody tr[data-item]");
      // One frame after the last paint: the page answers input from here on.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
      if (k > 0) runPage.push(performance.now() - started);
    }
    const ms = median(runPage);
    lines.push(
      row("run page of a 10,000-item foreach, until interactive", `${ms.toFixed(0)} ms`, "≤ 1,000 ms", ms <= 1000),
    );
    const firstPage: number[] = [];
    const nextPage: number[] = [];
    for (let k = 0; k < 4; k++) {
      await page.goto("about:blank");
      const started = performance.now();
      await page.goto(`${url}#/runs`);
      await page.waitForSelector('body[data-ready="runs"]');
      await page.waitForSelector("[data-testid=runs-table] tbody tr");
      const shown = performance.now();
      const first = await page.$eval("[data-testid=runs-table] tbody tr", (r) => r.getAttribute("data-run"));
      await page.click("[data-testid=next-page]");
      await page.waitForFunction(
        (id) =>
          document.querySelector("[data-testid=runs-table] tbody tr")?.getAttribute("data-run") !== id &&
          document.querySelector("[data-testid=runs-table] tbody tr"),
        {},
        first,
      );
      if (k > 0) {
        firstPage.push(shown - started);
        nextPage.push(performance.now() - shown);
      }
    }
    lines.push(
      row(
        `runs list over ${(RUNS + 1).toLocaleString("en-US")} runs: first page shown`,
        `${median(firstPage).toFixed(0)} ms`,
        "≤ 1,000 ms",
        median(firstPage) <= 1000,
      ),
    );
    lines.push(row("  the next page", `${median(nextPage).toFixed(0)} ms`, "≤ 300 ms", median(nextPage) <= 300));
    const api = async (query: string) => {
      const times: number[] = [];
      for (let k = 0; k < 5; k++) {
        const started = performance.now();
        await (await fetch(`${url}api/runs?${query}`)).json();
        times.push(performance.now() - started);
      }
      return median(times);
    };
    const head = await api("");
    const deep = await api("after=bench-000060");
    lines.push(
      row(
        "  API: the first page / a page 9,940 runs down",
        `${head.toFixed(1)} / ${deep.toFixed(1)} ms`,
        "same",
        deep <= head * 2 + 5,
      ),
    );
  } finally {
    await browser.close();
    ui.kill();
    await ui.exited;
  }
  return lines;
}
