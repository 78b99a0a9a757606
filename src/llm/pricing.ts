/**
 * What a model call costs: per-million-token list prices from `prices.json` (bundled
 * into the executable), matched by model name, and exact-to-1e-10 dollar figures.
 */
import PRICE_FILE from "./prices.json" with { type: "json" };

/** Dollars per million tokens. */
export interface TokenRates {
  input: number;
  output: number;
}

/** The rates that apply to a model, and how they were found. */
export interface ModelPrice extends TokenRates {
  /** The price-table key that matched (`gpt-4o-mini`), `ollama` / `free` for free models, `fallback` when none did. */
  matched: string;
  /** True when the model is unknown and `FALLBACK_RATES` were used: the figure is a guess. */
  fallback: boolean;
}

/** A call's cost in US dollars, rounded to 1e-10. */
export interface CallCost {
  usd: number;
  /** True when computed from `FALLBACK_RATES` (unknown model), so the figure is a guess. */
  fallback: boolean;
}

interface PriceEntry extends TokenRates {
  provider: string;
  aliases?: string[];
}

interface PriceFile {
  _note: string;
  updated: string;
  fallback: TokenRates;
  models: Record<string, PriceEntry>;
}

const TABLE = PRICE_FILE as PriceFile;

/**
 * Rates for a model the table does not know: $5 input / $15 output per million tokens,
 * deliberately above most current models so that a `max_cost` budget errs on the safe side.
 */
export const FALLBACK_RATES: Readonly<TokenRates> = Object.freeze({ ...TABLE.fallback });

/** The date the price table was last checked (YYYY-MM-DD). */
export const PRICES_UPDATED: string = TABLE.updated;

/** Every name (key or alias, lower case) → its table key, longest first so the first hit is the longest prefix. */
const NAMES: ReadonlyArray<readonly [name: string, key: string]> = Object.entries(TABLE.models)
  .flatMap(([key, entry]) => [key, ...(entry.aliases ?? [])].map((name) => [name.toLowerCase(), key] as const))
  .sort((a, b) => b[0].length - a[0].length);

/** Characters that may follow a table name inside a longer model id: a date, a version, a tag. */
const NAME_BOUNDARY = new Set(["-", ":", "@", "_"]);

function matchesName(model: string, name: string): boolean {
  return model === name || (model.startsWith(name) && NAME_BOUNDARY.has(model[name.length]!));
}

/**
 * The rates for `model`. Case-insensitive. A `host/` entry of the table (`groq/llama-3.1-8b`)
 * prices that host's model first; otherwise routing prefixes are dropped (LiteLLM's
 * `groq/`, `together_ai/`, `openrouter/`, any `vendor/`); `ollama/…`, `ollama_chat/…` and
 * OpenRouter `…:free` models are free. Then the longest table name that is the whole id or a prefix of it ending at a
 * `-`, `:`, `@` or `_` wins: `gpt-4o-mini-2024-07-18` → `gpt-4o-mini` (not `gpt-4o`),
 * `claude-3-5-haiku-latest` → `claude-3-5-haiku`; `gpt-4.5` is not `gpt-4`. An unknown
 * model gets `FALLBACK_RATES`, flagged `fallback: true`.
 */
export function priceFor(model: string): ModelPrice {
  const segments = model.trim().toLowerCase().split("/");
  if (segments.length > 1 && (segments[0] === "ollama" || segments[0] === "ollama_chat")) return { input: 0, output: 0, matched: "ollama", fallback: false };
  const id = segments[segments.length - 1]!;
  if (id.endsWith(":free")) return { input: 0, output: 0, matched: "free", fallback: false };
  // A host's own rate first (`groq/llama-3.1-8b`), then the model's usual one.
  const hosted = segments.length > 1 ? `${segments[0]}/${id}` : undefined;
  const hit = (hosted === undefined ? undefined : NAMES.find(([name]) => name.includes("/") && matchesName(hosted, name))) ?? NAMES.find(([name]) => !name.includes("/") && matchesName(id, name));
  if (hit === undefined) return { ...FALLBACK_RATES, matched: "fallback", fallback: true };
  const entry = TABLE.models[hit[1]]!;
  return { input: entry.input, output: entry.output, matched: hit[1], fallback: false };
}

/** Rounds dollars to 1e-10, which removes binary floating-point noise from products and sums. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/**
 * The cost of one call: `tokens × rate / 1e6` for prompt and completion, summed and
 * rounded to 1e-10. A cost the provider reported (OpenRouter's `usage.cost`) wins over
 * the table when it is a finite number >= 0.
 */
export function costOf(model: string, promptTokens: number, completionTokens: number, reportedCost?: number): CallCost {
  if (reportedCost !== undefined && Number.isFinite(reportedCost) && reportedCost >= 0) {
    return { usd: roundUsd(reportedCost), fallback: false };
  }
  const price = priceFor(model);
  const usd = (promptTokens * price.input) / 1e6 + (completionTokens * price.output) / 1e6;
  return { usd: roundUsd(usd), fallback: price.fallback };
}
