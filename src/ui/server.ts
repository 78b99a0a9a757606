/**
 * The web server of `aiorch ui` (`Bun.serve`): the page, the JSON of api.ts, and a
 * server-sent event stream per running run. Read-only: only GET is answered. Every body
 * passes through the CLI's masking (`mask`), so a secret shows as it does on the terminal.
 *
 * On the loopback address the Host header must name it (a page elsewhere cannot reach the
 * history through DNS rebinding); on any other address every request must carry the token,
 * as `?token=` once (it is then kept in a cookie) or the `X-Aiorch-Token` header.
 */
import { timingSafeEqual } from "node:crypto";
import { stringifyPyJson } from "../model/py-json.ts";
import { UserError } from "../errors/user-error.ts";
import type { HistoryBrowser } from "../history/history-browser.ts";
import {
  ApiError,
  costsPayload,
  itemsPage,
  itemTimelinePayload,
  pipelinePayload,
  runPayload,
  runsPage,
} from "./api.ts";
import { liveRunStream } from "./live-run.ts";

export interface UiServerOptions {
  browser: HistoryBrowser;
  hostname: string;
  port: number;
  /** Required on every request when set (a non-loopback address). */
  token?: string;
  /** The page (see page.ts). */
  page: string;
  /** The CLI's masking of printed text. */
  mask: (text: string) => string;
  /** How often a live stream looks at the history (default 300 ms). */
  pollMs?: number;
}

const TOKEN_COOKIE = "aiorch_token";
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopback(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store",
};

/** Starts the server; `port` 0 takes a free one (`server.port` says which). */
export function startUiServer(options: UiServerOptions): ReturnType<typeof Bun.serve> {
  const { browser, mask } = options;
  const json = (value: unknown, status = 200) =>
    new Response(mask(stringifyPyJson(value)), {
      status,
      headers: { ...SECURITY_HEADERS, "Content-Type": "application/json; charset=utf-8" },
    });
  return Bun.serve({
    hostname: options.hostname,
    port: options.port,
    idleTimeout: 0,
    fetch(request) {
      const url = new URL(request.url);
      const refused = refusal(request, url, options);
      if (refused) return refused;
      if (request.method !== "GET" && request.method !== "HEAD")
        return new Response("read-only: only GET is answered\n", { status: 405, headers: { Allow: "GET, HEAD" } });
      try {
        if (!url.pathname.startsWith("/api/")) return page(url, options);
        const parts = url.pathname.slice("/api/".length).split("/").map(decodeURIComponent);
        const params = url.searchParams;
        if (parts[0] === "runs" && parts.length === 1) return json(runsPage(browser, params));
        if (parts[0] === "runs" && parts.length === 2) return json(runPayload(browser, parts[1]!));
        if (parts[0] === "runs" && parts[2] === "items") return json(itemsPage(browser, parts[1]!, params));
        if (parts[0] === "runs" && parts[2] === "timeline")
          return json(itemTimelinePayload(browser, parts[1]!, params));
        if (parts[0] === "runs" && parts[2] === "events")
          return liveRunStream(browser, parts[1]!, {
            signal: request.signal,
            mask,
            pollMs: options.pollMs ?? 300,
            headers: SECURITY_HEADERS,
          });
        if (parts[0] === "costs") return json(costsPayload(browser, params));
        if (parts[0] === "pipelines" && parts.length === 2) return json(pipelinePayload(browser, parts[1]!, params));
        return json({ error: `no such API: ${url.pathname}` }, 404);
      } catch (error) {
        if (error instanceof ApiError) return json({ error: error.message }, error.status);
        if (error instanceof UserError) return json({ error: error.message }, 400);
        return json({ error: `internal error: ${error instanceof Error ? error.message : String(error)}` }, 500);
      }
    },
  });
}

function page(url: URL, options: UiServerOptions): Response {
  if (url.pathname !== "/" && url.pathname !== "/index.html")
    return new Response("not found\n", { status: 404, headers: SECURITY_HEADERS });
  const headers: Record<string, string> = { ...SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8" };
  // The token from the printed link goes into a cookie, so that the page's own requests carry it.
  if (options.token) headers["Set-Cookie"] = `${TOKEN_COOKIE}=${options.token}; Path=/; HttpOnly; SameSite=Strict`;
  return new Response(options.page, { headers });
}

/** Why a request is refused (wrong Host on loopback, a missing or wrong token), or undefined. */
function refusal(request: Request, url: URL, options: UiServerOptions): Response | undefined {
  if (!options.token) {
    const host = (request.headers.get("host") ?? "").replace(/:\d+$/, "");
    if (isLoopback(options.hostname) && !isLoopback(host))
      return new Response("refused: this server answers only to a loopback Host\n", { status: 403 });
    return undefined;
  }
  const given = url.searchParams.get("token") ?? request.headers.get("x-aiorch-token") ?? cookie(request, TOKEN_COOKIE);
  if (given !== null && sameToken(given, options.token)) return undefined;
  return new Response("unauthorized: open the link `aiorch ui` printed (it carries ?token=…)\n", {
    status: 401,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

function cookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return null;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
