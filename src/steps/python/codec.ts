/**
 * JSON as spoken with the python worker (§3.1): plain JSON, except that bytes travel as
 * `{"$bytes": "<base64>"}` in both directions and are a `Uint8Array` on this side.
 */

/** The key of the one-key object that stands for bytes on the wire. */
export const BYTES_TAG = "$bytes";
const MARKER = `"${BYTES_TAG}"`;

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function containsBytes(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== "object") return false;
  if (isBytes(value)) return true;
  if (depth > 1000) return false; // JSON.stringify reports the cycle itself
  if (Array.isArray(value)) return value.some((v) => containsBytes(v, depth + 1));
  for (const key in value) {
    if (containsBytes((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

function tagBytes(this: unknown, key: string, value: unknown): unknown {
  // `this[key]` is the value before toJSON(): Buffer's toJSON would hide that it is bytes.
  const original = (this as Record<string, unknown>)[key];
  if (isBytes(original)) {
    return { [BYTES_TAG]: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString("base64") };
  }
  return value;
}

/**
 * Encodes a value for the worker. Walks the value once to see whether it holds bytes, so the
 * common case uses the native `JSON.stringify` without a replacer. `undefined` encodes as null.
 */
export function encodeJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  return (containsBytes(value) ? JSON.stringify(value, tagBytes) : JSON.stringify(value)) ?? "null";
}

function untagBytes(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const tagged = value as Record<string, unknown>;
    const b64 = tagged[BYTES_TAG];
    if (typeof b64 === "string" && Object.keys(tagged).length === 1) return new Uint8Array(Buffer.from(b64, "base64"));
  }
  return value;
}

/** Decodes a worker message; the reviver only runs when the text mentions the bytes tag. */
export function decodeJson(text: string): unknown {
  return text.includes(MARKER) ? JSON.parse(text, untagBytes) : JSON.parse(text);
}
