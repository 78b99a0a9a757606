/**
 * The live view of a run (`GET /api/runs/ID/events`): server-sent events fed from the
 * history. The stream looks at a fingerprint of the run (its status, its newest step row,
 * its item count) every `pollMs`, and sends the whole run document (`event: run`) when it
 * changed; once the run has ended (or crashed) it sends it a last time, then `event: end`.
 * The history is the one source: a run started by any process, anywhere, is followed.
 */
import type { HistoryBrowser } from "../history/history-browser.ts";
import { stringifyPyJson } from "../model/py-json.ts";
import { requireRun, runPayload } from "./api.ts";

export function liveRunStream(
  browser: HistoryBrowser,
  id: string,
  options: { signal: AbortSignal; mask: (text: string) => string; pollMs: number; headers: Record<string, string> },
): Response {
  const runId = requireRun(browser, id).id;
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      let idle = 0;
      const send = (event: string, data: string) =>
        controller.enqueue(encoder.encode(`event: ${event}\ndata: ${data}\n\n`));
      const look = () => {
        if (options.signal.aborted) return;
        try {
          const fingerprint = browser.fingerprint(runId);
          const run = fingerprint === last ? undefined : runPayload(browser, runId);
          last = fingerprint;
          if (run) send("run", options.mask(stringifyPyJson(run)));
          if (run && run.status !== "running") {
            send("end", JSON.stringify({ status: run.status }));
            controller.close();
            return;
          }
          // A comment line every ~15 s keeps proxies and the browser from closing an idle stream.
          idle = run ? 0 : idle + 1;
          if (idle * options.pollMs >= 15_000) {
            controller.enqueue(encoder.encode(": waiting\n\n"));
            idle = 0;
          }
        } catch (error) {
          send("failure", JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
          controller.close();
          return;
        }
        timer = setTimeout(look, options.pollMs);
      };
      options.signal.addEventListener("abort", () => clearTimeout(timer));
      look();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  return new Response(stream, {
    headers: { ...options.headers, "Content-Type": "text/event-stream; charset=utf-8", Connection: "keep-alive" },
  });
}
