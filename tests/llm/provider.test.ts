/** Provider routing (docs/llm.md) and the cache key: pure functions, checked case by case. */
import { describe, expect, test } from "bun:test";
import { missingKey, routeModel } from "../../src/llm/provider.ts";
import { cacheKey, type CacheKeyParts } from "../../src/llm/response-cache.ts";

const route = (model: string, env: Record<string, string> = {}, llm: Parameters<typeof routeModel>[1] = {}) =>
  routeModel(model, llm, env);

describe("routing by model name and keys", () => {
  test.each([
    ["gpt-4o-mini", "https://api.openai.com/v1", "gpt-4o-mini", "OPENAI_API_KEY"],
    ["o3-mini", "https://api.openai.com/v1", "o3-mini", "OPENAI_API_KEY"],
    ["o1-preview", "https://api.openai.com/v1", "o1-preview", "OPENAI_API_KEY"],
    ["o4-mini", "https://api.openai.com/v1", "o4-mini", "OPENAI_API_KEY"],
    ["claude-3-5-haiku-latest", "https://api.anthropic.com/v1/", "claude-3-5-haiku-latest", "ANTHROPIC_API_KEY"],
    [
      "gemini-2.0-flash",
      "https://generativelanguage.googleapis.com/v1beta/openai/",
      "gemini-2.0-flash",
      "GOOGLE_API_KEY or GEMINI_API_KEY",
    ],
    [
      "openrouter/meta-llama/llama-3.1-8b-instruct",
      "https://openrouter.ai/api/v1",
      "meta-llama/llama-3.1-8b-instruct",
      "OPENROUTER_API_KEY",
    ],
  ])("%s → %s", (model, baseURL, sent, variables) => {
    const found = route(model);
    expect(found).toMatchObject({ baseURL, model: sent, apiKey: undefined });
    expect(missingKey(found, model)?.message).toContain(`${variables} is not set`);
  });

  test("the key comes from the provider's variable; GEMINI_API_KEY also serves gemini-*", () => {
    expect(route("gpt-4o", { OPENAI_API_KEY: "sk-1" }).apiKey).toBe("sk-1");
    expect(route("gemini-1.5-pro", { GEMINI_API_KEY: "g-1" }).apiKey).toBe("g-1");
    expect(route("gemini-1.5-pro", { GOOGLE_API_KEY: "g-2", GEMINI_API_KEY: "g-1" }).apiKey).toBe("g-2");
    expect(missingKey(route("gpt-4o", { OPENAI_API_KEY: "sk-1" }), "gpt-4o")).toBeUndefined();
  });

  test("vendor/model goes to OpenRouter when an OPENROUTER_API_KEY is set (the model name unchanged)", () => {
    expect(route("google/gemini-2.5-flash", { OPENROUTER_API_KEY: "or-1" })).toMatchObject({
      baseURL: "https://openrouter.ai/api/v1",
      model: "google/gemini-2.5-flash",
      apiKey: "or-1",
    });
    expect(route("google/gemini-2.5-flash").provider).toBe("openai");
  });

  test("ollama/… is local and needs no key", () => {
    const found = route("ollama/llama3.1");
    expect(found).toMatchObject({ baseURL: "http://localhost:11434/v1", model: "llama3.1" });
    expect(missingKey(found, "ollama/llama3.1")).toBeUndefined();
  });

  test("a configured base_url (or api_base, AIORCH_BASE_URL, OPENAI_BASE_URL) takes every model, key optional", () => {
    expect(route("claude-3-5-haiku", {}, { base_url: "http://127.0.0.1:9/v1" })).toMatchObject({
      baseURL: "http://127.0.0.1:9/v1",
      provider: "configured",
    });
    expect(route("gpt-4o", {}, { api_base: "https://openrouter.ai/api/v1", api_key: "k" })).toMatchObject({
      baseURL: "https://openrouter.ai/api/v1",
      apiKey: "k",
    });
    expect(route("gpt-4o", { AIORCH_BASE_URL: "http://a/v1", OPENAI_BASE_URL: "http://b/v1" }).baseURL).toBe(
      "http://a/v1",
    );
    expect(route("gpt-4o", { OPENAI_BASE_URL: "http://b/v1" }).baseURL).toBe("http://b/v1");
    expect(missingKey(route("gpt-4o", { OPENAI_BASE_URL: "http://b/v1" }), "gpt-4o")).toBeUndefined();
  });

  test("a configured endpoint whose api_key came out empty (its ${VAR} unset) is a missing key, said so", () => {
    const found = route("gpt-4o", {}, { base_url: "http://127.0.0.1:9/v1", api_key: "" });
    expect(missingKey(found, "gpt-4o")?.message).toBe(
      "model `gpt-4o` is served by http://127.0.0.1:9/v1, and the config's llm.api_key is empty (the variable it names is not set)",
    );
    expect(missingKey(route("gpt-4o", {}, { base_url: "http://127.0.0.1:9/v1" }), "gpt-4o")).toBeUndefined();
  });

  test("the config's api_key wins over the environment", () => {
    expect(route("gpt-4o", { OPENAI_API_KEY: "env" }, { api_key: "config" }).apiKey).toBe("config");
  });

  test("the missing-key message says how to fix it", () => {
    const problem = missingKey(route("claude-sonnet-4"), "claude-sonnet-4")!;
    expect(problem.message).toBe(
      "model `claude-sonnet-4` is served by anthropic (https://api.anthropic.com/v1/), and ANTHROPIC_API_KEY is not set",
    );
    expect(problem.hint).toContain("export ANTHROPIC_API_KEY=");
    expect(problem.hint).toContain("llm.base_url");
  });
});

describe("the cache key", () => {
  const base: CacheKeyParts = {
    endpoint: "http://e/v1",
    model: "m",
    system: "s",
    prompt: "p",
    temperature: 0.2,
    maxTokens: 10,
    format: "text",
    schema: undefined,
  };

  test("is a SHA-256 in hex, the same for the same question", () => {
    expect(cacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...base })).toBe(cacheKey(base));
  });

  test.each([
    ["endpoint", { endpoint: "http://other/v1" }],
    ["model", { model: "m2" }],
    ["system", { system: undefined }],
    ["prompt", { prompt: "p2" }],
    ["temperature", { temperature: 0.3 }],
    ["temperature unset", { temperature: undefined }],
    ["max_tokens", { maxTokens: 11 }],
    ["format", { format: "json" }],
    ["schema", { schema: { type: "object" } }],
  ] as const)("changes with %s", (_label, change) => {
    expect(cacheKey({ ...base, ...change })).not.toBe(cacheKey(base));
  });

  test("a separator inside a field cannot make two questions collide", () => {
    expect(cacheKey({ ...base, system: "a", prompt: "b\u0000c" })).not.toBe(
      cacheKey({ ...base, system: "a\u0000b", prompt: "c" }),
    );
  });
});
