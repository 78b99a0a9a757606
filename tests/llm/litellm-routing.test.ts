/**
 * Model names as the Python aiorch's users write them (issue 11, item 6): LiteLLM's
 * `provider/model` form reaches that provider's OpenAI-compatible endpoint with that
 * provider's key variable. Each provider's endpoint is moved to its own local server by
 * LiteLLM's `<PROVIDER>_API_BASE` variable, and each server accepts only its own key, so a
 * success proves both the endpoint and the key variable.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { missingKey, routeModel } from "../../src/llm/provider.ts";
import { priceFor } from "../../src/llm/pricing.ts";
import { startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { aiorch, removeScratch, scratch, SLOW, STACK_TRACE, type RunDocument } from "../run/harness.ts";
import { NO_PROVIDER_ENV } from "../helpers/provider-env.ts";

/** prefix, the variable that moves its endpoint, its key variable (none for Ollama), the endpoint it has by default. */
const PROVIDERS: [prefix: string, baseVariable: string, keyVariable: string | undefined, defaultURL: string][] = [
  ["openai", "OPENAI_API_BASE", "OPENAI_API_KEY", "https://api.openai.com/v1"],
  ["anthropic", "ANTHROPIC_API_BASE", "ANTHROPIC_API_KEY", "https://api.anthropic.com/v1/"],
  ["gemini", "GEMINI_API_BASE", "GEMINI_API_KEY", "https://generativelanguage.googleapis.com/v1beta/openai/"],
  ["groq", "GROQ_API_BASE", "GROQ_API_KEY", "https://api.groq.com/openai/v1"],
  ["mistral", "MISTRAL_API_BASE", "MISTRAL_API_KEY", "https://api.mistral.ai/v1"],
  ["deepseek", "DEEPSEEK_API_BASE", "DEEPSEEK_API_KEY", "https://api.deepseek.com/v1"],
  ["together_ai", "TOGETHERAI_API_BASE", "TOGETHERAI_API_KEY", "https://api.together.xyz/v1"],
  ["ollama", "OLLAMA_API_BASE", undefined, "http://localhost:11434/v1"],
  ["ollama_chat", "OLLAMA_API_BASE", undefined, "http://localhost:11434/v1"],
  ["openrouter", "OPENROUTER_API_BASE", "OPENROUTER_API_KEY", "https://openrouter.ai/api/v1"],
  ["cohere", "COHERE_API_BASE", "COHERE_API_KEY", "https://api.cohere.ai/compatibility/v1"],
  ["xai", "XAI_API_BASE", "XAI_API_KEY", "https://api.x.ai/v1"],
];

describe("routing a LiteLLM provider/model name (pure)", () => {
  test.each(PROVIDERS)(
    "%s/… goes to %s's endpoint with its key, the prefix removed",
    (prefix, _base, keyVariable, defaultURL) => {
      const env = keyVariable ? { [keyVariable]: `key-${prefix}` } : {};
      const route = routeModel(`${prefix}/some-model`, {}, env);
      expect(route).toMatchObject({ baseURL: defaultURL, model: "some-model" });
      if (keyVariable) {
        expect(route.apiKey).toBe(`key-${prefix}`);
        expect(missingKey(routeModel(`${prefix}/some-model`, {}, {}), `${prefix}/some-model`)?.message).toContain(
          `${keyVariable}`,
        );
      } else expect(missingKey(route, `${prefix}/some-model`)).toBeUndefined();
    },
  );

  test("a vendor/model after a LiteLLM prefix keeps its vendor (together_ai/meta-llama/…, openrouter/anthropic/…)", () => {
    expect(routeModel("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", {}, {}).model).toBe(
      "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    );
    expect(routeModel("openrouter/anthropic/claude-3.5-haiku", {}, {}).model).toBe("anthropic/claude-3.5-haiku");
  });

  test("llm.provider takes the models without a prefix; google is the Python tool's name for gemini", () => {
    expect(routeModel("llama-3.1-8b-instant", { provider: "groq" }, {}).baseURL).toBe("https://api.groq.com/openai/v1");
    expect(routeModel("gemini-2.5-flash", { provider: "google" }, {}).provider).toBe("google");
    expect(routeModel("gpt-4o", { provider: "openai" }, {}).baseURL).toBe("https://api.openai.com/v1");
    // OpenRouter's `google/…` is not LiteLLM's gemini prefix.
    expect(routeModel("google/gemini-2.5-flash", {}, { OPENROUTER_API_KEY: "k" }).baseURL).toBe(
      "https://openrouter.ai/api/v1",
    );
  });

  test("OLLAMA_API_BASE is the server's root: /v1 is added", () => {
    expect(routeModel("ollama/llama3", {}, { OLLAMA_API_BASE: "http://gpu-box:11434" }).baseURL).toBe(
      "http://gpu-box:11434/v1",
    );
  });

  test("prices resolve for LiteLLM names, a host's own rate first", () => {
    expect(priceFor("groq/llama-3.1-8b-instant")).toMatchObject({
      matched: "groq/llama-3.1-8b",
      input: 0.05,
      output: 0.08,
    });
    expect(priceFor("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo")).toMatchObject({
      matched: "llama-3.3-70b",
      fallback: false,
    });
    expect(priceFor("ollama_chat/llama3.1")).toMatchObject({ input: 0, output: 0, fallback: false });
    for (const model of [
      "openai/gpt-4o-mini",
      "anthropic/claude-3-5-haiku-20241022",
      "gemini/gemini-2.5-flash",
      "mistral/mistral-large-latest",
      "deepseek/deepseek-chat",
      "openrouter/openai/gpt-4o",
      "xai/grok-2",
    ]) {
      expect({ model, fallback: priceFor(model).fallback }).toEqual({ model, fallback: model === "xai/grok-2" });
    }
  });
});

describe("routing a LiteLLM provider/model name (end to end)", () => {
  const servers = new Map<string, LlmServer>();
  beforeAll(async () => {
    for (const [prefix, , keyVariable] of PROVIDERS)
      servers.set(prefix, await startLlmServer(keyVariable ? { apiKey: `key-${prefix}` } : {}));
  });
  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    removeScratch();
  });

  test(
    "each prefix reaches its provider's endpoint with its key variable",
    async () => {
      const cwd = scratch("litellm-routes");
      const steps = PROVIDERS.map(
        ([prefix]) => `  ${prefix}:\n    model: ${prefix}/model-of-${prefix}\n    prompt: hello ${prefix}\n`,
      ).join("");
      await Bun.write(join(cwd, "p.yaml"), `name: routes\nsteps:\n${steps}`);
      const env: Record<string, string> = { ...NO_PROVIDER_ENV, HOME: cwd };
      for (const [prefix, baseVariable, keyVariable] of PROVIDERS) {
        // Both Ollama prefixes share one variable: the later server takes both requests.
        env[baseVariable] = servers.get(prefix)!.url;
        if (keyVariable) env[keyVariable] = `key-${prefix}`;
      }
      const outcome = await aiorch(["run", "p.yaml", "--format", "json"], { cwd, env });
      expect(outcome.stderr).toBe("");
      const doc = JSON.parse(outcome.stdout) as RunDocument;
      expect(doc.steps.map((s) => [s.name, s.status])).toEqual(PROVIDERS.map(([prefix]) => [prefix, "success"]));
      for (const [prefix] of PROVIDERS.filter(([p]) => p !== "ollama" && p !== "ollama_chat")) {
        expect(servers.get(prefix)!.stats.bodies.map((b) => b.model)).toEqual([`model-of-${prefix}`]);
      }
      expect(
        servers
          .get("ollama_chat")!
          .stats.bodies.map((b) => b.model)
          .sort(),
      ).toEqual(["model-of-ollama", "model-of-ollama_chat"]);
    },
    SLOW,
  );

  test(
    "bedrock/… is refused before any call, naming the way out: a LiteLLM proxy as base_url",
    async () => {
      const cwd = scratch("litellm-bedrock");
      await Bun.write(
        join(cwd, "p.yaml"),
        "name: b\nsteps:\n  ask:\n    model: bedrock/anthropic.claude-3-haiku-20240307-v1:0\n    prompt: hi\n",
      );
      const outcome = await aiorch(["run", "p.yaml"], { cwd, env: { ...NO_PROVIDER_ENV, HOME: cwd } });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toContain("bedrock has no OpenAI-compatible API");
      expect(outcome.stderr).toContain("LiteLLM proxy");
      expect(outcome.stderr).toContain("llm.base_url");
      expect(outcome.stderr).not.toMatch(STACK_TRACE);
      const doctor = await aiorch(["doctor", "p.yaml"], { cwd, env: { ...NO_PROVIDER_ENV, HOME: cwd } });
      expect(doctor.stdout).toContain("→ bedrock: no OpenAI-compatible API, only a LiteLLM proxy reaches it");
    },
    SLOW,
  );

  test(
    "with a LiteLLM proxy as base_url, bedrock/… goes there under its own name",
    async () => {
      const cwd = scratch("litellm-proxy");
      const proxy = servers.get("ollama")!;
      const before = proxy.stats.bodies.length;
      await Bun.write(join(cwd, "aiorch.yaml"), `llm:\n  base_url: ${proxy.url}\n`);
      await Bun.write(
        join(cwd, "p.yaml"),
        "name: b\nsteps:\n  ask:\n    model: bedrock/anthropic.claude-3-haiku\n    prompt: hi\n",
      );
      const outcome = await aiorch(["run", "p.yaml", "--format", "json"], {
        cwd,
        env: { ...NO_PROVIDER_ENV, HOME: cwd },
      });
      expect(outcome.exitCode).toBe(0);
      expect(proxy.stats.bodies.slice(before).map((b) => b.model)).toEqual(["bedrock/anthropic.claude-3-haiku"]);
    },
    SLOW,
  );

  test(
    "llm.provider: groq sends a model without a prefix to Groq",
    async () => {
      const cwd = scratch("litellm-provider");
      const groq = servers.get("groq")!;
      const before = groq.stats.bodies.length;
      await Bun.write(join(cwd, "aiorch.yaml"), "llm:\n  provider: groq\n  model: llama-3.1-8b-instant\n");
      await Bun.write(join(cwd, "p.yaml"), "name: g\nsteps:\n  ask:\n    prompt: hi\n");
      const outcome = await aiorch(["run", "p.yaml", "--format", "json"], {
        cwd,
        env: { ...NO_PROVIDER_ENV, HOME: cwd, GROQ_API_BASE: groq.url, GROQ_API_KEY: "key-groq" },
      });
      expect(outcome.stderr).toBe("");
      expect(groq.stats.bodies.slice(before).map((b) => b.model)).toEqual(["llama-3.1-8b-instant"]);
    },
    SLOW,
  );

  test(
    "aiorch cost prices LiteLLM names from the table, not the fallback",
    async () => {
      const cwd = scratch("litellm-cost");
      const models = [
        "groq/llama-3.1-8b-instant",
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "mistral/mistral-small-latest",
        "deepseek/deepseek-chat",
        "anthropic/claude-3-5-haiku-20241022",
        "gemini/gemini-2.0-flash",
        "ollama_chat/llama3.1",
      ];
      const steps = models
        .map((m, i) => `  s${i}:\n    model: ${m}\n    max_tokens: 1000\n    prompt: "${"x".repeat(4000)}"\n`)
        .join("");
      await Bun.write(join(cwd, "p.yaml"), `name: c\nsteps:\n${steps}`);
      const outcome = await aiorch(["cost", "p.yaml", "--format", "json"], {
        cwd,
        env: { ...NO_PROVIDER_ENV, HOME: cwd },
      });
      expect(outcome.exitCode).toBe(0);
      const doc = JSON.parse(outcome.stdout) as { steps: { model: string; usd: number; fallback_rate: boolean }[] };
      expect(doc.steps.map((s) => s.fallback_rate)).toEqual(models.map(() => false));
      // 1000 prompt and 1000 completion tokens at Groq's 0.05 / 0.08 per million; Ollama is free.
      expect(doc.steps[0]!.usd).toBeCloseTo(0.00013, 10);
      expect(doc.steps[models.length - 1]!.usd).toBe(0);
    },
    SLOW,
  );
});
