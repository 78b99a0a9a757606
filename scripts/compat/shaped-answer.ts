/**
 * Answers a chat request in the shape its prompt asks for, by generic rules (no canned
 * answer per example), so that a catalog of real pipelines can run against a local
 * server: a JSON value that satisfies the request's `json_schema` when it carries one; a
 * JSON value inferred from the prompt's own description when it asks for JSON without a
 * schema; one of the listed words when the prompt says "exactly one of: A, B, C"; plain
 * prose otherwise. Values are deterministic (derived from the prompt) so the cache demo
 * sees the same answer twice.
 */
import type { ChatRequest } from "../../tests/helpers/llm-server.ts";

type Schema = { [keyword: string]: unknown };

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : "")).join("");
}

/** The last user message: the question the answer is for. */
export function questionOf(request: ChatRequest): string {
  const user = [...request.messages].reverse().find((m) => m.role === "user");
  return user === undefined ? "" : textOf(user.content);
}

/** A few plain words taken from the prompt, so every answer is about its own question. */
function topicWords(prompt: string, count: number): string {
  const words = prompt
    .replace(/\{[^}]*\}|[^A-Za-z0-9\s-]/g, " ")
    .split(/\s+/)
    .filter((w) => w.length > 3);
  return words.slice(0, count).join(" ").toLowerCase() || "the request";
}

/** A string that fits the schema's format, enum-less length limits and, when it is simple, its pattern. */
function sampleString(schema: Schema, name: string, prompt: string): string {
  const byFormat: Record<string, string> = {
    date: "2026-01-15",
    "date-time": "2026-01-15T09:30:00Z",
    email: "alice@example.com",
    uri: "https://example.com/",
    url: "https://example.com/",
    time: "09:30:00",
    uuid: "123e4567-e89b-42d3-a456-426614174000",
  };
  if (typeof schema.format === "string" && byFormat[schema.format] !== undefined) return byFormat[schema.format]!;
  let value = `${name.replace(/_/g, " ")} for ${topicWords(prompt, 4)}`.trim();
  if (typeof schema.pattern === "string") {
    try {
      if (!new RegExp(schema.pattern).test(value)) value = "a";
    } catch {
      /* an ECMAScript-incompatible pattern: keep the prose */
    }
  }
  if (typeof schema.maxLength === "number") value = value.slice(0, schema.maxLength);
  if (typeof schema.minLength === "number") value = value.padEnd(schema.minLength, ".");
  return value;
}

function resolveRef(ref: string, root: unknown): unknown {
  return ref
    .replace(/^#\/?/, "")
    .split("/")
    .filter(Boolean)
    .reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], root);
}

/** A value valid against `schema` (the common JSON-Schema keywords), named after its property for readable output. */
export function sampleFromSchema(schema: unknown, root: unknown, prompt: string, name = "value", depth = 0): unknown {
  if (typeof schema !== "object" || schema === null || depth > 10) return null;
  const s = schema as Schema;
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (typeof s.$ref === "string") return sampleFromSchema(resolveRef(s.$ref, root), root, prompt, name, depth + 1);
  if (Array.isArray(s.allOf))
    return Object.assign({}, ...s.allOf.map((b) => sampleFromSchema(b, root, prompt, name, depth + 1)));
  for (const key of ["anyOf", "oneOf"]) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0)
      return sampleFromSchema(branches[0], root, prompt, name, depth + 1);
  }
  const type = Array.isArray(s.type)
    ? s.type.find((t) => t !== "null")
    : (s.type ?? (s.properties ? "object" : s.items ? "array" : "string"));
  switch (type) {
    case "object": {
      const properties = (s.properties ?? {}) as Schema;
      return Object.fromEntries(
        Object.entries(properties).map(([key, sub]) => [key, sampleFromSchema(sub, root, prompt, key, depth + 1)]),
      );
    }
    case "array": {
      const wanted = Math.max(typeof s.minItems === "number" ? s.minItems : 2, 1);
      const count = typeof s.maxItems === "number" ? Math.min(wanted, s.maxItems) : wanted;
      return Array.from({ length: count }, (_, i) =>
        sampleFromSchema(s.items ?? {}, root, prompt, `${name.replace(/s$/, "")} ${i + 1}`, depth + 1),
      );
    }
    case "integer":
    case "number": {
      const low =
        typeof s.minimum === "number" ? s.minimum : typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + 1 : 1;
      const high =
        typeof s.maximum === "number"
          ? s.maximum
          : typeof s.exclusiveMaximum === "number"
            ? s.exclusiveMaximum - 1
            : low + 4;
      const middle = low + (high - low) / 2;
      return type === "integer" ? Math.ceil(middle) : middle;
    }
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return sampleString(s, name, prompt);
  }
}

/**
 * Keys a prompt lists for a JSON answer without a schema: `"key": …` in an example
 * object, or `key : …` / `- key` lines after "keys" / "fields" / "JSON". Empty when none.
 */
export function keysFromPrompt(prompt: string): string[] {
  const quoted = [...prompt.matchAll(/"([A-Za-z_][\w]*)"\s*:/g)].map((m) => m[1]!);
  if (quoted.length > 0) return [...new Set(quoted)];
  const listed = [...prompt.matchAll(/^\s*(?:[-*]\s*)?([a-z_][a-z0-9_]*)\s*[:—-]\s+\S/gm)].map((m) => m[1]!);
  return [...new Set(listed)];
}

/** "exactly ONE of: A, B, C" → the first option, or undefined when the prompt lists none. */
export function chosenWord(prompt: string): string | undefined {
  const match =
    /\bone of\s*:?\s*((?:["'`]?[A-Za-z_][\w-]*["'`]?\s*(?:,|\bor\b|\/|\|)\s*)+["'`]?[A-Za-z_][\w-]*["'`]?)/i.exec(
      prompt,
    );
  if (!match) return undefined;
  return match[1]!
    .split(/,|\bor\b|\/|\|/)[0]!
    .trim()
    .replace(/^["'`]|["'`]$/g, "");
}

/** Prose of a few sentences, or bullet lines when the prompt asks for bullets or a list. */
function prose(prompt: string): string {
  const topic = topicWords(prompt, 6);
  if (/\bbullet|\blist\b|markdown/i.test(prompt))
    return [`- First point about ${topic}.`, `- Second point about ${topic}.`, `- Third point about ${topic}.`].join(
      "\n",
    );
  return `This answers the request about ${topic}. It is a deterministic reply from the local test server.`;
}

/** The answer to `request` in the shape it asks for. */
export function shapedAnswer(request: ChatRequest): string {
  const prompt = questionOf(request);
  const format = request.response_format;
  if (format?.type === "json_schema" && format.json_schema?.schema !== undefined) {
    return JSON.stringify(sampleFromSchema(format.json_schema.schema, format.json_schema.schema, prompt));
  }
  const wantsJson = format?.type === "json_object" || /\bJSON\b/.test(prompt);
  if (wantsJson) {
    const asksArray = /JSON array|array of/i.test(prompt);
    const keys = keysFromPrompt(prompt);
    const object =
      keys.length > 0
        ? Object.fromEntries(keys.map((k) => [k, `${k.replace(/_/g, " ")} for ${topicWords(prompt, 3)}`]))
        : { answer: prose(prompt) };
    return JSON.stringify(asksArray ? [object] : object);
  }
  return chosenWord(prompt) ?? prose(prompt);
}
