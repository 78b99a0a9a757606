/**
 * What a run's LLM use costs and how it is shown (issue 13, item 8), end to end against the
 * local OpenAI-compatible server (on 127.0.0.1, so "an endpoint on this machine"):
 * $0 unless `llm.prices` sets the model's rates; no cost at all for a pipeline without
 * prompt steps; a partly cached foreach as hits/total; re-asks counted; a failed item with
 * its own rendered input. Tests run one after another: each scripts the server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, scratch, SLOW, type RunOutcome } from "../run/harness.ts";
import { behave, startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { llmProject } from "../helpers/llm-project.ts";

let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer();
});
beforeEach(() => server.reset());
afterAll(async () => {
  await server.stop();
  removeScratch();
});

const project = (label: string, pipeline: string, llmConfig = ""): string =>
  llmProject(server, label, pipeline, llmConfig);

const cli = (cwd: string, args: string[]) => aiorch(args, { cwd });
const json = <T = Record<string, unknown>>(outcome: RunOutcome): T => {
  expect(outcome.stderr).toBe("");
  return JSON.parse(outcome.stdout) as T;
};

interface Step {
  name: string;
  cost: number;
  prompt_tokens: number | null;
  cached: boolean;
  cache_hits: number | null;
  llm_requests: number | null;
  reasks: number | null;
  items: {
    total: number;
    succeeded: number;
    failed: number;
    cancelled: number;
    not_run: number;
    cached: number;
  } | null;
  failed_items: {
    index: number;
    error: string;
    input: string | null;
    stdout_tail: string | null;
    stderr_tail: string | null;
  }[];
  input?: string | null;
}
interface Doc {
  run_id: string;
  cost: number;
  step_counts: { cached: number; succeeded: number };
  steps: Step[];
}

// "Say hello to Ada" → 4 prompt tokens; "echo: Say hello to Ada" → 6 completion tokens.
const HELLO = "name: hello\nsteps:\n  q:\n    model: gpt-4o-mini\n    prompt: Say hello to Ada\n";

describe("an endpoint on this machine", () => {
  test(
    "costs $0 without rates: in the run view, the JSON, the history, the estimate",
    async () => {
      const cwd = project("local-free", HELLO);
      const text = await cli(cwd, ["run", "p.yaml", "--no-cache"]);
      expect(text.exitCode).toBe(0);
      expect(text.stdout).toMatch(/✓ q +\d+ms {2}4\+6 tok \$0\.00 {2}echo: Say hello to Ada/);
      expect(text.stdout).toMatch(/\n {2}1 step, \S+, \$0\.00\n$/);
      const doc = json<Doc>(await cli(cwd, ["run", "p.yaml", "--no-cache", "--format", "json"]));
      expect(doc.cost).toBe(0);
      expect(doc.steps[0]).toMatchObject({ cost: 0, prompt_tokens: 4, cache_hits: 0, llm_requests: 1, reasks: 0 });
      expect((await cli(cwd, ["history", doc.run_id])).stdout).toContain("\ncost      $0.00\n");

      const estimate = await cli(cwd, ["cost", "p.yaml"]);
      expect(estimate.stdout).toMatch(/~\$0\.00 †/);
      expect(estimate.stdout).toContain(
        "† answered by an endpoint on this machine: $0 unless llm.prices in the config sets the model's rates.",
      );
      expect(
        json<{ steps: { priced_by: string; usd: number }[] }>(await cli(cwd, ["cost", "p.yaml", "--format", "json"]))
          .steps[0],
      ).toMatchObject({ priced_by: "local", usd: 0 });
    },
    SLOW,
  );

  test(
    "llm.prices sets a model's rates (by the table's name rule); they win over a cost the endpoint reports",
    async () => {
      const cwd = project(
        "local-priced",
        HELLO.replace("gpt-4o-mini", "gpt-4o-mini-2024-07-18"),
        "  prices:\n    gpt-4o-mini: { input: 1, output: 2 }\n    gpt-4o: { input: 100, output: 100 }\n",
      );
      const doc = json<Doc>(await cli(cwd, ["run", "p.yaml", "--no-cache", "--format", "json"]));
      // 4 × $1 + 6 × $2 per million tokens.
      expect(doc.cost).toBe(0.000016);
      const text = await cli(cwd, ["run", "p.yaml", "--no-cache"]);
      expect(text.stdout).toMatch(/4\+6 tok \$0\.000016 /);
      expect(text.stdout).toMatch(/\n {2}1 step, \S+, \$0\.000016\n$/);
      expect(
        json<{ steps: { priced_by: string; usd: number }[] }>(await cli(cwd, ["cost", "p.yaml", "--format", "json"]))
          .steps[0]!.priced_by,
      ).toBe("llm.prices:gpt-4o-mini");

      server.script(behave.answer("ok", { cost: 0.5 }));
      const reported = json<Doc>(await cli(cwd, ["run", "p.yaml", "--no-cache", "--format", "json"]));
      expect(reported.cost).toBeLessThan(0.001);
    },
    SLOW,
  );

  test(
    "a cost the endpoint reports wins over the $0 of a local endpoint; ollama/ models are free unless priced",
    async () => {
      const reported = project("local-reported", HELLO);
      server.script(behave.answer("ok", { cost: 0.0123 }));
      expect(json<Doc>(await cli(reported, ["run", "p.yaml", "--no-cache", "--format", "json"])).cost).toBe(0.0123);

      const ollama = scratch("ollama");
      writeFileSync(join(ollama, "p.yaml"), HELLO.replace("gpt-4o-mini", "ollama/llama3.1"));
      const env = { OLLAMA_API_BASE: server.url.replace(/\/v1$/, ""), AIORCH_BASE_URL: "", OPENAI_BASE_URL: "" };
      const free = json<Doc>(await aiorch(["run", "p.yaml", "--no-cache", "--format", "json"], { cwd: ollama, env }));
      expect(free).toMatchObject({ cost: 0 });
      expect(free.steps[0]!.prompt_tokens).toBe(4);
      writeFileSync(
        join(ollama, "aiorch.yaml"),
        "llm:\n  prices:\n    ollama/llama3.1: { input: 1000, output: 1000 }\n",
      );
      expect(
        json<Doc>(await aiorch(["run", "p.yaml", "--no-cache", "--format", "json"], { cwd: ollama, env })).cost,
      ).toBe(0.01);
    },
    SLOW,
  );

  test(
    "a wrong llm.prices is refused before anything runs, with where and how to fix it",
    async () => {
      const cwd = project("bad-prices", HELLO, "  prices:\n    gpt-4o-mini: { input: -1, ouput: 2 }\n");
      const outcome = await cli(cwd, ["run", "p.yaml"]);
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toContain("aiorch.yaml:5:27: error: `input` must be a number of at least 0, got -1");
      expect(outcome.stderr).toContain(
        "aiorch.yaml:5:31: error: unknown key `ouput` in the config file (did you mean `output`?)",
      );
      expect(outcome.stderr).toContain("hint: rename it to `output`");
      // The pipeline's `input:` is another thing: its example is not offered here.
      expect(outcome.stderr).not.toContain("default: world");
      expect(outcome.stderr).not.toMatch(/\n\s+at /);
      expect(server.stats.requests).toBe(0);
    },
    SLOW,
  );
});

describe("a pipeline without prompt steps", () => {
  test(
    "prints no cost: not in the run summary, history RUN_ID, the trace or the estimate",
    async () => {
      const cwd = project("no-prompt", "name: plain\nsteps:\n  a:\n    run: echo hi\n");
      const run = await cli(cwd, ["run", "p.yaml"]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/\n {2}1 step, \S+\n$/);
      expect(run.stdout).not.toContain("$");
      const id = json<Doc>(await cli(cwd, ["history", "last", "--format", "json"])).run_id;
      expect((await cli(cwd, ["history", id])).stdout).not.toMatch(/^cost/m);
      expect((await cli(cwd, ["trace", id])).stdout).not.toMatch(/^cost/m);
      expect((await cli(cwd, ["cost", "p.yaml"])).stdout).toBe(
        "Pipeline: plain\nNo prompt: steps: this pipeline makes no LLM calls.\n",
      );
    },
    SLOW,
  );
});

describe("the cache, re-asks and failed items", () => {
  const FAN =
    'name: fan\ninput:\n  topics: { type: list }\nsteps:\n  q:\n    model: gpt-4o-mini\n    foreach: "{{ topics }}"\n    prompt: "Tell me about {{ item }}"\n';

  test(
    "a partly cached foreach shows hits/total; a fully cached step counts as cached in the history",
    async () => {
      const cwd = project("partly-cached", FAN);
      expect((await cli(cwd, ["run", "p.yaml", "-i", "topics=a,b,c"])).exitCode).toBe(0);
      expect(server.stats.requests).toBe(3);

      const text = await cli(cwd, ["run", "p.yaml", "-i", "topics=a,b,c,d,e"]);
      expect(server.stats.requests).toBe(5);
      expect(text.stdout).toMatch(/✓ q +\d+ms {2}\d+\+\d+ tok \$0\.00 cache 3\/5 /);
      const trace = (await cli(cwd, ["trace", "last"])).stdout;
      expect(trace).toMatch(/llm +gpt-4o-mini, \d+ prompt \+ \d+ completion tokens, \$0\.00, cache 3\/5\n/);
      const doc = json<Doc>(await cli(cwd, ["trace", "last", "--format", "json"]));
      expect(doc.steps[0]).toMatchObject({
        cached: false,
        cache_hits: 3,
        llm_requests: 2,
        items: { total: 5, succeeded: 5, failed: 0, cancelled: 0, not_run: 0, cached: 3 },
      });
      expect(doc.step_counts.cached).toBe(0);

      const again = await cli(cwd, ["run", "p.yaml", "-i", "topics=a,b,c,d,e"]);
      expect(server.stats.requests).toBe(5);
      expect(again.stdout).toMatch(/✓ q +\d+ms {2}\d+\+\d+ tok \$0\.00 cached /);
      const table = (await cli(cwd, ["history", "--limit", "1"])).stdout;
      expect(table).toContain("1 ok (1 cached)");
      expect(json<Doc>(await cli(cwd, ["history", "last", "--format", "json"])).step_counts).toMatchObject({
        succeeded: 1,
        cached: 1,
      });
      expect((await cli(cwd, ["trace", "last"])).stdout).toMatch(/, cache hit\n/);
    },
    SLOW,
  );

  test(
    "re-asks after an invalid JSON answer are counted: run view, JSON, trace",
    async () => {
      const cwd = project(
        "reask",
        "name: reask\nsteps:\n  q:\n    model: gpt-4o-mini\n    format: json\n    retry_on_invalid: 2\n    prompt: Reply with a JSON object\n",
      );
      server.script(behave.text("not json at all"), behave.text("{still not"), behave.json({ ok: true }));
      const text = await cli(cwd, ["run", "p.yaml", "--no-cache"]);
      expect(text.exitCode).toBe(0);
      expect(text.stdout).toMatch(/✓ q +\d+ms {2}\d+\+\d+ tok \$0\.00 2 re-asks /);
      expect(server.stats.requests).toBe(3);
      const doc = json<Doc>(await cli(cwd, ["trace", "last", "--format", "json"]));
      expect(doc.steps[0]).toMatchObject({ llm_requests: 3, reasks: 2, cache_hits: 0 });
      expect((await cli(cwd, ["trace", "last"])).stdout).toMatch(/llm +gpt-4o-mini, .*, 2 re-asks\n/);
      server.script(behave.text("nope"), behave.json({ ok: true }));
      const live = json<Doc>(await cli(cwd, ["run", "p.yaml", "--no-cache", "--format", "json"]));
      expect(live.steps[0]).toMatchObject({ llm_requests: 2, reasks: 1 });
    },
    SLOW,
  );

  test(
    "a failed foreach item shows its own rendered input, in the trace and the JSON, not item 0's",
    async () => {
      const cwd = project("item-input", FAN);
      server.rule((request) =>
        JSON.stringify(request.messages).includes("Tell me about bad")
          ? behave.serverError(400, "this topic is refused")
          : undefined,
      );
      const failed = await cli(cwd, ["run", "p.yaml", "-i", "topics=good,bad,later", "--format", "json"]);
      expect(failed.exitCode).toBe(1);
      const live = JSON.parse(failed.stdout) as Doc;
      expect(live.steps[0]!.failed_items).toEqual([
        {
          index: 1,
          error: expect.stringContaining("this topic is refused"),
          input: "Tell me about bad",
          stdout_tail: null,
          stderr_tail: null,
        },
      ]);
      expect(live.steps[0]!.items).toMatchObject({ total: 3, succeeded: 1, failed: 1, not_run: 1 });

      const trace = (await cli(cwd, ["trace", live.run_id])).stdout;
      expect(trace).toMatch(/\[1\] .*this topic is refused.*\n +input +Tell me about bad\n/);
      expect(trace).toMatch(/\n {5}input +Tell me about bad\n/);
      expect(trace).not.toContain("Tell me about good");
      const recorded = json<Doc>(await cli(cwd, ["trace", live.run_id, "--format", "json"]));
      expect(recorded.steps[0]).toMatchObject({
        input: "Tell me about bad",
        failed_items: [{ index: 1, input: "Tell me about bad" }],
      });
    },
    SLOW,
  );
});
