/**
 * The UI's one HTML page (scripts, styles and fonts inlined: nothing is fetched from the
 * network). The compiled binary carries the page its build bundled (embedded-page.ts);
 * run from the sources (`bun src/main.ts ui`), the page is bundled from src/ui/web now, so
 * it is never stale.
 */

/** A module of the compiled executable lives in Bun's embedded file system. */
function isCompiled(): boolean {
  return import.meta.url.includes("$bunfs") || import.meta.url.includes("~BUN");
}

let page: Promise<string> | undefined;

/** The HTML page with `data` (JSON) inlined: null when it reads from the server, a run's document for `trace --html`. */
export async function uiPage(data: string | null = null): Promise<string> {
  page ??= isCompiled()
    ? import("./embedded-page.ts").then((m) => m.EMBEDDED_PAGE)
    : import("./page-build.ts").then((m) => m.buildPage());
  const html = await page;
  // JSON inside <script>: `<` escaped so that no value can close the element.
  const inline = data === null ? "null" : data.replace(/</g, "\\u003c");
  return html.replace("/*AIORCH_DATA*/null", () => inline);
}
