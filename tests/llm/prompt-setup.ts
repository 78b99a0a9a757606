/**
 * The setup of the `prompt:` end-to-end tests (prompt-*.test.ts): one local OpenAI-compatible
 * server for the test file, started on import, and projects whose aiorch.yaml points at it.
 * Each file calls `beforeEach(resetServer)` and `afterAll(stopServer)`; its tests run one
 * after another, each scripting the server's next answers and reading its counters.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLlmServer } from "../helpers/llm-server.ts";
import { aiorch, removeScratch, scratch, type RunOutcome } from "../run/harness.ts";

/** The API key the test server wants (the projects give it as ${TEST_LLM_KEY}). */
export const KEY = "sk-test-abcdef123456";
/** The test server is on this machine, so it costs $0 unless the config gives rates: these are the list prices. */
export const PRICES =
  "  prices:\n    gpt-4o-mini: { input: 0.15, output: 0.6 }\n    gpt-4o: { input: 2.5, output: 10 }\n";

/** A fresh folder holding `p.yaml` and an aiorch.yaml sending prompts to the test server, plus `config` lines. */
export function project(label: string, pipeline: string, config = ""): string {
  const cwd = scratch(label);
  writeFileSync(join(cwd, "p.yaml"), pipeline);
  writeFileSync(join(cwd, "aiorch.yaml"), `llm:\n  base_url: ${server.url}\n  api_key: \${TEST_LLM_KEY}\n${config}`);
  return cwd;
}

/** `aiorch run p.yaml --format json ARGS` in `cwd`, with the key. */
export const run = (cwd: string, args: string[] = []) =>
  aiorch(["run", "p.yaml", "--format", "json", ...args], { cwd, env: { TEST_LLM_KEY: KEY } });
/** The run document `run` printed. */
export const doc = (outcome: RunOutcome) =>
  JSON.parse(outcome.stdout) as {
    status: string;
    cost: number;
    outputs: Record<string, unknown>;
    steps: {
      name: string;
      status: string;
      error: string | null;
      cost: number;
      prompt_tokens?: number;
      completion_tokens?: number;
      cache_hits?: number;
    }[];
  };

/** One prompt step greeting the input `who` (default Ada). */
export const ASK =
  "name: ask\nsteps:\n  q:\n    model: gpt-4o-mini\n    prompt: Say hello to {{ who }}\ninput:\n  who: { type: string, default: Ada }\n";

export const server = await startLlmServer({ apiKey: KEY });

/**
 * Empties the server's script and counters. A request an earlier test abandoned
 * (llm.timeout) may still be sleeping in the server: it waits for it first, so that
 * in-flight counts belong to the next test alone.
 */
export async function resetServer(): Promise<void> {
  for (let waited = 0; server.stats.inFlight > 0 && waited < 10_000; waited += 20) await Bun.sleep(20);
  server.reset();
}

/** Stops the server and removes the projects. */
export async function stopServer(): Promise<void> {
  await server.stop();
  removeScratch();
}
