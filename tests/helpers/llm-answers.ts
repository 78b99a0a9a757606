/**
 * What the local OpenAI-compatible test server (llm-server.ts) answers: the requests it
 * reads, the behaviours a test scripts for them (an answer, an HTTP error with or without
 * Retry-After, a malformed body, a dropped connection, an empty or cut-off answer, a slow
 * one), and the deterministic default answer and token counts when nothing is scripted.
 */

/** One message of a chat request; content is a string or an array of `{type, text}` parts. */
export interface ChatMessage {
  role: string;
  content?: unknown;
}

/** A chat-completions request body as the server received it (extra fields kept). */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string; json_schema?: { name?: string; schema?: unknown; strict?: boolean } };
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  [field: string]: unknown;
}

/** Token usage as the OpenAI API reports it; `cost` is OpenRouter's extension. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost?: number;
}

/** What the server does with one request. `delayMs` waits first (a slow answer). */
export type LlmBehaviour =
  /**
   * 200 with `content` (an object is sent as JSON text), or the default answer when absent;
   * `finishReason` (default "stop", "length" when max_tokens cut the content). `noContent`:
   * no text at all (plain: `content: null`; streamed: not one content delta).
   */
  | {
      kind: "answer";
      content?: string | object;
      delayMs?: number;
      cost?: number;
      finishReason?: string;
      noContent?: boolean;
    }
  /** An HTTP error with an OpenAI-style error body and, when given, `Retry-After` in seconds. */
  | { kind: "error"; status: number; retryAfterSeconds?: number; message?: string; delayMs?: number }
  /** 200 whose body (or first SSE event) is not valid JSON. */
  | { kind: "malformed"; delayMs?: number }
  /** The connection is closed without any response (the client sees ECONNRESET). */
  | { kind: "drop"; delayMs?: number };

/** Shorthands for the behaviours. */
export const behave = {
  /** A fixed answer: text as is, an object as its JSON text. */
  answer: (content: string | object, options: { delayMs?: number; cost?: number } = {}): LlmBehaviour => ({
    kind: "answer",
    content,
    ...options,
  }),
  /** A fixed JSON answer. */
  json: (value: unknown): LlmBehaviour => ({ kind: "answer", content: JSON.stringify(value) }),
  /** A fixed text answer, e.g. one that is not JSON for `format: json` tests. */
  text: (content: string): LlmBehaviour => ({ kind: "answer", content }),
  /** The default (or given) answer after `delayMs`. */
  slow: (delayMs: number, content?: string | object): LlmBehaviour => ({ kind: "answer", content, delayMs }),
  /** 429 Too Many Requests with `Retry-After: <seconds>`. */
  rateLimit: (retryAfterSeconds = 1): LlmBehaviour => ({ kind: "error", status: 429, retryAfterSeconds }),
  /** A 5xx (default 500). */
  serverError: (status = 500, message?: string): LlmBehaviour => ({ kind: "error", status, message }),
  malformed: (): LlmBehaviour => ({ kind: "malformed" }),
  /** No text at all, as a model that had nothing to say (or a filter that stopped it) answers. */
  empty: (finishReason = "stop"): LlmBehaviour => ({ kind: "answer", content: "", noContent: true, finishReason }),
  /** `content` with `finish_reason: "length"`: the model hit its token limit there. */
  cutOff: (content: string | object): LlmBehaviour => ({ kind: "answer", content, finishReason: "length" }),
  drop: (delayMs?: number): LlmBehaviour => ({ kind: "drop", delayMs }),
};

/** Deterministic token count: characters / 4, rounded up. */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  if (!Array.isArray(message.content)) return "";
  return message.content.map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : "")).join("");
}

/** Prompt tokens of a request: `countTokens` of every message's text joined by "\n". */
export function promptTokensOf(request: ChatRequest): number {
  return countTokens(request.messages.map(messageText).join("\n"));
}

/**
 * The answer when nothing else is configured: `echo: <last user message>`; with
 * `response_format` json_object, `{"echo": <last user message>}`; with json_schema, a
 * small value built from the schema (first enum/const, minimum, required shape).
 */
export function defaultAnswer(request: ChatRequest): string {
  const lastUser = [...request.messages].reverse().find((m) => m.role === "user");
  const text = lastUser === undefined ? "" : messageText(lastUser);
  const format = request.response_format;
  if (format?.type === "json_schema" && format.json_schema?.schema !== undefined) {
    return JSON.stringify(sampleFromSchema(format.json_schema.schema, format.json_schema.schema, text, 0));
  }
  if (format?.type === "json_object") return JSON.stringify({ echo: text });
  return `echo: ${text}`;
}

type SchemaObject = { [keyword: string]: unknown };

function sampleFromSchema(schema: unknown, root: unknown, text: string, depth: number): unknown {
  if (typeof schema !== "object" || schema === null || depth > 8) return null;
  const s = schema as SchemaObject;
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (typeof s.$ref === "string") {
    const target = s.$ref
      .replace(/^#\/?/, "")
      .split("/")
      .filter(Boolean)
      .reduce<unknown>((node, key) => (node as SchemaObject | undefined)?.[key], root);
    return sampleFromSchema(target, root, text, depth + 1);
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) return sampleFromSchema(branches[0], root, text, depth + 1);
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type) {
    case "object": {
      const properties = (s.properties ?? {}) as SchemaObject;
      return Object.fromEntries(
        Object.entries(properties).map(([name, sub]) => [name, sampleFromSchema(sub, root, text, depth + 1)]),
      );
    }
    case "array": {
      const count = Math.max(typeof s.minItems === "number" ? s.minItems : 1, 0);
      const limited = typeof s.maxItems === "number" ? Math.min(count, s.maxItems) : count;
      return Array.from({ length: limited }, () => sampleFromSchema(s.items ?? {}, root, text, depth + 1));
    }
    case "string":
      return sampleString(s, text);
    case "integer":
    case "number": {
      if (typeof s.minimum === "number") return type === "integer" ? Math.ceil(s.minimum) : s.minimum;
      if (typeof s.exclusiveMinimum === "number") return Math.floor(s.exclusiveMinimum) + 1;
      return typeof s.maximum === "number" && s.maximum < 0 ? s.maximum : 0;
    }
    case "boolean":
      return true;
    default:
      return null;
  }
}

function sampleString(s: SchemaObject, text: string): string {
  const byFormat: Record<string, string> = {
    date: "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    email: "echo@example.com",
    uri: "https://example.com/",
  };
  if (typeof s.format === "string" && byFormat[s.format] !== undefined) return byFormat[s.format]!;
  let value = text === "" ? "echo" : text;
  if (typeof s.maxLength === "number") value = value.slice(0, s.maxLength);
  if (typeof s.minLength === "number") value = value.padEnd(s.minLength, "x");
  return value;
}
