/**
 * `prompt:` steps end to end (docs/llm.md): the real CLI in a child process talks HTTP to the local
 * OpenAI-compatible server started here. Tests run one after another: each scripts the
 * server's next answers and reads its counters.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, scratch, SLOW, STACK_TRACE, type RunOutcome } from "../run/harness.ts";
import { behave, startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { historyFileIn, readHistory } from "../resume/helpers.ts";
import { aiorchShellCommand } from "../helpers/cli.ts";

let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer({ apiKey: "sk-test-abcdef123456" });
});
// A request an earlier test abandoned (llm.timeout) may still be sleeping in the server:
// wait for it, so that in-flight counts belong to this test alone.
beforeEach(async () => {
  for (let waited = 0; server.stats.inFlight > 0 && waited < 10_000; waited += 20) await Bun.sleep(20);
  server.reset();
});
afterAll(async () => {
  await server.stop();
  removeScratch();
});

const KEY = "sk-test-abcdef123456";
/** The test server is on this machine, so it costs $0 unless the config gives rates: these are the list prices. */
const PRICES = "  prices:\n    gpt-4o-mini: { input: 0.15, output: 0.6 }\n    gpt-4o: { input: 2.5, output: 10 }\n";

function project(label: string, pipeline: string, config = ""): string {
  const cwd = scratch(label);
  writeFileSync(join(cwd, "p.yaml"), pipeline);
  writeFileSync(join(cwd, "aiorch.yaml"), `llm:\n  base_url: ${server.url}\n  api_key: \${TEST_LLM_KEY}\n${config}`);
  return cwd;
}

const run = (cwd: string, args: string[] = []) =>
  aiorch(["run", "p.yaml", "--format", "json", ...args], { cwd, env: { TEST_LLM_KEY: KEY } });
const doc = (outcome: RunOutcome) =>
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

const ASK =
  "name: ask\nsteps:\n  q:\n    model: gpt-4o-mini\n    prompt: Say hello to {{ who }}\ninput:\n  who: { type: string, default: Ada }\n";

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

describe("transport errors", () => {
  test(
    "429 with Retry-After, then success: the step succeeds after waiting",
    async () => {
      const cwd = project("429", ASK);
      server.script(behave.rateLimit(1));
      const started = performance.now();
      const outcome = await run(cwd);
      expect(outcome.exitCode).toBe(0);
      expect(server.stats.requests).toBe(2);
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    },
    SLOW,
  );

  test(
    "a persistent 500 fails the step with the HTTP status in the message (exit 1)",
    async () => {
      const cwd = project("500", ASK);
      server.rule(() => behave.serverError(500, "upstream exploded"));
      const outcome = await run(cwd);
      expect(outcome.exitCode).toBe(1);
      const error = doc(outcome).steps[0]!.error!;
      expect(error).toContain("HTTP 500");
      expect(error).toContain("upstream exploded");
      expect(error).toContain("after 5 tries");
      expect(server.stats.requests).toBe(5);
    },
    SLOW,
  );

  test(
    "llm.timeout abandons a slow request and retries it; a malformed body is retried too",
    async () => {
      const cwd = project("timeout", ASK, "  timeout: 300ms\n");
      server.script(behave.slow(1500), behave.malformed());
      const outcome = await run(cwd);
      expect(outcome.exitCode).toBe(0);
      expect(doc(outcome).outputs).toEqual({ q: "echo: Say hello to Ada" });
      expect(server.stats.requests).toBe(3);
    },
    SLOW,
  );

  test(
    "a missing key fails before any call, naming the variable (exit 2)",
    async () => {
      const cwd = scratch("nokey");
      writeFileSync(join(cwd, "p.yaml"), ASK);
      const env: Record<string, string> = { OPENAI_API_KEY: "", OPENAI_BASE_URL: "", AIORCH_BASE_URL: "" };
      const outcome = await aiorch(["run", "p.yaml"], { cwd, env });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toContain("OPENAI_API_KEY is not set");
      expect(outcome.stderr).toContain("hint: export OPENAI_API_KEY=");
      expect(outcome.stderr).not.toMatch(STACK_TRACE);
      const claude = await aiorch(["run", "p.yaml", "--model", "claude-3-5-haiku"], {
        cwd,
        env: { ...env, ANTHROPIC_API_KEY: "" },
      });
      // The step names its model: --model does not override it.
      expect(claude.stderr).toContain("OPENAI_API_KEY");
      expect(server.stats.requests).toBe(0);
    },
    SLOW,
  );
});

describe("JSON answers", () => {
  const SCHEMA = `name: extract
steps:
  person:
    model: gpt-4o-mini
    retry_on_invalid: 2
    schema:
      type: object
      required: [name, age]
      properties:
        name: { type: string }
        age: { type: integer, minimum: 0 }
    prompt: Extract the person from "Ada, 36" as JSON.
`;

  test(
    "invalid JSON is re-asked; the schema is sent as response_format",
    async () => {
      const cwd = project("reask", SCHEMA);
      server.script(
        behave.text("Sure! Here it is: {name: Ada"),
        behave.text('```json\n{"name": "Ada", "age": 36}\n```'),
      );
      const outcome = await run(cwd);
      expect(outcome.exitCode).toBe(0);
      expect(doc(outcome).outputs).toEqual({ person: { name: "Ada", age: 36 } });
      expect(server.stats.requests).toBe(2);
      expect(server.stats.responseFormats[0]).toMatchObject({
        type: "json_schema",
        json_schema: { schema: { required: ["name", "age"] } },
      });
      const reask = server.stats.bodies[1]!.messages.at(-1)!.content as string;
      expect(reask).toContain("not valid JSON");
    },
    SLOW,
  );

  test(
    "a JSON answer's numbers are read as Python's json.loads reads them: 4.0 a float, big ints exact (issue 10)",
    async () => {
      const pipeline = `name: exact
steps:
  numbers:
    model: gpt-4o-mini
    schema:
      type: object
      properties:
        score: { type: number }
        id: { type: integer, minimum: 0 }
    prompt: Give me the numbers as JSON.
  check:
    depends: [numbers]
    python: |
      n = inputs["numbers"]
      result = [type(n["score"]).__name__, n["id"] == 2**64 + 1]
`;
      const cwd = project("exact-json", pipeline);
      server.script(behave.text('{"score": 4.0, "id": 18446744073709551617}'));
      const outcome = await run(cwd);
      expect(outcome.exitCode).toBe(0);
      expect(doc(outcome).outputs.check).toEqual(["float", true]);
      expect(outcome.stdout).toContain('"score": 4.0,\n      "id": 18446744073709551617');
    },
    SLOW,
  );

  test(
    "schema violations are listed in the re-ask; after retry_on_invalid the step fails with them",
    async () => {
      const cwd = project("violations", SCHEMA);
      server.rule(() => behave.json({ name: 7, age: -1 }));
      const outcome = await run(cwd);
      expect(outcome.exitCode).toBe(1);
      expect(server.stats.requests).toBe(3);
      const reask = server.stats.bodies[1]!.messages.at(-1)!.content as string;
      expect(reask).toContain("at /name: must be a string");
      expect(reask).toContain("at /age: must be >= 0");
      const error = doc(outcome).steps[0]!.error!;
      expect(error).toContain("does not match the schema");
      expect(error).toContain("after 3 answers");
    },
    SLOW,
  );
});

describe("limits", () => {
  test(
    "llm.concurrency caps requests in flight per endpoint across every foreach item",
    async () => {
      const items = Array.from({ length: 24 }, (_, i) => i).join(", ");
      const cwd = project(
        "concurrency",
        `name: fan\nsteps:\n  q:\n    foreach: "[${items}]"\n    parallel: true\n    prompt: item {{ item }}\n`,
        "  concurrency: 3\n",
      );
      server.rule(() => behave.slow(40));
      const outcome = await run(cwd, ["--no-cache"]);
      expect(outcome.exitCode).toBe(0);
      expect(server.stats.requests).toBe(24);
      expect(server.stats.maxInFlight).toBe(3);
    },
    SLOW,
  );

  test(
    "--max-cost stops new calls and fails the run with the figures",
    async () => {
      const items = Array.from({ length: 10 }, (_, i) => i).join(", ");
      const cwd = project(
        "max-cost",
        `name: spend\nsteps:\n  q:\n    model: gpt-4o\n    foreach: "[${items}]"\n    prompt: item {{ item }} ${"x".repeat(4000)}\n`,
        PRICES,
      );
      const outcome = await run(cwd, ["--max-cost", "0.02"]);
      expect(outcome.exitCode).toBe(1);
      // Each call costs ~$0.0125 (~1,000 prompt and ~1,000 completion tokens of gpt-4o at 2.50/10.00):
      // after two the run has spent $0.025 >= $0.02, so the third does not start.
      expect(server.stats.requests).toBe(2);
      expect(doc(outcome).steps[0]!.error).toMatch(/--max-cost reached: the run has spent \$0\.02\d\d of \$0\.0200/);
      expect(doc(outcome).cost).toBeGreaterThan(0.02);
    },
    SLOW,
  );

  test(
    "max_cost on a step fails that step once its own spending reaches it",
    async () => {
      const cwd = project(
        "step-cost",
        `name: spend\nsteps:\n  q:\n    model: gpt-4o\n    max_cost: 0.001\n    foreach: "[1, 2, 3]"\n    prompt: item {{ item }} ${"x".repeat(4000)}\n`,
        PRICES,
      );
      const outcome = await run(cwd);
      expect(outcome.exitCode).toBe(1);
      expect(server.stats.requests).toBe(1);
      expect(doc(outcome).steps[0]!.error).toContain("max_cost reached");
    },
    SLOW,
  );
});

describe("secrets", () => {
  test(
    "the API key appears nowhere in the history, the trace or the output",
    async () => {
      const cwd = project(
        "key",
        `name: leak\nsteps:\n  q:\n    prompt: the key is {{ key }}\ninput:\n  key: { type: string }\n`,
      );
      const outcome = await aiorch(["run", "p.yaml", "-v", "-i", `key=${KEY}`], { cwd, env: { TEST_LLM_KEY: KEY } });
      expect(outcome.exitCode).toBe(0);
      expect(outcome.stdout).toContain("the key is ***");
      const id = readHistory(cwd, (store) => store.listRuns()[0]!.id);
      const trace = await aiorch(["trace", id, "-v"], { cwd });
      const file = historyFileIn(cwd);
      const stored = [file, `${file}-wal`]
        .filter(existsSync)
        .map((f) => readFileSync(f).toString("latin1"))
        .join("");
      // Booleans, so that a failure does not print the database.
      expect(
        [outcome.stdout, outcome.stderr, trace.stdout, trace.stderr, stored].map((text) => text.includes(KEY)),
      ).toEqual([false, false, false, false, false]);
      expect(stored.length).toBeGreaterThan(0);
    },
    SLOW,
  );
});

describe("streaming", () => {
  test(
    "with -v on a terminal a single prompt step's answer is printed as it arrives",
    async () => {
      if (!Bun.which("script")) throw new Error("this test needs util-linux `script` to give aiorch a terminal");
      const cwd = project("stream", "name: story\nsteps:\n  q:\n    prompt: tell me a story about streams\n");
      const command = `${aiorchShellCommand()} run p.yaml -v`;
      const child = Bun.spawn(["script", "-qc", command, "/dev/null"], {
        cwd,
        env: { ...process.env, TEST_LLM_KEY: KEY, AIORCH_HOME: join(cwd, ".home"), NO_COLOR: "1" },
        stdout: "pipe",
        stderr: "pipe",
        stdin: "ignore",
      });
      const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
      expect(code).toBe(0);
      expect(server.stats.bodies[0]).toMatchObject({ stream: true });
      const lines = out.replace(/\r/g, "").split("\n");
      const streamed = lines.indexOf("    echo: tell me a story about streams");
      const done = lines.findIndex((l) => l.startsWith("✓ q"));
      expect(streamed).toBeGreaterThan(0);
      expect(done).toBeGreaterThan(streamed);
      // Shown once: not repeated after the end line.
      expect(lines.filter((l) => l.includes("echo: tell me a story about streams")).length).toBe(2);
    },
    SLOW,
  );
});
