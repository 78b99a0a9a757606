/**
 * A `fetch` for the openai SDK that stops reading an answer past `AIORCH_MAX_OUTPUT` bytes:
 * a misbehaving endpoint cannot make a run take the memory (and its history the disk) of an
 * unbounded answer. The error names the limit; the transport does not retry it.
 */
import { OUTPUT_LIMIT_HINT } from "../model/output-limit.ts";

/** Thrown (through the SDK) when an answer goes past the limit. */
export class AnswerTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than AIORCH_MAX_OUTPUT (${limit} bytes); ${OUTPUT_LIMIT_HINT}`);
    this.name = "AnswerTooLarge";
  }
}

function limitedBody(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen > limit) {
        await reader.cancel().catch(() => {});
        return controller.error(new AnswerTooLarge(limit));
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** `fetch` whose response bodies error past `limit` bytes (a declared Content-Length over it fails at once). */
export function limitedFetch(limit: number): typeof fetch {
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const response = await fetch(input, init);
    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > limit) {
      await response.body?.cancel().catch(() => {});
      throw new AnswerTooLarge(limit);
    }
    if (!response.body) return response;
    return new Response(limitedBody(response.body, limit), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return wrapped as typeof fetch;
}
