/**
 * The providers a LiteLLM-style model name may start with (`groq/llama-3.1-8b-instant`),
 * each with its OpenAI-compatible endpoint and the variables LiteLLM reads for its key and
 * base URL, so that a Python aiorch user's model names and environment work unchanged.
 */
import type { LlmProvider } from "../spec/config.ts";

export interface ProviderEntry {
  /** Who answers, for messages. */
  name: string;
  /** The OpenAI-compatible base URL (before `/chat/completions`). */
  baseURL: string;
  /** Variables holding the key, first set wins; empty: no key needed. */
  keyVariables: readonly string[];
  /** Variables that move the endpoint (LiteLLM's `<PROVIDER>_API_BASE`), first set wins. */
  baseVariables: readonly string[];
  /** Appended to a base variable's value that lacks it (Ollama's is the server root). */
  basePathSuffix?: string;
}

const OLLAMA: ProviderEntry = {
  name: "ollama",
  baseURL: "http://localhost:11434/v1",
  keyVariables: [],
  baseVariables: ["OLLAMA_API_BASE", "OLLAMA_HOST"],
  basePathSuffix: "/v1",
};
const GEMINI: ProviderEntry = {
  name: "google",
  baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/",
  keyVariables: ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
  baseVariables: ["GEMINI_API_BASE"],
};

/** Every provider `llm.provider` or a model prefix may name. */
export const PROVIDERS: Readonly<Record<LlmProvider, ProviderEntry>> = {
  openai: {
    name: "openai",
    baseURL: "https://api.openai.com/v1",
    keyVariables: ["OPENAI_API_KEY"],
    baseVariables: ["OPENAI_API_BASE"],
  },
  anthropic: {
    name: "anthropic",
    baseURL: "https://api.anthropic.com/v1/",
    keyVariables: ["ANTHROPIC_API_KEY"],
    baseVariables: ["ANTHROPIC_API_BASE", "ANTHROPIC_BASE_URL"],
  },
  gemini: GEMINI,
  google: GEMINI,
  groq: {
    name: "groq",
    baseURL: "https://api.groq.com/openai/v1",
    keyVariables: ["GROQ_API_KEY"],
    baseVariables: ["GROQ_API_BASE"],
  },
  mistral: {
    name: "mistral",
    baseURL: "https://api.mistral.ai/v1",
    keyVariables: ["MISTRAL_API_KEY"],
    baseVariables: ["MISTRAL_API_BASE"],
  },
  deepseek: {
    name: "deepseek",
    baseURL: "https://api.deepseek.com/v1",
    keyVariables: ["DEEPSEEK_API_KEY"],
    baseVariables: ["DEEPSEEK_API_BASE"],
  },
  together_ai: {
    name: "together_ai",
    baseURL: "https://api.together.xyz/v1",
    keyVariables: ["TOGETHERAI_API_KEY", "TOGETHER_API_KEY", "TOGETHER_AI_API_KEY"],
    baseVariables: ["TOGETHERAI_API_BASE"],
  },
  ollama: OLLAMA,
  ollama_chat: OLLAMA,
  openrouter: {
    name: "openrouter",
    baseURL: "https://openrouter.ai/api/v1",
    keyVariables: ["OPENROUTER_API_KEY"],
    baseVariables: ["OPENROUTER_API_BASE"],
  },
  cohere: {
    name: "cohere",
    baseURL: "https://api.cohere.ai/compatibility/v1",
    keyVariables: ["COHERE_API_KEY", "CO_API_KEY"],
    baseVariables: ["COHERE_API_BASE"],
  },
  xai: { name: "xai", baseURL: "https://api.x.ai/v1", keyVariables: ["XAI_API_KEY"], baseVariables: ["XAI_API_BASE"] },
};

/** Variables that send every model to one OpenAI-compatible endpoint (as `llm.base_url` does), first set wins. */
export const CONFIGURED_BASE_VARIABLES: readonly string[] = ["AIORCH_BASE_URL", "OPENAI_BASE_URL"];

/** The key sent to a configured endpoint when the config has no `api_key`. */
export const CONFIGURED_KEY_VARIABLES: readonly string[] = PROVIDERS.openai.keyVariables;

/** The keys of the providers a model name without a prefix reaches (`gpt-…`, `claude-…`, `gemini-…`, `vendor/model`): what `aiorch doctor` lists. */
export const COMMON_KEY_VARIABLES: readonly string[] = [
  PROVIDERS.openai,
  PROVIDERS.anthropic,
  PROVIDERS.gemini,
  PROVIDERS.openrouter,
].flatMap((p) => p.keyVariables);

/** Every variable that moves an endpoint or keys it. */
export const ENDPOINT_VARIABLES: readonly string[] = [
  ...new Set([
    ...CONFIGURED_BASE_VARIABLES,
    ...Object.values(PROVIDERS).flatMap((p) => [...p.keyVariables, ...p.baseVariables]),
  ]),
];

/**
 * LiteLLM providers that speak their own protocol (signed AWS requests, Google Cloud
 * auth, per-deployment URLs): aiorch cannot call them directly, a LiteLLM proxy can.
 */
export const PROXY_ONLY_PROVIDERS: ReadonlySet<string> = new Set([
  "bedrock",
  "bedrock_converse",
  "sagemaker",
  "sagemaker_chat",
  "vertex_ai",
  "vertex_ai_beta",
  "azure",
  "azure_ai",
  "azure_text",
  "watsonx",
  "watsonx_text",
  "huggingface",
  "replicate",
  "cloudflare",
  "databricks",
  "predibase",
  "ai21",
  "nlp_cloud",
  "aleph_alpha",
  "baseten",
  "clarifai",
  "triton",
  "petals",
  "palm",
  "text-completion-openai",
  "snowflake",
  "oci",
  "dashscope",
  "volcengine",
]);

/** The provider `llm.provider` names. */
export function providerNamed(name: string): ProviderEntry | undefined {
  return Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name as LlmProvider] : undefined;
}

/**
 * The provider a model's LiteLLM `prefix/` names, or undefined when the prefix is not one.
 * `google/…` is not: it is OpenRouter's vendor name (`google/gemini-2.5-flash`), LiteLLM's is `gemini/`.
 */
export function providerOf(prefix: string): ProviderEntry | undefined {
  return prefix === "google" ? undefined : providerNamed(prefix);
}
