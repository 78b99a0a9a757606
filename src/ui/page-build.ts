/**
 * Bundles the front end (src/ui/web, Preact and ECharts) with `Bun.build` into one HTML
 * page: the script and the stylesheet inlined, minified. `scripts/build.ts` runs it before
 * compiling (the result is embedded); `bun src/main.ts ui` runs it on start.
 */
import { join } from "node:path";

const WEB = join(import.meta.dir, "web");

export async function buildPage(): Promise<string> {
  const result = await Bun.build({
    entrypoints: [join(WEB, "main.tsx")],
    target: "browser",
    minify: true,
    format: "esm",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  if (!result.success) throw new Error(`the UI bundle failed:\n${result.logs.map(String).join("\n")}`);
  const script = (await result.outputs[0]!.text()).replace(/<\/(script)/gi, "<\\/$1");
  const style = await Bun.file(join(WEB, "style.css")).text();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'">
<title>aiorch</title>
<style>${style}</style>
</head>
<body>
<div id="app"></div>
<script>window.AIORCH_DATA = /*AIORCH_DATA*/null;</script>
<script type="module">${script}</script>
</body>
</html>
`;
}
