/**
 * Every pipeline in examples/llm runs unchanged against the local OpenAI-compatible server
 * (pointed at with OPENAI_BASE_URL, as a user would point at any compatible endpoint). A
 * server on this machine costs $0; this one reports what each answer cost (as OpenRouter
 * does), which wins, so the runs have costs to compare.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { aiorchCommand, REPO_ROOT, tempDir } from "../helpers/cli.ts";
import { startLlmServer, type LlmServer } from "../helpers/llm-server.ts";

const files = readdirSync(join(REPO_ROOT, "examples/llm"))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer({ reportCost: (usage) => usage.total_tokens * 0.000001 });
});
afterAll(() => server.stop());

async function runExample(file: string, home: string) {
  const child = Bun.spawn([...aiorchCommand(), "run", `examples/llm/${file}`, "--format", "json"], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", AIORCH_HOME: home, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "test-key" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return {
    exitCode,
    stderr,
    doc: JSON.parse(stdout || "{}") as {
      status: string;
      cost: number;
      outputs: Record<string, unknown>;
      steps: { name: string; status: string; cache_hits?: number; cost: number }[];
    },
  };
}

describe("every LLM example runs against an OpenAI-compatible server", () => {
  test("there are at least 8 LLM examples", () => expect(files.length).toBeGreaterThanOrEqual(8));

  test.concurrent.each(files)(
    "%s",
    async (file) => {
      const { exitCode, stderr, doc } = await runExample(file, tempDir("llm-home"));
      expect({ status: doc.status, stderr }).toEqual({ status: "success", stderr: "" });
      expect(exitCode).toBe(0);
      expect(Object.keys(doc.outputs).length).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(doc.outputs))
        expect({ key, missing: value === null || value === undefined || value === "" }).toEqual({
          key,
          missing: false,
        });
      expect(doc.steps.some((s) => s.cost > 0)).toBe(true);
    },
    60_000,
  );

  test("08-cache-demo: the second run answers the cached step from the cache, at no cost", async () => {
    const home = tempDir("llm-cache-demo");
    const first = await runExample("08-cache-demo.yaml", home);
    const second = await runExample("08-cache-demo.yaml", home);
    expect(second.doc.outputs.cached_answer).toEqual(first.doc.outputs.cached_answer);
    const cachedStep = second.doc.steps.find((s) => s.cache_hits === 1);
    expect(cachedStep?.cost).toBe(0);
    expect(second.doc.cost).toBeLessThan(first.doc.cost);
  }, 60_000);
});
