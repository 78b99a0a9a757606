import { parseDuration } from "../model/duration.ts";

/** A one-line example for fields whose shape is easy to get wrong. */
const SHAPE_EXAMPLES: Record<string, string> = {
  depends: "e.g. `depends: [fetch]`",
  steps: "each step is a key under steps:, e.g. `steps: {hello: {run: echo hello}}`",
  env: "e.g. `env: {GREETING: hello}`",
  input: "e.g. `input: {name: {type: string, default: world}}`",
  vars: "e.g. `vars: {greeting: hello}`",
  outputs: 'e.g. `outputs: {total: "{{ sum }}"}`',
  foreach: 'a name (`foreach: rows`), a template (`foreach: "{{ data.items }}"`) or a list',
  schema: "a JSON Schema mapping, e.g. `schema: {type: object}`",
};

const UNIT_WORDS: Record<string, string> = {
  ms: "ms",
  msec: "ms",
  millisecond: "ms",
  milliseconds: "ms",
  s: "s",
  sec: "s",
  secs: "s",
  second: "s",
  seconds: "s",
  m: "m",
  min: "m",
  mins: "m",
  minute: "m",
  minutes: "m",
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
};

/** `2s` for "2 sec", `5m` for "5 minutes"; undefined when nothing obvious was meant. */
export function suggestDuration(text: string): string | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]+)\s*$/.exec(text);
  const unit = match ? UNIT_WORDS[match[2]!.toLowerCase()] : undefined;
  return match && unit ? `${match[1]}${unit}` : undefined;
}

/**
 * How to fix a value of the wrong type, when there is something better to say than the
 * expected type: quoted numbers and booleans, durations in words, the shape of a mapping.
 */
export function fixHint(
  field: string,
  value: unknown,
  expects: { number: boolean; boolean: boolean; duration: boolean },
): string | undefined {
  const key = field
    .split(".")
    .at(-1)!
    .replace(/\[\d+\]$/, "");
  if (typeof value === "string") {
    const text = value.trim();
    if (expects.duration) {
      const suggestion = suggestDuration(text);
      return suggestion && parseDuration(suggestion) !== undefined
        ? `did you mean \`${key}: ${suggestion}\`?`
        : "use a number with a unit: 500ms, 2s, 1m or 1h";
    }
    if (expects.number && text !== "" && Number.isFinite(Number(text)))
      return `write it without quotes: \`${key}: ${text}\``;
    if (expects.boolean && /^(true|false|yes|no|on|off)$/i.test(text))
      return `write \`${key}: ${/^(true|yes|on)$/i.test(text)}\``;
  }
  // The examples show mappings and lists: a field of the same name that takes a number
  // (`llm.prices.MODEL.input`) is not the pipeline's `input:`.
  if (expects.number || expects.boolean || expects.duration) return undefined;
  return SHAPE_EXAMPLES[key];
}

/** A valid name close to an invalid one: `1bad` → `step_1bad`, `user-name` → `user_name`. */
export function suggestName(name: string, kind: "step" | "variable" | "pipeline"): string {
  if (kind === "pipeline") return name.replace(/[^a-zA-Z0-9._-]+/g, "-").replace(/^[^a-zA-Z0-9]+/, "") || "my-pipeline";
  const allowed = kind === "step" ? /[^A-Za-z0-9_-]+/g : /[^A-Za-z0-9_]+/g;
  const cleaned =
    name
      .trim()
      .replace(allowed, "_")
      .replace(/^_+|_+$/g, "") || "name";
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `${kind === "step" ? "step" : "v"}_${cleaned}`;
}
