/**
 * `prompt:` steps end to end (docs/llm.md), their answers: the answer is the step's result,
 * the request carries the step's and the config's settings, answers are cached, tokens and
 * cost are counted and shown. The real CLI in a child process talks HTTP to the local
 * OpenAI-compatible server (prompt-setup.ts).
 */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { behave } from "../helpers/llm-server.ts";
import { readHistory } from "../resume/helpers.ts";
import { aiorch, SLOW } from "../run/harness.ts";
import { ASK, doc, KEY, PRICES, project, resetServer, run, server, stopServer } from "./prompt-setup.ts";

beforeEach(resetServer);
afterAll(stopServer);

describe("answers, cache and cost", () => {
  test(
    "a prompt's answer is the step's result; a second identical run makes zero requests and costs $0",
    async () => {
      const cwd = project("cache", ASK, PRICES);
      const first = await run(cwd);
      expect(first.stderr).toBe("");
      expect(doc(first).outputs).toEqual({ q: "echo: Say hello to Ada" });
      expect(server.stats.requests).toBe(1);
      // "Say hello to Ada" (16 characters) → 4 tokens, "echo: Say hello to Ada" → 6 tokens; gpt-4o-mini 0.15/0.60 per million.
      expect(doc(first).cost).toBe(0.0000042);
      expect(doc(first).steps[0]).toMatchObject({ prompt_tokens: 4, completion_tokens: 6, cache_hits: 0 });

      const second = await run(cwd);
      expect(server.stats.requests).toBe(1);
      expect(doc(second).outputs).toEqual({ q: "echo: Say hello to Ada" });
      expect(doc(second).cost).toBe(0);
      expect(doc(second).steps[0]).toMatchObject({ cost: 0, cache_hits: 1 });

      await run(cwd, ["-i", "who=Grace"]);
      expect(server.stats.requests).toBe(2);
      await run(cwd, ["--no-cache"]);
      expect(server.stats.requests).toBe(3);
      await aiorch(["run", "p.yaml"], { cwd, env: { TEST_LLM_KEY: KEY, AIORCH_NO_CACHE: "1" } });
      expect(server.stats.requests).toBe(4);
      const steps = readHistory(cwd, (store) => store.getSteps(store.listRuns({ limit: 10 })[3]!.id));
      expect(steps[0]).toMatchObject({ cached: true, cost: 0, model: "gpt-4o-mini" });
    },
    SLOW,
  );

  test(
    "system, temperature, max_tokens and a templated model reach the endpoint; config defaults fill the rest",
    async () => {
      const cwd = project(
        "settings",
        "name: settings\ninput:\n  tier: { type: string, default: mini }\nsteps:\n  a:\n    model: gpt-4o-{{ tier }}\n    system: You are {{ tier }}.\n    temperature: 0.3\n    max_tokens: 50\n    prompt: one\n  b:\n    prompt: two\n",
        "  model: gpt-4.1-nano\n  temperature: 0.9\n  max_tokens: 77\n",
      );
      expect((await run(cwd)).exitCode).toBe(0);
      const bodies = Object.fromEntries(server.stats.bodies.map((b) => [b.messages.at(-1)!.content as string, b]));
      expect(bodies.one).toMatchObject({
        model: "gpt-4o-mini",
        temperature: 0.3,
        max_tokens: 50,
        messages: [
          { role: "system", content: "You are mini." },
          { role: "user", content: "one" },
        ],
      });
      expect(bodies.two).toMatchObject({
        model: "gpt-4.1-nano",
        temperature: 0.9,
        max_tokens: 77,
        messages: [{ role: "user", content: "two" }],
      });
      expect(await run(cwd, ["--no-cache", "--model", "gpt-4o"]).then((o) => o.exitCode)).toBe(0);
      // --model fills in for steps without a model; the config's model comes after it.
      expect(
        server.stats.bodies
          .slice(2)
          .map((b) => b.model)
          .sort(),
      ).toEqual(["gpt-4o", "gpt-4o-mini"]);
    },
    SLOW,
  );

  test(
    "the live view shows tokens, cost and cache hits; the summary the total",
    async () => {
      const cwd = project("view", ASK, PRICES);
      const first = await aiorch(["run", "p.yaml"], { cwd, env: { TEST_LLM_KEY: KEY } });
      expect(first.stdout).toMatch(/✓ q +\d+ms {2}4\+6 tok \$0\.0000042 {2}echo: Say hello to Ada/);
      expect(first.stdout).toContain("1 step, ");
      const second = await aiorch(["run", "p.yaml"], { cwd, env: { TEST_LLM_KEY: KEY } });
      expect(second.stdout).toMatch(/✓ q +\d+ms {2}4\+6 tok \$0\.00 cached/);
    },
    SLOW,
  );

  test(
    "the configured rates price the calls exactly; a provider-reported cost wins over the $0 of a local endpoint",
    async () => {
      const models = { "gpt-4o": [2.5, 10], "gpt-4o-mini-2024-07-18": [0.15, 0.6] } as const;
      for (const [model, [input, output]] of Object.entries(models)) {
        const cwd = project(
          `price-${model}`,
          `name: price\nsteps:\n  q:\n    model: ${model}\n    prompt: ${"x".repeat(400)}\n`,
          PRICES,
        );
        server.script(behave.text("y".repeat(800)));
        const outcome = doc(await run(cwd));
        // 400 chars → 100 prompt tokens; 800 chars → 200 completion tokens.
        expect(outcome.steps[0]).toMatchObject({ prompt_tokens: 100, completion_tokens: 200 });
        expect(outcome.cost).toBe(Math.round(((100 * input + 200 * output) / 1e6) * 1e10) / 1e10);
      }
      const cwd = project(
        "reported",
        "name: reported\nsteps:\n  q:\n    model: openrouter/some/model\n    prompt: hi\n",
      );
      server.script(behave.answer("ok", { cost: 0.0123 }));
      expect(doc(await run(cwd)).cost).toBe(0.0123);
    },
    SLOW,
  );
});
