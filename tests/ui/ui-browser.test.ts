/// <reference lib="dom" />
/**
 * `aiorch ui` in a real browser (Debian's Chromium through puppeteer-core) against a real
 * history: a successful run with a prompt step (and its rerun answered by the LLM cache), a
 * failed run whose foreach failed, its resume, a crashed run and a run still going. Each
 * page is checked for what it shows, the filters for what they keep, the live run for its
 * update, and the `trace --html` file for opening offline.
 * UPDATE_SCREENSHOTS=1 also saves docs/ui-run.png and docs/ui-costs.png.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { launchBrowser } from "../helpers/browser.ts";
import { REPO_ROOT, runCli, tempDir } from "../helpers/cli.ts";
import { startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { LATE_SECRET, makeUiHistory, type UiHistory } from "./ui-history.ts";
import { startUi, type RunningUi } from "./ui-server.ts";

let server: LlmServer;
let history: UiHistory;
let ui: RunningUi;
let browser: Browser;
let page: Page;
/** The secret is set where `ui` runs only: the history holds it plain, the terminal masks it. */
const UI_ENV = () => ({ ...history.env, DEPLOY_TOKEN: LATE_SECRET });

beforeAll(async () => {
  server = await startLlmServer();
  history = await makeUiHistory(server);
  [ui, browser] = await Promise.all([startUi({ cwd: history.cwd, env: UI_ENV() }), launchBrowser()]);
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
}, 120_000);

afterAll(async () => {
  history?.openGate();
  await history?.live.exited;
  await browser?.close();
  await ui?.stop();
  await server?.stop();
});

/** Opens `hash` and waits until the page says it is drawn. */
async function open(hash: string, ready: string): Promise<void> {
  // A new document every time (not a reload of the old one): nothing of the last page is left to race with.
  await page.goto("about:blank");
  await page.goto(`${ui.url}#${hash}`);
  await page.waitForSelector(`body[data-ready="${ready}"]`);
}

// innerText, not textContent: table cells come out separated by tabs, as a user copying them sees them.
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text with its layout is what is checked
const text = (selector: string) => page.$eval(selector, (e) => (e as HTMLElement).innerText);
const all = (selector: string, attribute: string) =>
  page.$$eval(selector, (es, a) => es.map((e) => e.getAttribute(a)), attribute);

async function runsShown(): Promise<string[]> {
  await page.waitForSelector("[data-testid=runs-table], [data-testid=no-runs]");
  return (await all("[data-testid=runs-table] tbody tr", "data-run")) as string[];
}

describe("aiorch ui in a browser", () => {
  test("the runs list: newest first, each status marked, crashed and running runs told apart", async () => {
    await open("/runs", "runs");
    const { runs } = history;
    expect(await runsShown()).toEqual([runs.live, runs.crashed, runs.resumed, runs.failed, runs.cached, runs.success]);
    const statuses = Object.fromEntries(
      (await page.$$eval("[data-testid=runs-table] tbody tr", (rows) =>
        rows.map((r) => [r.getAttribute("data-run"), r.getAttribute("data-status")]),
      )) as [string, string][],
    );
    expect(statuses).toEqual({
      [runs.live]: "running",
      [runs.crashed]: "crashed",
      [runs.resumed]: "failed",
      [runs.failed]: "failed",
      [runs.cached]: "success",
      [runs.success]: "success",
    });
    const cachedRow = await text(`tr[data-run="${runs.cached}"]`);
    expect(cachedRow).toContain("report");
    expect(cachedRow).toMatch(/\t1\t/); // one question answered by the LLM cache
  });

  test("filters by status and pipeline, and pages without loading every run", async () => {
    await open("/runs", "runs");
    await page.select("[data-testid=filter-status]", "failed");
    await page.waitForFunction(() => location.hash.includes("status=failed"));
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-testid=runs-table] tbody tr")].every(
        (r) => r.getAttribute("data-status") === "failed",
      ),
    );
    expect(await runsShown()).toEqual([history.runs.resumed, history.runs.failed]);
    await page.select("[data-testid=filter-status]", "");
    // One filter at a time: the page has applied the first before the second is chosen.
    await page.waitForFunction(() => !location.hash.includes("status="));
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=runs-table] tbody tr").length > 2);
    await page.select("[data-testid=filter-pipeline]", "report");
    await page.waitForFunction(() => location.hash.includes("pipeline=report"));
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=runs-table] tbody tr").length === 2);
    expect(await runsShown()).toEqual([history.runs.cached, history.runs.success]);
    await open("/runs?limit=4", "runs");
    const first = await runsShown();
    expect(first).toHaveLength(4);
    await page.click("[data-testid=next-page]");
    await page.waitForFunction((id) => !document.querySelector(`tr[data-run="${id}"]`), {}, first[0]!);
    expect(await runsShown()).toEqual([history.runs.cached, history.runs.success]);
    expect(await page.$eval("[data-testid=next-page]", (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await page.click("[data-testid=previous-page]");
    await page.waitForSelector(`tr[data-run="${first[0]}"]`);
    expect(await runsShown()).toEqual(first);
  });

  test("a date filter keeps only the runs started in the range", async () => {
    await open("/runs?until=2000-01-01", "runs");
    await page.waitForSelector("[data-testid=no-runs]");
    const today = new Date().toISOString().slice(0, 10);
    await open(`/runs?since=${today}&pipeline=report`, "runs");
    expect(await runsShown()).toEqual([history.runs.cached, history.runs.success]);
  });

  test("a failed run: timeline, DAG, the failed foreach step's items filtered and searched, the link to its resume", async () => {
    await open(`/run/${history.runs.failed}`, "run");
    expect(await text("[data-testid=run-id]")).toBe(history.runs.failed);
    expect(await page.$("[data-testid=step-timeline] canvas")).not.toBeNull();
    expect(await page.$eval("[data-testid=step-timeline]", (e) => e.getAttribute("aria-label"))).toBe(
      "timeline of 2 steps",
    );
    expect(await page.$("[data-testid=dag] canvas")).not.toBeNull();
    const steps = await page.$$eval("[data-testid=steps-table] tbody tr", (rows) =>
      rows.map((r) => [r.getAttribute("data-step"), r.querySelector("[data-status]")?.getAttribute("data-status")]),
    );
    expect(steps).toEqual([
      ["numbers", "success"],
      ["square", "failed"],
      ["total", "skipped"],
    ]);
    // The failed step is the one shown, its items filtered to the failed ones.
    expect(await page.$eval("[data-testid=step-detail]", (e) => e.getAttribute("data-step"))).toBe("square");
    await page.waitForSelector("[data-testid=item-table]");
    const failedShown = (await all("[data-testid=item-table] tbody tr[data-item]", "data-status")) as string[];
    expect(failedShown.length).toBeGreaterThan(0);
    expect(new Set(failedShown)).toEqual(new Set(["failed"]));
    expect(await text("[data-testid=step-error]")).toContain("bad item 3");
    await page.select("[data-testid=item-status]", "success");
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-testid=item-table] tbody tr[data-item]")].every(
        (r) => r.getAttribute("data-status") === "success",
      ),
    );
    await page.select("[data-testid=item-status]", "");
    await page.type("[data-testid=item-search]", "bad item 3");
    await page.waitForFunction(
      () => document.querySelectorAll("[data-testid=item-table] tbody tr[data-item]").length === 1,
    );
    expect(await all("[data-testid=item-table] tbody tr[data-item]", "data-item")).toEqual(["3"]);
    expect(await page.$("[data-testid=item-timeline] canvas")).not.toBeNull();
    expect(await text("[data-testid=run-links]")).toContain(`resumed by ${history.runs.resumed}`);
    await page.click(`[data-testid=run-links] a`);
    await page.waitForFunction(
      (id) => document.querySelector("[data-testid=run-id]")?.textContent === id,
      {},
      history.runs.resumed,
    );
    expect(await text("[data-testid=run-links]")).toContain(`resumes ${history.runs.failed}`);
  });

  test("a successful run: each step's rendered input, output, model, tokens, cost and cache hit; secrets masked as on the terminal", async () => {
    await open(`/run/${history.runs.success}?step=fetch`, "run");
    expect(await text("[data-testid=step-output]")).toBe("rows=3 ***");
    const html = await page.content();
    expect(html).not.toContain(LATE_SECRET);
    const terminal = runCli(["trace", history.runs.success, "-v"], { cwd: history.cwd, env: UI_ENV() });
    expect(terminal.stdout).toContain("rows=3 ***");
    await page.click('tr[data-step="ask"] button');
    await page.waitForSelector('[data-testid=step-detail][data-step="ask"]');
    expect(await text('[data-fact="model"]')).toBe("gpt-4o-mini");
    expect(await text('[data-fact="tokens"]')).toMatch(/^\d+ in, \d+ out$/);
    expect(await text('[data-fact="cost"]')).toMatch(/^\$0\.\d{4}$/);
    expect(await text("[data-testid=step-input]")).toContain("Summarise rows=3 *** in one word");
    await page.click('tr[data-step="shape"] button');
    await page.waitForSelector('[data-testid=step-detail][data-step="shape"]');
    expect(JSON.parse(await text("[data-testid=step-output]"))).toMatchObject({ rows: 3 });
    await open(`/run/${history.runs.cached}?step=ask`, "run");
    expect(await text('[data-fact="cache"]')).toBe("every answer from the cache");
  });

  test("a crashed run is marked crashed, its interrupted step too", async () => {
    await open(`/run/${history.runs.crashed}`, "run");
    expect(await page.$eval("h1 [data-status]", (e) => e.getAttribute("data-status"))).toBe("crashed");
    expect(await page.$eval('tr[data-step="wait"] [data-status]', (e) => e.getAttribute("data-status"))).toBe(
      "interrupted",
    );
  });

  test("a run in progress updates live when it ends", async () => {
    await open(`/run/${history.runs.live}`, "run");
    expect(await page.$eval("h1 [data-status]", (e) => e.getAttribute("data-status"))).toBe("running");
    expect(await page.$("[data-testid=live]")).not.toBeNull();
    expect(await page.$eval('tr[data-step="gate"] [data-status]', (e) => e.getAttribute("data-status"))).toBe(
      "running",
    );
    history.openGate();
    await page.waitForSelector('h1 [data-status="success"]', { timeout: 20_000 });
    expect(await page.$eval('tr[data-step="after"] [data-status]', (e) => e.getAttribute("data-status"))).toBe(
      "success",
    );
    expect(await page.$("[data-testid=live]")).toBeNull();
  });

  test("costs: by pipeline and by model, and what the cache saved", async () => {
    await open("/costs", "costs");
    expect(await page.$("[data-testid=cost-by-pipeline] canvas")).not.toBeNull();
    expect(await page.$("[data-testid=cost-by-model] canvas")).not.toBeNull();
    const total = await text("[data-testid=costs-total] .figure-value");
    expect(total).toMatch(/^\$0\.\d{4}$/);
    expect(await text('[data-testid=pipeline-costs] tr[data-pipeline="report"]')).toContain(total);
    expect(await text('[data-testid=model-costs] tr[data-model="gpt-4o-mini"]')).toContain(total);
    expect(await text("[data-testid=cache-saved] .figure-value")).toMatch(/^\$0\.\d{4}$/);
    expect(await text("[data-testid=cache-hits] .figure-value")).toBe("1");
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: join(REPO_ROOT, "docs/ui-costs.png") });
  });

  test("a pipeline: its runs, success rate and duration trend", async () => {
    await open("/pipeline/batch", "pipeline");
    expect(await text("[data-testid=success-rate] .figure-value")).toBe("0%");
    expect(await runsShown()).toEqual([history.runs.resumed, history.runs.failed]);
    expect(await page.$("[data-testid=duration-trend] canvas")).not.toBeNull();
    await open("/pipeline/report", "pipeline");
    expect(await text("[data-testid=success-rate] .figure-value")).toBe("100%");
  });

  test("trace --html writes one file that opens offline with the same run page", async () => {
    if (process.env.UPDATE_SCREENSHOTS) {
      await open(`/run/${history.runs.failed}`, "run");
      await page.waitForSelector("[data-testid=item-table] tbody tr[data-item]");
      await page.waitForSelector("[data-testid=item-timeline] canvas");
      await page.screenshot({ path: join(REPO_ROOT, "docs/ui-run.png"), fullPage: true });
    }
    const file = join(tempDir("html"), "run.html");
    const written = runCli(["trace", history.runs.failed, "--html", file], { cwd: history.cwd, env: UI_ENV() });
    expect(written.exitCode).toBe(0);
    expect(written.stderr).toContain(`wrote ${file}`);
    const offline = await browser.newPage();
    const requests: string[] = [];
    offline.on("request", (request) => requests.push(request.url()));
    await offline.setOfflineMode(true);
    await offline.goto(`file://${file}`);
    await offline.waitForSelector('body[data-ready="run"]');
    expect(await offline.$eval("[data-testid=run-id]", (e) => e.textContent)).toBe(history.runs.failed);
    expect(await offline.$("[data-testid=step-timeline] canvas")).not.toBeNull();
    await offline.waitForSelector("[data-testid=item-table]");
    await offline.type("[data-testid=item-search]", "bad item 13");
    await offline.waitForFunction(
      () => document.querySelectorAll("[data-testid=item-table] tbody tr[data-item]").length === 1,
    );
    expect(requests.filter((url) => !url.startsWith("file:") && !url.startsWith("data:"))).toEqual([]);
    await offline.close();
  });
});
