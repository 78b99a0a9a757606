/**
 * Provider routing (docs/llm.md): which OpenAI-compatible endpoint answers a model, and with which
 * key. A configured `base_url` (or `AIORCH_BASE_URL` / `OPENAI_BASE_URL`) sends every model
 * there; otherwise the model's name and the keys present decide.
 */
import type { ConfigSpec } from "../spec/config.ts";
import {
  CONFIGURED_BASE_VARIABLES,
  CONFIGURED_KEY_VARIABLES,
  PROVIDERS,
  PROXY_ONLY_PROVIDERS,
  providerNamed,
  providerOf,
  type ProviderEntry,
} from "./providers.ts";

/** The model prompt steps use when neither the step, `--model`, nor the config names one. */
export const DEFAULT_MODEL = "gpt-4o-mini";

export interface Route {
  /** Base URL of the OpenAI-compatible API (ends before `/chat/completions`). */
  baseURL: string;
  /** The model name as the endpoint expects it (a LiteLLM provider prefix such as `groq/` removed). */
  model: string;
  /** Who answers, for messages: a provider's name (`openai`, `groq`, …) or `configured`. */
  provider: string;
  /** The key; undefined when none is set. */
  apiKey: string | undefined;
  /** The variables that would provide the key, for the message when it is missing. Empty: no key needed. */
  keyVariables: readonly string[];
  /** The config asks for a key (`api_key: ${VAR}`) that came out empty: a configured endpoint then needs it too. */
  emptyConfigKey?: boolean;
  /** A LiteLLM provider without an OpenAI-compatible API (`bedrock/…`): only a proxy at `base_url` reaches it. */
  proxyOnly?: boolean;
}

type Env = Record<string, string | undefined>;

/** The first of `names` set (and not empty) in `env`. */
export const firstSetName = (env: Env, names: readonly string[]): string | undefined =>
  names.find((n) => env[n] !== undefined && env[n] !== "");

const firstSet = (env: Env, names: readonly string[]): string | undefined => {
  const name = firstSetName(env, names);
  return name === undefined ? undefined : env[name];
};

/** The provider's endpoint (moved by its `<PROVIDER>_API_BASE` variable) and key for `model`. */
function via(entry: ProviderEntry, model: string, env: Env, configKey: string | undefined): Route {
  let baseURL = entry.baseURL;
  const moved = firstSet(env, entry.baseVariables);
  if (moved !== undefined) {
    const suffix = entry.basePathSuffix;
    baseURL = suffix && !moved.replace(/\/+$/, "").endsWith(suffix) ? `${moved.replace(/\/+$/, "")}${suffix}` : moved;
  }
  if (entry.keyVariables.length === 0)
    return { baseURL, model, provider: entry.name, apiKey: configKey ?? entry.name, keyVariables: [] };
  return {
    baseURL,
    model,
    provider: entry.name,
    apiKey: configKey ?? firstSet(env, entry.keyVariables),
    keyVariables: entry.keyVariables,
  };
}

/**
 * Where `model` goes with this config and environment. Never throws: a missing key (or a
 * provider aiorch cannot call) is reported by {@link missingKey}. In order:
 * 1. a configured endpoint (`llm.base_url`/`api_base`, `AIORCH_BASE_URL`, `OPENAI_BASE_URL`) takes every model;
 * 2. a LiteLLM prefix (`groq/…`, `anthropic/…`, `ollama_chat/…`, …) names the provider, and is removed;
 *    a prefix of a provider without an OpenAI-compatible API (`bedrock/…`) is refused, with the way out;
 * 3. `llm.provider` (other than `openai`) takes the models without a prefix;
 * 4. the name: `gpt-`/`o1`/`o3`/`o4`/`chatgpt-` → OpenAI, `claude-` → Anthropic, `gemini-` → Google,
 *    `vendor/model` → OpenRouter when its key is set, anything else → OpenAI.
 */
export function routeModel(model: string, llm: NonNullable<ConfigSpec["llm"]> = {}, env: Env = process.env): Route {
  const configKey = llm.api_key !== undefined && llm.api_key !== "" ? llm.api_key : undefined;
  const configured = llm.base_url ?? llm.api_base ?? firstSet(env, CONFIGURED_BASE_VARIABLES);
  if (configured) {
    // A configured endpoint may be local and keyless: the key is optional there, unless the
    // config asks for one (`api_key: ${VAR}`) and it came out empty.
    return {
      baseURL: configured,
      model: model.replace(/^openrouter\//, ""),
      provider: "configured",
      apiKey: configKey ?? firstSet(env, CONFIGURED_KEY_VARIABLES),
      keyVariables: [],
      ...(llm.api_key === "" ? { emptyConfigKey: true } : {}),
    };
  }
  const slash = model.indexOf("/");
  const prefix = slash > 0 ? model.slice(0, slash) : "";
  const prefixed = providerOf(prefix);
  if (prefixed) return via(prefixed, model.slice(slash + 1), env, configKey);
  if (PROXY_ONLY_PROVIDERS.has(prefix))
    return { baseURL: "", model, provider: prefix, apiKey: undefined, keyVariables: [], proxyOnly: true };
  const configuredProvider =
    llm.provider === undefined || llm.provider === "openai" ? undefined : providerNamed(llm.provider);
  if (configuredProvider) return via(configuredProvider, model, env, configKey);
  if (/^(gpt-|o1|o3|o4|chatgpt-)/.test(model)) return via(PROVIDERS.openai, model, env, configKey);
  if (model.startsWith("claude-")) return via(PROVIDERS.anthropic, model, env, configKey);
  if (model.startsWith("gemini-")) return via(PROVIDERS.gemini, model, env, configKey);
  if (slash > 0 && (configKey || firstSet(env, PROVIDERS.openrouter.keyVariables)))
    return via(PROVIDERS.openrouter, model, env, configKey);
  // Anything else: OpenAI-compatible by default (the key names say where to point it instead).
  return via(PROVIDERS.openai, model, env, configKey);
}

/** The variable `route`'s key came from (undefined: none, or the config's `api_key`). */
export function keyVariableOf(route: Route, env: Env): string | undefined {
  return firstSetName(env, route.provider === "configured" ? CONFIGURED_KEY_VARIABLES : route.keyVariables);
}

/**
 * What is wrong when `route` has no key (or is a provider only a proxy reaches), or
 * undefined: the message names the variable to set (docs/llm.md: checked before the first call, exit 2).
 */
export function missingKey(route: Route, requested: string): { message: string; hint: string } | undefined {
  if (route.proxyOnly) {
    return {
      message: `model \`${requested}\`: ${route.provider} has no OpenAI-compatible API that aiorch can call directly`,
      hint: `run a LiteLLM proxy (\`litellm --model ${requested}\`) and set llm.base_url in aiorch.yaml to it (e.g. http://localhost:4000), keeping the model name`,
    };
  }
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
