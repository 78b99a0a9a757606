/**
 * What a model call costs: per-million-token list prices from `prices.json` (bundled
 * into the executable), matched by model name, and exact-to-1e-10 dollar figures.
 */
import PRICE_FILE from "./prices.json" with { type: "json" };
import { roundUsd } from "../model/money.ts";

/** Dollars per million tokens. */
export interface TokenRates {
  input: number;
  output: number;
}

/** `llm.prices` of the config: rates by model name, which win over everything else. */
export type ConfiguredPrices = Readonly<Record<string, TokenRates>>;

/** Where a model is priced from besides its name: the config's rates and the endpoint that answers it. */
export interface PriceContext {
  prices?: ConfiguredPrices | undefined;
  /** The endpoint's base URL: one on this machine (`isLocalEndpoint`) costs nothing unless `prices` says otherwise. */
  baseURL?: string | undefined;
}

/** The rates that apply to a model, and how they were found. */
export interface ModelPrice extends TokenRates {
  /**
   * What matched: the price-table key (`gpt-4o-mini`); `llm.prices:KEY` for a configured
   * rate; `local` for an endpoint on this machine; `ollama` / `free` for free models;
   * `fallback` when nothing did.
   */
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
 * The rates for `model` (see {@link costOf} for the precedence): its `llm.prices` entry,
 * else $0 on an endpoint on this machine, else the built-in list price ({@link listPrice}).
 */
export function priceFor(model: string, context: PriceContext = {}): ModelPrice {
  const configured = configuredPrice(model, context.prices);
  if (configured) return configured;
  if (context.baseURL !== undefined && isLocalEndpoint(context.baseURL))
    return { input: 0, output: 0, matched: "local", fallback: false };
  return listPrice(model);
}

/**
 * The `llm.prices` entry for `model`, by the table's rule (case-insensitive; the whole id,
 * or a prefix of it ending at `-`, `:`, `@` or `_`; the longest key wins), tried on the name
 * as written (`groq/llama-3.1-8b`) and then without its `provider/` prefixes.
 */
function configuredPrice(model: string, prices: ConfiguredPrices | undefined): ModelPrice | undefined {
  if (!prices) return undefined;
  const written = model.trim().toLowerCase();
  const id = written.slice(written.lastIndexOf("/") + 1);
  const keys = Object.keys(prices).sort((a, b) => b.length - a.length);
  const key =
    keys.find((k) => matchesName(written, k.toLowerCase())) ?? keys.find((k) => matchesName(id, k.toLowerCase()));
  if (key === undefined) return undefined;
  const rates = prices[key]!;
  return { input: rates.input, output: rates.output, matched: `llm.prices:${key}`, fallback: false };
}

/**
 * Whether `baseURL` is on this machine: `localhost` (and `*.localhost`), the loopback
 * addresses `127.0.0.0/8` and `::1` (also as `::ffff:127.…`), and `0.0.0.0`. A server there
 * (Ollama, vLLM, llama.cpp) costs nothing; one that forwards to a paid provider (a LiteLLM
 * proxy) needs its rates in `llm.prices`.
 */
export function isLocalEndpoint(baseURL: string): boolean {
  let host: string;
  try {
    host = new URL(baseURL).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost") || host === "0.0.0.0" || host === "::1" || host === "::")
    return true;
  const v4 = host.replace(/^::ffff:/, "");
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
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
export function listPrice(model: string): ModelPrice {
  const segments = model.trim().toLowerCase().split("/");
  if (segments.length > 1 && (segments[0] === "ollama" || segments[0] === "ollama_chat"))
    return { input: 0, output: 0, matched: "ollama", fallback: false };
  const id = segments[segments.length - 1]!;
  if (id.endsWith(":free")) return { input: 0, output: 0, matched: "free", fallback: false };
  // A host's own rate first (`groq/llama-3.1-8b`), then the model's usual one.
  const hosted = segments.length > 1 ? `${segments[0]}/${id}` : undefined;
  const hit =
    (hosted === undefined ? undefined : NAMES.find(([name]) => name.includes("/") && matchesName(hosted, name))) ??
    NAMES.find(([name]) => !name.includes("/") && matchesName(id, name));
  if (hit === undefined) return { ...FALLBACK_RATES, matched: "fallback", fallback: true };
  const entry = TABLE.models[hit[1]]!;
  return { input: entry.input, output: entry.output, matched: hit[1], fallback: false };
}

/**
 * The cost of one call: `tokens × rate / 1e6` for prompt and completion, summed and
 * rounded to 1e-10. Precedence: a rate in `llm.prices` > a cost the provider reported
 * (OpenRouter's `usage.cost`, when a finite number >= 0) > $0 for an endpoint on this
 * machine > the built-in table > the fallback rate.
 */
export function costOf(
  model: string,
  promptTokens: number,
  completionTokens: number,
  reportedCost?: number,
  context: PriceContext = {},
): CallCost {
  const configured = configuredPrice(model, context.prices);
  if (!configured && reportedCost !== undefined && Number.isFinite(reportedCost) && reportedCost >= 0) {
    return { usd: roundUsd(reportedCost), fallback: false };
  }
  const price = configured ?? priceFor(model, context);
  const usd = (promptTokens * price.input) / 1e6 + (completionTokens * price.output) / 1e6;
  return { usd: roundUsd(usd), fallback: price.fallback };
}
