/** The price table and cost arithmetic (SPEC docs/llm.md "Cost"). */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { roundUsd } from "../../src/model/money.ts";
import { FALLBACK_RATES, PRICES_UPDATED, costOf, isLocalEndpoint, priceFor } from "../../src/llm/pricing.ts";
import PRICE_FILE from "../../src/llm/prices.json" with { type: "json" };

const MODELS = PRICE_FILE.models as Record<
  string,
  { provider: string; input: number; output: number; aliases?: string[] }
>;

describe("prices.json", () => {
  test("says when it was updated and that the rates are list prices", () => {
    expect(PRICES_UPDATED).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICE_FILE._note).toContain("List prices");
    expect(PRICE_FILE._note).toContain("per million tokens");
  });

  test("about 40 models from the six providers (and Groq's own rates), with sane rates", () => {
    const entries = Object.entries(MODELS);
    expect(entries.length).toBeGreaterThanOrEqual(40);
    expect(new Set(entries.map(([, e]) => e.provider))).toEqual(
      new Set(["openai", "anthropic", "google", "mistral", "meta", "deepseek", "groq"]),
    );
    for (const [key, entry] of entries) {
      expect({
        key,
        ok: entry.input > 0 && entry.output >= entry.input && entry.output < 100 && key === key.toLowerCase(),
      }).toEqual({ key, ok: true });
    }
  });

  test("every key and alias matches its own entry", () => {
    for (const [key, entry] of Object.entries(MODELS)) {
      for (const name of [key, ...(entry.aliases ?? [])])
        expect({ name, matched: priceFor(name).matched }).toEqual({ name, matched: key });
    }
  });
});

describe("priceFor", () => {
  test("the brief's reference rates", () => {
    const expected: Record<string, [number, number]> = {
      "gpt-4o-mini": [0.15, 0.6],
      "gpt-4o": [2.5, 10],
      "gpt-4.1": [2, 8],
      "gpt-4.1-mini": [0.4, 1.6],
      "gpt-4.1-nano": [0.1, 0.4],
      "o3-mini": [1.1, 4.4],
      "claude-3-5-haiku": [0.8, 4],
      "claude-sonnet-4": [3, 15],
      "claude-3-7-sonnet": [3, 15],
      "claude-opus-4": [15, 75],
      "gemini-2.0-flash": [0.1, 0.4],
      "gemini-1.5-pro": [1.25, 5],
      "gemini-2.5-pro": [1.25, 10],
      "mistral-large": [2, 6],
      "mistral-small": [0.2, 0.6],
      "deepseek-chat": [0.27, 1.1],
      "deepseek-reasoner": [0.55, 2.19],
    };
    for (const [model, [input, output]] of Object.entries(expected)) {
      expect({ model, ...priceFor(model) }).toEqual({ model, input, output, matched: model, fallback: false });
    }
  });

  test("the longest prefix wins, so dated versions find their own model", () => {
    expect(priceFor("gpt-4o-mini-2024-07-18").matched).toBe("gpt-4o-mini");
    expect(priceFor("gpt-4o-2024-08-06").matched).toBe("gpt-4o");
    expect(priceFor("gpt-4.1-mini-2025-04-14").matched).toBe("gpt-4.1-mini");
    expect(priceFor("o3-mini-2025-01-31").matched).toBe("o3-mini");
    expect(priceFor("o3-2025-04-16").matched).toBe("o3");
    expect(priceFor("gpt-4-0613").matched).toBe("gpt-4");
    expect(priceFor("gpt-4-turbo-2024-04-09").matched).toBe("gpt-4-turbo");
    expect(priceFor("claude-3-5-haiku-20241022").matched).toBe("claude-3-5-haiku");
    expect(priceFor("claude-opus-4-1-20250805").matched).toBe("claude-opus-4");
    expect(priceFor("gemini-2.5-flash-lite-preview-06-17").matched).toBe("gemini-2.5-flash-lite");
    expect(priceFor("gemini-2.5-flash-preview-05-20").matched).toBe("gemini-2.5-flash");
    expect(priceFor("mistral-large-latest").matched).toBe("mistral-large");
    expect(priceFor("llama-3.1-8b-instant").matched).toBe("llama-3.1-8b");
  });

  test("a prefix must end at a separator: gpt-4.5 is not gpt-4, gpt-4o is not gpt-4", () => {
    expect(priceFor("gpt-4.5-preview").fallback).toBe(true);
    expect(priceFor("gpt-4o").matched).toBe("gpt-4o");
    expect(priceFor("o1").matched).toBe("o1");
    expect(priceFor("o10").fallback).toBe(true);
  });

  test("routing prefixes are stripped and case does not matter", () => {
    expect(priceFor("openrouter/anthropic/claude-3.5-sonnet").matched).toBe("claude-3-5-sonnet");
    expect(priceFor("openai/GPT-4o-Mini").matched).toBe("gpt-4o-mini");
    expect(priceFor("anthropic/claude-sonnet-4").matched).toBe("claude-sonnet-4");
    expect(priceFor("google/gemini-2.0-flash-001").matched).toBe("gemini-2.0-flash");
    expect(priceFor("deepseek/deepseek-r1-0528").matched).toBe("deepseek-reasoner");
    expect(priceFor("meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo").matched).toBe("llama-3.1-70b");
    expect(priceFor("meta-llama/llama-3.3-70b-instruct").matched).toBe("llama-3.3-70b");
    expect(priceFor("  GPT-4.1  ").matched).toBe("gpt-4.1");
  });

  test("local and free models cost nothing", () => {
    expect(priceFor("ollama/llama3.1:8b")).toEqual({ input: 0, output: 0, matched: "ollama", fallback: false });
    expect(priceFor("openrouter/meta-llama/llama-3.3-70b-instruct:free")).toEqual({
      input: 0,
      output: 0,
      matched: "free",
      fallback: false,
    });
  });

  test("an endpoint on this machine costs nothing: localhost, 127.0.0.0/8, ::1, 0.0.0.0; not a LAN or public host", () => {
    for (const url of [
      "http://localhost:11434/v1",
      "http://LOCALHOST/v1",
      "http://api.localhost:8080/v1",
      "http://127.0.0.1:4000",
      "http://127.1.2.3/v1",
      "http://[::1]:8000/v1",
      "http://0.0.0.0:8000/v1",
      "http://[::ffff:127.0.0.1]/v1",
    ]) {
      expect({ url, local: isLocalEndpoint(url) }).toEqual({ url, local: true });
      expect(priceFor("gpt-4o", { baseURL: url })).toEqual({ input: 0, output: 0, matched: "local", fallback: false });
    }
    for (const url of [
      "https://api.openai.com/v1",
      "http://192.168.1.20:11434/v1",
      "http://10.0.0.5/v1",
      "http://localhost.example.com/v1",
      "http://128.0.0.1/v1",
      "not a url",
    ]) {
      expect({ url, local: isLocalEndpoint(url) }).toEqual({ url, local: false });
    }
    expect(priceFor("gpt-4o", { baseURL: "https://api.openai.com/v1" }).matched).toBe("gpt-4o");
  });

  test("llm.prices wins over the table, the local $0 and the free models, by the table's name rule", () => {
    const prices = {
      "gpt-4o": { input: 1, output: 2 },
      "GPT-4o-mini": { input: 3, output: 4 },
      "ollama/llama3.1": { input: 5, output: 6 },
      "my-model": { input: 7, output: 8 },
    };
    expect(priceFor("gpt-4o-2024-08-06", { prices })).toEqual({
      input: 1,
      output: 2,
      matched: "llm.prices:gpt-4o",
      fallback: false,
    });
    expect(priceFor("gpt-4o-mini", { prices, baseURL: "http://localhost/v1" })).toMatchObject({
      input: 3,
      output: 4,
      matched: "llm.prices:GPT-4o-mini",
    });
    expect(priceFor("ollama/llama3.1:8b", { prices })).toMatchObject({
      input: 5,
      matched: "llm.prices:ollama/llama3.1",
    });
    expect(priceFor("openrouter/acme/my-model", { prices })).toMatchObject({
      input: 7,
      matched: "llm.prices:my-model",
    });
    expect(priceFor("gpt-4.1", { prices }).matched).toBe("gpt-4.1");
    expect(costOf("my-model", 1_000_000, 1_000_000, 99, { prices })).toEqual({ usd: 15, fallback: false });
    expect(costOf("gpt-4o", 1_000_000, 0, 0.5, { baseURL: "http://127.0.0.1:1/v1" })).toEqual({
      usd: 0.5,
      fallback: false,
    });
    expect(costOf("gpt-4o", 1_000_000, 0, undefined, { baseURL: "http://127.0.0.1:1/v1" })).toEqual({
      usd: 0,
      fallback: false,
    });
  });

  test("an unknown model gets the flagged fallback rate of $5 / $15 per million", () => {
    expect(FALLBACK_RATES).toEqual({ input: 5, output: 15 });
    expect(priceFor("my-finetune-v2")).toEqual({ input: 5, output: 15, matched: "fallback", fallback: true });
    expect(priceFor("")).toMatchObject({ fallback: true });
  });
});

describe("costOf", () => {
  test("exact figures for listed models", () => {
    expect(costOf("gpt-4o-mini", 1000, 500)).toEqual({ usd: 0.00045, fallback: false });
    expect(costOf("gpt-4o-mini-2024-07-18", 1_000_000, 1_000_000)).toEqual({ usd: 0.75, fallback: false });
    expect(costOf("gpt-4o", 1234, 567)).toEqual({ usd: 0.008755, fallback: false });
    expect(costOf("claude-3-5-haiku-20241022", 10_000, 2_000)).toEqual({ usd: 0.016, fallback: false });
    expect(costOf("deepseek-reasoner", 3, 7)).toEqual({ usd: 0.00001698, fallback: false });
    expect(costOf("gemini-1.5-flash-8b", 1_000_000, 1_000_000)).toEqual({ usd: 0.1875, fallback: false });
    expect(costOf("gpt-4.1-nano", 1, 1)).toEqual({ usd: 0.0000005, fallback: false });
    expect(costOf("claude-opus-4", 2_000_000, 100_000)).toEqual({ usd: 37.5, fallback: false });
    expect(costOf("gpt-4o", 0, 0)).toEqual({ usd: 0, fallback: false });
  });

  test("binary floating-point noise is rounded away", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(costOf("gemini-2.0-flash", 1_000_000, 500_000).usd).toBe(0.3);
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
  });

  test("an unknown model is costed at the fallback rate and flagged", () => {
    expect(costOf("mystery-model", 1_000_000, 1_000_000)).toEqual({ usd: 20, fallback: true });
  });

  test("a provider-reported cost wins, even zero; a non-number is ignored", () => {
    expect(costOf("gpt-4o", 1_000_000, 0, 0.0123)).toEqual({ usd: 0.0123, fallback: false });
    expect(costOf("mystery-model", 10, 10, 0)).toEqual({ usd: 0, fallback: false });
    expect(costOf("gpt-4o", 1_000_000, 0, Number.NaN)).toEqual({ usd: 2.5, fallback: false });
    expect(costOf("gpt-4o", 1_000_000, 0, -1)).toEqual({ usd: 2.5, fallback: false });
  });
});

describe("bundling", () => {
  test("the table is inlined by bun build, so a compiled binary needs no prices.json beside it", async () => {
    const result = await Bun.build({ entrypoints: [join(import.meta.dir, "../../src/llm/pricing.ts")], target: "bun" });
    expect(result.success).toBe(true);
    const code = await result.outputs[0]!.text();
    // Names and figures that only the JSON file holds (not the module's comments).
    expect(code).toContain("gemini-1.5-flash-8b");
    expect(code).toContain("0.0375");
    expect(code).not.toMatch(/from\s+["'][^"']*prices\.json/);
  });
});
