/**
 * Provider routing (§7): which OpenAI-compatible endpoint answers a model, and with which
 * key. A configured `base_url` (or `AIORCH_BASE_URL` / `OPENAI_BASE_URL`) sends every model
 * there; otherwise the model's name and the keys present decide.
 */
import type { ConfigSpec } from "../spec/config.ts";

/** The model prompt steps use when neither the step, `--model`, nor the config names one. */
export const DEFAULT_MODEL = "gpt-4o-mini";

export interface Route {
  /** Base URL of the OpenAI-compatible API (ends before `/chat/completions`). */
  baseURL: string;
  /** The model name as the endpoint expects it (`openrouter/` and `ollama/` prefixes removed). */
  model: string;
  /** Who answers, for messages: `openai`, `anthropic`, `google`, `openrouter`, `ollama`, `configured`. */
  provider: string;
  /** The key; undefined when none is set. */
  apiKey: string | undefined;
  /** The variables that would provide the key, for the message when it is missing. Empty: no key needed. */
  keyVariables: readonly string[];
  /** The config asks for a key (`api_key: ${VAR}`) that came out empty: a configured endpoint then needs it too. */
  emptyConfigKey?: boolean;
}

const OPENAI = "https://api.openai.com/v1";
const ANTHROPIC = "https://api.anthropic.com/v1/";
const GOOGLE = "https://generativelanguage.googleapis.com/v1beta/openai/";
const OPENROUTER = "https://openrouter.ai/api/v1";
const OLLAMA = "http://localhost:11434/v1";

type Env = Record<string, string | undefined>;

const firstSet = (env: Env, names: readonly string[]): string | undefined => names.map((n) => env[n]).find((v) => v !== undefined && v !== "");

function keyed(baseURL: string, model: string, provider: string, env: Env, configKey: string | undefined, variables: readonly string[]): Route {
  return { baseURL, model, provider, apiKey: configKey ?? firstSet(env, variables), keyVariables: variables };
}

/** Where `model` goes with this config and environment. Never throws: a missing key is checked by {@link missingKey}. */
export function routeModel(model: string, llm: NonNullable<ConfigSpec["llm"]> = {}, env: Env = process.env): Route {
  const configKey = llm.api_key !== undefined && llm.api_key !== "" ? llm.api_key : undefined;
  const configured = llm.base_url ?? llm.api_base ?? firstSet(env, ["AIORCH_BASE_URL", "OPENAI_BASE_URL"]);
  if (configured) {
    // A configured endpoint may be local and keyless: the key is optional there, unless the
    // config asks for one (`api_key: ${VAR}`) and it came out empty.
    return {
      baseURL: configured, model: model.replace(/^openrouter\//, ""), provider: "configured", apiKey: configKey ?? firstSet(env, ["OPENAI_API_KEY"]), keyVariables: [],
      ...(llm.api_key === "" ? { emptyConfigKey: true } : {}),
    };
  }
  if (model.startsWith("openrouter/")) return keyed(OPENROUTER, model.slice("openrouter/".length), "openrouter", env, configKey, ["OPENROUTER_API_KEY"]);
  if (model.startsWith("ollama/")) return { baseURL: OLLAMA, model: model.slice("ollama/".length), provider: "ollama", apiKey: "ollama", keyVariables: [] };
  if (/^(gpt-|o1|o3|o4|chatgpt-)/.test(model)) return keyed(OPENAI, model, "openai", env, configKey, ["OPENAI_API_KEY"]);
  if (model.startsWith("claude-")) return keyed(ANTHROPIC, model, "anthropic", env, configKey, ["ANTHROPIC_API_KEY"]);
  if (model.startsWith("gemini-")) return keyed(GOOGLE, model, "google", env, configKey, ["GOOGLE_API_KEY", "GEMINI_API_KEY"]);
  if (model.includes("/") && (configKey || firstSet(env, ["OPENROUTER_API_KEY"]))) return keyed(OPENROUTER, model, "openrouter", env, configKey, ["OPENROUTER_API_KEY"]);
  // Anything else: OpenAI-compatible by default (the key names say where to point it instead).
  return keyed(OPENAI, model, "openai", env, configKey, ["OPENAI_API_KEY"]);
}

/**
 * What is wrong when `route` has no key, or undefined: the message names the variable to
 * set (§7: checked before the first call, exit 2).
 */
export function missingKey(route: Route, requested: string): { message: string; hint: string } | undefined {
  if (route.apiKey !== undefined) return undefined;
  if (route.emptyConfigKey) {
    return {
      message: `model \`${requested}\` is served by ${route.baseURL}, and the config's llm.api_key is empty (the variable it names is not set)`,
      hint: "export the variable that llm.api_key names in aiorch.yaml, or remove api_key for an endpoint that needs none",
    };
  }
  if (route.keyVariables.length === 0) return undefined;
  const names = route.keyVariables.join(" or ");
  return {
    message: `model \`${requested}\` is served by ${route.provider} (${route.baseURL}), and ${names} is not set`,
    hint: `export ${route.keyVariables[0]}=…, or set llm.api_key (e.g. \${${route.keyVariables[0]}}) in aiorch.yaml; for a local or other OpenAI-compatible server set llm.base_url`,
  };
}
