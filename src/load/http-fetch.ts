/**
 * One HTTP request with a silence limit: it fails when the server has sent nothing for
 * `idleMs` — no connection, no answer, or a body that stalls — however long a steady
 * download takes. A plain overall timeout would either cut a large download or hold a run
 * for minutes on a server that accepted the connection and never answered.
 */

/** Why a {@link fetchWithIdleLimit} request was stopped. */
export type FetchStop =
  | { kind: "silent"; idleMs: number }
  | { kind: "too-large"; maxBytes: number }
  | { kind: "aborted" };

function describeStop(stop: FetchStop): string {
  if (stop.kind === "silent") return `no answer within ${stop.idleMs / 1000} s`;
  if (stop.kind === "too-large")
    return `the body is larger than AIORCH_MAX_OUTPUT (${stop.maxBytes} bytes); raise AIORCH_MAX_OUTPUT`;
  return "aborted";
}

/** Thrown when the request was stopped (by silence, size or `controller`), not refused. */
export class FetchStopped extends Error {
  constructor(readonly stop: FetchStop) {
    super(describeStop(stop));
    this.name = "FetchStopped";
  }
}

/** The status line and the whole body, read under the same silence limit as the connection. */
export interface FetchedBody {
  response: Response;
  bytes: Uint8Array;
}

/**
 * Fetches `url` and reads its body to the end. `controller` lets the caller abort at any
 * moment (Ctrl-C, a step's timeout); the silence timer aborts it too, with its own reason,
 * and so does a body past `maxBytes` (read no further than that).
 */
export async function fetchWithIdleLimit(
  url: string,
  init: RequestInit,
  idleMs: number,
  controller: AbortController,
  maxBytes = Infinity,
): Promise<FetchedBody> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new FetchStopped({ kind: "silent", idleMs })), idleMs);
  };
  const stopped = () => {
    const reason: unknown = controller.signal.reason;
    return reason instanceof FetchStopped ? reason : new FetchStopped({ kind: "aborted" });
  };
  touch();
  try {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) throw stopped();
      throw error;
    }
    touch();
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body) {
      try {
        for await (const chunk of response.body) {
          touch();
          size += chunk.byteLength;
          if (size > maxBytes) controller.abort(new FetchStopped({ kind: "too-large", maxBytes }));
          if (controller.signal.aborted) throw stopped();
          chunks.push(chunk);
        }
      } catch (error) {
        if (controller.signal.aborted) throw stopped();
        throw error;
      }
    }
    if (controller.signal.aborted) throw stopped();
    return { response, bytes: Buffer.concat(chunks) };
  } finally {
    clearTimeout(timer);
  }
}
