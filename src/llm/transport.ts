/**
 * One chat completion over HTTP with the `openai` SDK (docs/llm.md): transport errors (429, 5xx,
 * network, timeout) retried with exponential backoff and jitter honouring `Retry-After`,
 * separately from the step's own `retry`; at most `concurrency` requests in flight per
 * endpoint across the whole run.
 */
import { AnswerTooLarge, limitedFetch } from "./limited-fetch.ts";
import OpenAI from "openai";
import { sleep } from "../util/sleep.ts";
import { Limiter } from "../util/limiter.ts";
import { StepFailure } from "../errors/step-failure.ts";
import type { Route } from "./provider.ts";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  max_tokens?: number;
  response_format?:
    | { type: "json_object" }
    | { type: "json_schema"; json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean } };
}

export interface ChatAnswer {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** A cost the provider reported itself (OpenRouter's `usage.cost`). */
  reportedCost?: number;
  /** Why the model stopped (`stop`, `length` at max_tokens, `content_filter`), when the endpoint says. */
  finishReason?: string;
}

export interface TransportOptions {
  /** Requests in flight per endpoint (`llm.concurrency`, default 8). */
  concurrency: number;
  /** Per-request limit (`llm.timeout`), milliseconds. */
  timeoutMs?: number;
  /** Transport retries after the first try (default 4). */
  retries?: number;
  /** First backoff delay (default 250 ms); doubles each retry, capped by `maxDelayMs` (default 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The most bytes an answer may have (`AIORCH_MAX_OUTPUT`); default no limit. */
  maxAnswerBytes?: number;
}

const RETRIED_STATUS = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/** The delay a 429/503 asks for: `retry-after-ms`, `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get("retry-after-ms"));
  if (headers?.get("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Clients and per-endpoint limits of one run. */
export class LlmTransport {
  private readonly clients = new Map<string, OpenAI>();
  private readonly limiters = new Map<string, Limiter>();

  constructor(private readonly options: TransportOptions) {}

  private client(route: Route): OpenAI {
    const key = `${route.baseURL}\n${route.apiKey ?? ""}`;
    let client = this.clients.get(key);
    if (!client) {
      const limit = this.options.maxAnswerBytes;
      client = new OpenAI({
        baseURL: route.baseURL,
        apiKey: route.apiKey ?? "none",
        maxRetries: 0,
        timeout: this.options.timeoutMs ?? 600_000,
        ...(limit !== undefined ? { fetch: limitedFetch(limit) } : {}),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private limiter(route: Route): Limiter {
    let limiter = this.limiters.get(route.baseURL);
    if (!limiter) this.limiters.set(route.baseURL, (limiter = new Limiter(this.options.concurrency)));
    return limiter;
  }

  /**
   * Sends `request` and returns the answer; `onDelta` streams the text as it arrives.
   * Throws a StepFailure naming the endpoint and the HTTP status when retries run out.
   */
  async chat(
    route: Route,
    request: ChatRequest,
    signal: AbortSignal,
    onDelta?: (text: string) => void,
  ): Promise<ChatAnswer> {
    const retries = this.options.retries ?? 4;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limiter(route).run(() => this.send(route, request, signal, onDelta));
      } catch (error) {
        if (signal.aborted) throw signal.reason ?? error;
        const { retriable, message, after } = describe(error, route);
        if (!retriable || attempt >= retries)
          throw new StepFailure(attempt > 0 ? `${message} (after ${attempt + 1} tries)` : message);
        const base = Math.min(this.options.maxDelayMs ?? 30_000, (this.options.baseDelayMs ?? 250) * 2 ** attempt);
        const delay = after ?? base / 2 + Math.random() * (base / 2);
        await sleep(Math.min(delay, this.options.maxDelayMs ?? 30_000), signal);
      }
    }
  }

  private async send(
    route: Route,
    request: ChatRequest,
    signal: AbortSignal,
    onDelta?: (text: string) => void,
  ): Promise<ChatAnswer> {
    const client = this.client(route);
    if (!onDelta) {
      const completion = await client.chat.completions.create({ ...request, stream: false }, { signal });
      const usage = completion.usage as (OpenAI.CompletionUsage & { cost?: number }) | undefined;
      return answerOf(completion.choices[0]?.message?.content ?? "", usage, completion.choices[0]?.finish_reason);
    }
    const stream = await client.chat.completions.create(
      { ...request, stream: true, stream_options: { include_usage: true } },
      { signal },
    );
    let text = "";
    let usage: (OpenAI.CompletionUsage & { cost?: number }) | undefined;
    let finishReason: string | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) {
        text += delta;
        onDelta(delta);
      }
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      if (chunk.usage) usage = chunk.usage;
    }
    return answerOf(text, usage, finishReason);
  }
}

/** The same answer whether it came whole or streamed. */
function answerOf(
  text: string,
  usage: (OpenAI.CompletionUsage & { cost?: number }) | undefined,
  finishReason: string | null | undefined,
): ChatAnswer {
  return {
    text,
    promptTokens: usage?.prompt_tokens ?? 0,
    completionTokens: usage?.completion_tokens ?? 0,
    ...(typeof usage?.cost === "number" ? { reportedCost: usage.cost } : {}),
    ...(finishReason ? { finishReason } : {}),
  };
}

function describe(error: unknown, route: Route): { retriable: boolean; message: string; after?: number } {
  const where = route.baseURL;
  const tooLarge =
    error instanceof AnswerTooLarge
      ? error
      : error instanceof Error && error.cause instanceof AnswerTooLarge
        ? error.cause
        : undefined;
  if (tooLarge) return { retriable: false, message: `${route.model}: ${tooLarge.message}` };
  if (error instanceof OpenAI.APIConnectionTimeoutError)
    return { retriable: true, message: `${route.model}: no answer from ${where} in time (llm.timeout)` };
  if (error instanceof OpenAI.APIConnectionError)
    return {
      retriable: true,
      message: `${route.model}: cannot reach ${where}: ${error.cause instanceof Error ? error.cause.message : error.message}`,
    };
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    const detail = (error.error as { message?: string } | undefined)?.message ?? error.message;
    const hint =
      error.status === 401
        ? " (check the API key)"
        : error.status === 404
          ? " (check the model name and llm.base_url)"
          : "";
    const after = retryAfterMs(error.headers);
    return {
      retriable: RETRIED_STATUS(error.status),
      message: `${route.model}: HTTP ${error.status} from ${where}: ${detail}${hint}`,
      ...(after !== undefined ? { after } : {}),
    };
  }
  if (error instanceof SyntaxError)
    return { retriable: true, message: `${route.model}: ${where} answered with malformed JSON (${error.message})` };
  return { retriable: false, message: `${route.model}: ${error instanceof Error ? error.message : String(error)}` };
}
