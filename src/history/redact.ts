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

/** Secrets shorter than this are not redacted: they would mask ordinary words and numbers. */
const MIN_SECRET_LENGTH = 4;

const MASK = "***";

/** Names of environment variables whose values are secrets. */
const SECRET_NAME = /_(KEY|TOKEN|SECRET|PASSWORD)$/i;

/**
 * The secrets to redact: the values of environment variables whose names end in `_KEY`,
 * `_TOKEN`, `_SECRET` or `_PASSWORD` (any case), plus `extra` (the configured `api_key`),
 * each at least 4 characters long, without repeats, longest first (so that a secret that
 * contains another is masked whole).
 */
export function secretsFrom(env: Record<string, string | undefined>, extra: readonly (string | undefined)[] = [], redaction: RedactionSettings | null = {}): Secret[] {
  if (redaction?.enabled === false) return [];
  const named = new Set(redaction?.env_keys ?? []);
  const found = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (SECRET_NAME.test(name) || named.has(name))) found.add(value);
  }
  for (const value of extra) if (value !== undefined) found.add(value);
  const values = [...found].filter((secret) => secret.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return [...values, ...(redaction?.patterns ?? []).map(secretPattern)];
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
 * replaced by `***`, deep in arrays and plain objects (keys too). The value is not
 * modified: what changes is copied, what does not is shared. Other objects (dates, class
 * instances, typed arrays) are kept as they are.
 */
export function redact<T>(value: T, secrets: readonly Secret[]): T {
  const values = secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
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
  const seen = done.get(value);
  if (seen !== undefined) return seen;
  if (Array.isArray(value)) return walkArray(value, secrets, done);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  return walkObject(value as Record<string, unknown>, secrets, done);
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
    if (newKey === "__proto__") Object.defineProperty(copy, newKey, { value: newItem, enumerable: true, writable: true, configurable: true });
    else copy[newKey] = newItem;
    if (newKey !== key || newItem !== item) changed = true;
  }
  if (changed) return copy;
  done.set(object, object);
  return object;
}
