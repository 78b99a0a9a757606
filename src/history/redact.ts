import { secretForms } from "./secret-forms.ts";

/**
 * A secret to mask: a value (masked wherever it occurs), or a pattern from the config's
 * `redaction.patterns` (every match masked; a global RegExp).
 */
export type Secret = string | RegExp;

/** The config's `redaction:` block, as the Python aiorch writes it. */
export interface RedactionSettings {
  /** false: nothing is masked. Default true. */
  enabled?: boolean;
  /** Regular expressions (Python syntax; `(?P<name>…)` is read as `(?<name>…)`) whose matches are secrets. */
  patterns?: readonly string[];
  /** Variables whose values are secrets, besides the `*_KEY`-style names. */
  env_keys?: readonly string[];
}

/**
 * A guard of {@link redact}: a text this short is never replaced, whatever the list says.
 * Which values are secrets at all is decided earlier, by `isSecretLike` (8+ characters).
 */
const MIN_MASKED_LENGTH = 4;

const MASK = "***";

/** Names of environment variables whose values are secrets. */
const SECRET_NAME = /_(KEY|TOKEN|SECRET|PASSWORD)$/i;

/** Whether a variable called `name` holds a secret: a `*_KEY`-style name, or one the config's `redaction.env_keys` lists. */
export function isSecretName(name: string, redaction: RedactionSettings | null = {}): boolean {
  return SECRET_NAME.test(name) || (redaction?.env_keys ?? []).includes(name);
}

/**
 * The secrets to redact: the values of environment variables whose names end in `_KEY`,
 * `_TOKEN`, `_SECRET` or `_PASSWORD` (any case) or are listed in `redaction.env_keys`, plus
 * `extra` (the configured `api_key`) — each only when secret-like (8+ characters, see
 * `isSecretLike`), in every spelling `secretForms` lists, without repeats, longest first
 * (so that a secret that contains another is masked whole) — then the patterns.
 */
export function secretsFrom(
  env: Record<string, string | undefined>,
  extra: readonly (string | undefined)[] = [],
  redaction: RedactionSettings | null = {},
): Secret[] {
  if (redaction?.enabled === false) return [];
  const found: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isSecretName(name, redaction)) found.push(value);
  }
  for (const value of extra) if (value !== undefined) found.push(value);
  const secrets: Secret[] = (redaction?.patterns ?? []).map(secretPattern);
  addSecrets(secrets, found);
  return secrets;
}

/**
 * Adds the spellings of `values` (the secret-like ones) to `secrets` in place, keeping it
 * in the order {@link redactText} needs: values longest first, then the patterns. In place
 * because one list is shared by the history store, the CLI's printing and the LLM cache:
 * secrets met once the run is set up (a pipeline's `env:`) reach all three at once.
 */
export function addSecrets(secrets: Secret[], values: Iterable<string>): void {
  const texts = new Set(secrets.filter((s): s is string => typeof s === "string"));
  for (const value of values) for (const form of secretForms(value)) texts.add(form);
  const patterns = secrets.filter((s): s is RegExp => typeof s !== "string");
  const ordered = [...texts].filter((t) => t.length >= MIN_MASKED_LENGTH).sort((a, b) => b.length - a.length);
  secrets.splice(0, secrets.length, ...ordered, ...patterns);
}

/**
 * A `redaction.patterns` entry as a global RegExp; the Python-only spellings of named
 * groups are translated. Throws a SyntaxError for a pattern JavaScript cannot read.
 */
export function secretPattern(source: string): RegExp {
  return new RegExp(source.replace(/\(\?P</g, "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>"), "g");
}

/** Whether `text` holds one of the secrets (a value, or a pattern's match). */
export function holdsSecret(text: string, secrets: readonly Secret[]): boolean {
  return secrets.some((secret) => (typeof secret === "string" ? text.includes(secret) : text.search(secret) >= 0));
}

/**
 * `value` with every occurrence of each secret (at least 4 characters) inside its strings
 * replaced by `***`, deep in arrays and plain objects (keys too), and inside bytes (their
 * UTF-8 spelling replaced by the bytes of `***`). The value is not modified: what changes
 * is copied, what does not is shared, so `redact(v) !== v` tells whether something was
 * masked. Other objects (dates, class instances) are kept as they are.
 */
export function redact<T>(value: T, secrets: readonly Secret[]): T {
  const values = secrets
    .filter((s): s is string => typeof s === "string" && s.length >= MIN_MASKED_LENGTH)
    .sort((a, b) => b.length - a.length);
  const usable: Secret[] = [...values, ...secrets.filter((s) => typeof s !== "string")];
  if (usable.length === 0) return value;
  return walk(value, usable, new Map()) as T;
}

/** `text` with each secret (value or pattern match) replaced by `***`; `secrets` as {@link secretsFrom} gives them (values longest first). */
export function redactText(text: string, secrets: readonly Secret[]): string {
  let result = text;
  for (const secret of secrets) {
    if (typeof secret !== "string") result = result.replace(secret, MASK);
    else if (result.includes(secret)) result = result.split(secret).join(MASK);
  }
  return result;
}

/** `done` maps each object already walked to its redacted copy: shared and cyclic parts stay so. */
function walk(value: unknown, secrets: readonly Secret[], done: Map<object, unknown>): unknown {
  if (typeof value === "string") return redactText(value, secrets);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Uint8Array) return redactBytes(value, secrets);
  const seen = done.get(value);
  if (seen !== undefined) return seen;
  if (Array.isArray(value)) return walkArray(value, secrets, done);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  return walkObject(value as Record<string, unknown>, secrets, done);
}

/**
 * Bytes with each secret's UTF-8 bytes replaced by `***`: the text is read one character
 * per byte (latin1) so that every byte survives the round trip; a pattern matches there too.
 */
function redactBytes(bytes: Uint8Array, secrets: readonly Secret[]): Uint8Array {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const asBytes = secrets.map((s) => (typeof s === "string" ? Buffer.from(s, "utf8").toString("latin1") : s));
  const hidden = redactText(text, asBytes);
  return hidden === text ? bytes : new Uint8Array(Buffer.from(hidden, "latin1"));
}

function walkArray(array: readonly unknown[], secrets: readonly Secret[], done: Map<object, unknown>): unknown {
  const copy: unknown[] = new Array<unknown>(array.length);
  done.set(array, copy);
  let changed = false;
  for (let i = 0; i < array.length; i++) {
    const item = walk(array[i], secrets, done);
    copy[i] = item;
    if (item !== array[i]) changed = true;
  }
  if (changed) return copy;
  done.set(array, array);
  return array;
}

function walkObject(object: Record<string, unknown>, secrets: readonly Secret[], done: Map<object, unknown>): unknown {
  const copy: Record<string, unknown> = Object.getPrototypeOf(object) === null ? Object.create(null) : {};
  done.set(object, copy);
  let changed = false;
  for (const [key, item] of Object.entries(object)) {
    const newKey = redactText(key, secrets);
    const newItem = walk(item, secrets, done);
    // A `__proto__` key (JSON.parse makes them) must stay a key, not set the prototype.
    if (newKey === "__proto__")
      Object.defineProperty(copy, newKey, { value: newItem, enumerable: true, writable: true, configurable: true });
    else copy[newKey] = newItem;
    if (newKey !== key || newItem !== item) changed = true;
  }
  if (changed) return copy;
  done.set(object, object);
  return object;
}
