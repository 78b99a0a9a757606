/**
 * A local OpenAI-compatible server for tests (Bun.serve on 127.0.0.1, a free port). It
 * answers `POST /v1/chat/completions` (plain or SSE streaming) and `GET /v1/models`
 * deterministically, reports usage, counts requests and the maximum in flight, and can be
 * told to misbehave: 429 with Retry-After, 5xx, a malformed body, a fixed or non-JSON
 * answer, a slow answer, a dropped connection, an empty answer (plain: `content: null`;
 * streamed: no content delta at all), an answer cut off at max_tokens (`finish_reason:
 * "length"`, also what a request's own `max_tokens` does to a longer answer). The
 * behaviours and the default answer: llm-answers.ts (re-exported here).
 *
 *   const server = await startLlmServer();
 *   server.script(behave.rateLimit(1), behave.text("hello"));   // next two requests
 *   server.rule(() => behave.serverError(503));                  // every later one
 *   new OpenAI({ baseURL: server.url, apiKey: "test", maxRetries: 0 });
 */
import {
  countTokens,
  defaultAnswer,
  promptTokensOf,
  type ChatRequest,
  type LlmBehaviour,
  type Usage,
} from "./llm-answers.ts";

export {
  behave,
  countTokens,
  defaultAnswer,
  promptTokensOf,
  type ChatMessage,
  type ChatRequest,
  type LlmBehaviour,
  type Usage,
} from "./llm-answers.ts";

export interface LlmServerOptions {
  /** The default answer; an object is sent as JSON text. Default: see `defaultAnswer`. */
  answer?: (request: ChatRequest) => string | object;
  /** A standing rule consulted when the script is empty; undefined → the default answer. */
  rule?: (request: ChatRequest, index: number) => LlmBehaviour | undefined;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  /** When set, `usage.cost` (OpenRouter style) is this function of the usage. */
  reportCost?: (usage: Usage, request: ChatRequest) => number;
  /** Every answer waits this long first (ms). Default 0. */
  delayMs?: number;
  /** Characters per SSE content chunk. Default 8. */
  streamChunkChars?: number;
  /** Pause between SSE chunks (ms). Default 0. */
  streamChunkDelayMs?: number;
  /** Ids listed by `GET /v1/models`. Default ["test-model"]. */
  models?: string[];
  /** Serve HTTPS with this certificate and key (PEM); `url` then starts with https. */
  tls?: { cert: string; key: string };
}

/** Live counters (the same object across `reset()`). */
export interface LlmServerStats {
  /** Chat-completion requests received (including refused ones). */
  requests: number;
  inFlight: number;
  maxInFlight: number;
  /** Parsed request bodies, in arrival order. */
  bodies: ChatRequest[];
  /** Each body's `response_format`, null when absent (same order as `bodies`). */
  responseFormats: unknown[];
  /** `GET /v1/models` requests received (including refused ones). */
  modelListRequests: number;
}

export interface LlmServer {
  /** Base URL for the SDK, ending in `/v1`. */
  url: string;
  port: number;
  stats: LlmServerStats;
  /** Queues behaviours for the next requests, one each, in arrival order. */
  script(...behaviours: LlmBehaviour[]): void;
  /** Replaces the standing rule (undefined removes it). */
  rule(rule: LlmServerOptions["rule"]): void;
  /** Empties the script, restores the rule given at start, zeroes the counters and empties the lists. */
  reset(): void;
  stop(): Promise<void>;
}

const CREATED = 1_700_000_000;

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  const type =
    status === 429
      ? "rate_limit_exceeded"
      : status === 401
        ? "invalid_request_error"
        : status >= 500
          ? "server_error"
          : "invalid_request_error";
  return jsonResponse(status, { error: { message, type, code: type, param: null } }, headers);
}

/** A response whose body errors at once: Bun then resets the connection without a status line. */
function droppedConnection(): Response {
  return new Response(new ReadableStream({ start: (controller) => controller.error(undefined) }));
}

function defaultErrorMessage(status: number): string {
  if (status === 429) return "Rate limit reached for test-model. Please try again later.";
  if (status >= 500) return `The server had an error while processing your request (test server, HTTP ${status}).`;
  return `HTTP ${status} from the test server.`;
}

/** Starts the server; stop it with `stop()` (e.g. in `afterAll`). */
export async function startLlmServer(options: LlmServerOptions = {}): Promise<LlmServer> {
  const stats: LlmServerStats = {
    requests: 0,
    inFlight: 0,
    maxInFlight: 0,
    bodies: [],
    responseFormats: [],
    modelListRequests: 0,
  };
  let queue: LlmBehaviour[] = [];
  let standingRule = options.rule;
  let completionIds = 0;

  function nextBehaviour(request: ChatRequest, index: number): LlmBehaviour {
    return queue.shift() ?? standingRule?.(request, index) ?? { kind: "answer" };
  }

  function authorised(req: Request): boolean {
    return options.apiKey === undefined || req.headers.get("authorization") === `Bearer ${options.apiKey}`;
  }

  /** The answer text and usage, truncated to max_tokens (finish_reason "length") when it is exceeded. */
  function completion(request: ChatRequest, behaviour: Extract<LlmBehaviour, { kind: "answer" }>) {
    const raw = behaviour.content ?? options.answer?.(request) ?? defaultAnswer(request);
    let content = behaviour.noContent ? "" : typeof raw === "string" ? raw : JSON.stringify(raw);
    let finishReason = behaviour.finishReason ?? "stop";
    const maxTokens = request.max_completion_tokens ?? request.max_tokens;
    if (typeof maxTokens === "number" && countTokens(content) > maxTokens) {
      content = content.slice(0, maxTokens * 4);
      finishReason = "length";
    }
    const promptTokens = promptTokensOf(request);
    const completionTokens = countTokens(content);
    const usage: Usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const cost = behaviour.cost ?? options.reportCost?.(usage, request);
    if (cost !== undefined) usage.cost = cost;
    return {
      id: `chatcmpl-test-${++completionIds}`,
      content,
      finishReason,
      usage,
      noContent: behaviour.noContent === true,
    };
  }

  function plainAnswer(request: ChatRequest, behaviour: Extract<LlmBehaviour, { kind: "answer" }>): Response {
    const { id, content, finishReason, usage, noContent } = completion(request, behaviour);
    return jsonResponse(200, {
      id,
      object: "chat.completion",
      created: CREATED,
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: noContent ? null : content, refusal: null },
          finish_reason: finishReason,
          logprobs: null,
        },
      ],
      usage,
    });
  }

  function streamedAnswer(request: ChatRequest, behaviour: LlmBehaviour, done: () => void): Response {
    const events: string[] = [];
    if (behaviour.kind === "malformed") events.push('{"id": "chatcmpl-broken", "choices": [');
    else if (behaviour.kind === "answer") {
      const { id, content, finishReason, usage, noContent } = completion(request, behaviour);
      const chunk = (choices: unknown[], extra: object = {}) =>
        JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created: CREATED,
          model: request.model,
          choices,
          ...extra,
        });
      const size = Math.max(1, options.streamChunkChars ?? 8);
      events.push(
        chunk([
          {
            index: 0,
            delta: noContent ? { role: "assistant" } : { role: "assistant", content: "" },
            finish_reason: null,
          },
        ]),
      );
      for (let i = 0; i < content.length; i += size)
        events.push(chunk([{ index: 0, delta: { content: content.slice(i, i + size) }, finish_reason: null }]));
      events.push(chunk([{ index: 0, delta: {}, finish_reason: finishReason }]));
      if (request.stream_options?.include_usage === true) events.push(chunk([], { usage }));
    }
    events.push("[DONE]");
    const encoder = new TextEncoder();
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      done();
    };
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const event = events.shift();
        if (event === undefined) {
          finish();
          controller.close();
          return;
        }
        if (options.streamChunkDelayMs) await Bun.sleep(options.streamChunkDelayMs);
        controller.enqueue(encoder.encode(`data: ${event}\n\n`));
      },
      cancel: finish,
    });
    return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
  }

  async function chatCompletions(req: Request): Promise<Response> {
    const index = stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let streaming = false;
    const done = () => void stats.inFlight--;
    try {
      if (!authorised(req)) return errorResponse(401, "Incorrect API key provided.");
      let request: ChatRequest;
      try {
        request = (await req.json()) as ChatRequest;
      } catch {
        return errorResponse(400, "The request body is not valid JSON.");
      }
      stats.bodies.push(request);
      stats.responseFormats.push(request.response_format ?? null);
      if (typeof request.model !== "string" || !Array.isArray(request.messages)) {
        return errorResponse(400, "The request needs a model and a messages array.");
      }
      const behaviour = nextBehaviour(request, index);
      const delayMs = (behaviour.delayMs ?? 0) + (options.delayMs ?? 0);
      if (delayMs > 0) await Bun.sleep(delayMs);
      switch (behaviour.kind) {
        case "error": {
          const headers: Record<string, string> =
            behaviour.retryAfterSeconds === undefined ? {} : { "retry-after": String(behaviour.retryAfterSeconds) };
          return errorResponse(behaviour.status, behaviour.message ?? defaultErrorMessage(behaviour.status), headers);
        }
        case "drop":
          return droppedConnection();
        default:
          if (request.stream === true) {
            streaming = true;
            return streamedAnswer(request, behaviour, done);
          }
          if (behaviour.kind === "malformed") {
            return new Response('{"id": "chatcmpl-broken", "choices": [', {
              headers: { "content-type": "application/json" },
            });
          }
          return plainAnswer(request, behaviour);
      }
    } finally {
      // A stream is in flight until its last event is sent (or the client goes away).
      if (!streaming) done();
    }
  }

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    ...(options.tls ? { tls: options.tls } : {}),
    async fetch(req) {
      const { pathname } = new URL(req.url);
      if (req.method === "POST" && pathname === "/v1/chat/completions") return chatCompletions(req);
      if (req.method === "GET" && pathname === "/v1/models") {
        stats.modelListRequests++;
        if (!authorised(req)) return errorResponse(401, "Incorrect API key provided.");
        const data = (options.models ?? ["test-model"]).map((id) => ({
          id,
          object: "model",
          created: CREATED,
          owned_by: "aiorch-test",
        }));
        return jsonResponse(200, { object: "list", data });
      }
      return errorResponse(404, `No route ${req.method} ${pathname} on the test server.`);
    },
  });

  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${server.port}/v1`,
    port: server.port!,
    stats,
    script: (...behaviours) => void queue.push(...behaviours),
    rule: (rule) => void (standingRule = rule),
    reset() {
      queue = [];
      standingRule = options.rule;
      // Requests still in flight stay counted, so the counter cannot go negative.
      Object.assign(stats, { requests: 0, maxInFlight: stats.inFlight, modelListRequests: 0 });
      stats.bodies.length = 0;
      stats.responseFormats.length = 0;
    },
    stop: () => server.stop(true),
  };
}
