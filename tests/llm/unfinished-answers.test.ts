/**
 * Answers a model did not finish (docs/llm.md), end to end through the CLI and the local
 * OpenAI-compatible server: an empty answer fails the attempt (retried by `retry:`, never
 * cached); an answer cut off at max_tokens (`finish_reason: length`) is kept with a warning
 * for a text prompt (live view, summary, --format json, trace; not cached) and re-asked for
 * a JSON one. The streamed path (`-v` on a terminal) is in unfinished-streamed.test.ts.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { aiorch, removeScratch, SLOW, STACK_TRACE, type RunOutcome } from "../run/harness.ts";
import { behave, startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { llmProject } from "../helpers/llm-project.ts";
import { historyFileIn, readHistory } from "../resume/helpers.ts";

let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer();
});
beforeEach(() => server.reset());
afterAll(async () => {
  await server.stop();
  removeScratch();
});

const project = (label: string, pipeline: string): string => llmProject(server, label, pipeline);

const runJson = (cwd: string, args: string[] = []) => aiorch(["run", "p.yaml", "--format", "json", ...args], { cwd });
const runView = (cwd: string, args: string[] = []) => aiorch(["run", "p.yaml", ...args], { cwd });
interface StepJson {
  name: string;
  status: string;
  attempts: number;
  error: string | null;
  cache_hits?: number;
  warnings?: string[];
}
const doc = (outcome: RunOutcome) =>
  JSON.parse(outcome.stdout) as { status: string; outputs: Record<string, unknown>; steps: StepJson[] };
const cacheRows = (cwd: string) => {
  const db = new Database(historyFileIn(cwd), { readonly: true });
  try {
    return db.query("SELECT response FROM llm_cache").all() as { response: string }[];
  } finally {
    db.close();
  }
};

const TEXT = "name: ask\nsteps:\n  q:\n    model: test-model\n    prompt: Say hello\n";

describe("an empty answer", () => {
  test(
    "fails the step, naming the model, finish_reason and the fix; nothing is cached, so the next run asks again",
    async () => {
      const cwd = project("empty", TEXT);
      server.script(behave.empty());
      const failed = await runJson(cwd);
      expect(failed.exitCode).toBe(1);
      expect(failed.stderr).not.toMatch(STACK_TRACE);
      expect(doc(failed).steps[0]!.error).toBe(
        "test-model returned an empty answer (finish_reason: stop); check that the prompt asks for an answer and that the model is a chat model; `retry:` on the step asks again",
      );
      expect(cacheRows(cwd)).toEqual([]);
      const next = await runJson(cwd);
      expect(doc(next).outputs).toEqual({ q: "echo: Say hello" });
      expect(server.stats.requests).toBe(2);
    },
    SLOW,
  );

  test(
    "only whitespace is empty too; why the model stopped decides the fix",
    async () => {
      const cwd = project("blank", TEXT);
      server.script(behave.text("  \n\t \n"), behave.empty("length"), behave.empty("content_filter"));
      const errors = [];
      for (let i = 0; i < 3; i++) errors.push(doc(await runJson(cwd)).steps[0]!.error);
      expect(errors).toEqual([
        "test-model returned an empty answer (finish_reason: stop); check that the prompt asks for an answer and that the model is a chat model; `retry:` on the step asks again",
        "test-model returned an empty answer (finish_reason: length); it reached the endpoint's default limit (max_tokens is not set) before writing any text (a reasoning model can spend every token thinking): raise max_tokens",
        "test-model returned an empty answer (finish_reason: content_filter); the provider's content filter stopped it: check the prompt and the system message",
      ]);
      expect(cacheRows(cwd)).toEqual([]);
    },
    SLOW,
  );

  test(
    "is retried by the step's retry:, like any failed attempt; the answer that came is cached",
    async () => {
      const cwd = project(
        "empty-retry",
        "name: ask\nsteps:\n  q:\n    model: test-model\n    retry: 2\n    retry_delay: 10ms\n    prompt: Say hello\n",
      );
      server.script(behave.empty(), behave.empty());
      const outcome = await runView(cwd);
      expect(outcome.exitCode).toBe(0);
      expect(outcome.stdout).toMatch(
        /↻ q +attempt 1 failed: test-model returned an empty answer \(finish_reason: stop\); .*; retrying in 10ms/,
      );
      expect(outcome.stdout).toMatch(/✓ q +\S+ \(3 attempts\) .* echo: Say hello/);
      expect(cacheRows(cwd)).toEqual([{ response: "echo: Say hello" }]);
      expect(doc(await runJson(cwd)).steps[0]).toMatchObject({ status: "success", cache_hits: 1 });
      expect(server.stats.requests).toBe(3);
    },
    SLOW,
  );

  test(
    "a JSON step's empty answer fails the attempt too: re-asking a model that said nothing is not what retry_on_invalid is for",
    async () => {
      const cwd = project(
        "empty-json",
        "name: ask\nsteps:\n  q:\n    model: test-model\n    format: json\n    retry_on_invalid: 2\n    prompt: Give JSON\n",
      );
      server.script(behave.empty());
      const outcome = await runJson(cwd);
      expect(doc(outcome).steps[0]!.error).toStartWith("test-model returned an empty answer (finish_reason: stop)");
      expect(server.stats.requests).toBe(1);
    },
    SLOW,
  );

  test(
    "an empty answer an earlier build cached is no answer: the step asks again and the entry is replaced",
    async () => {
      const cwd = project("poisoned", TEXT);
      expect((await runJson(cwd)).exitCode).toBe(0);
      const db = new Database(historyFileIn(cwd));
      db.run("UPDATE llm_cache SET response = ''");
      db.close();
      const again = await runJson(cwd);
      expect(doc(again).outputs).toEqual({ q: "echo: Say hello" });
      expect(doc(again).steps[0]!.cache_hits).toBe(0);
      expect(server.stats.requests).toBe(2);
      expect(cacheRows(cwd)).toEqual([{ response: "echo: Say hello" }]);
    },
    SLOW,
  );
});

describe("an answer cut off at max_tokens", () => {
  const CUT = "name: ask\nsteps:\n  q:\n    model: test-model\n    max_tokens: 2\n    prompt: Say hello\n";
  const WARNING =
    "test-model: the answer was cut off (finish_reason: length) at max_tokens: 2; the result is the incomplete text, not cached: raise max_tokens to get all of it";

  test(
    "text: the step succeeds with the incomplete answer and a warning under its line and in the summary; not cached",
    async () => {
      const cwd = project("cut-text", CUT);
      const outcome = await runView(cwd);
      expect(outcome.exitCode).toBe(0);
      const lines = outcome.stdout.split("\n");
      const done = lines.findIndex((l) => /^✓ q .*echo: Sa$/.test(l));
      expect(done).toBeGreaterThan(0);
      expect(lines[done + 1]).toBe(`    ! ${WARNING}`);
      expect(lines).toContain(`  ! q: ${WARNING}`);
      expect(cacheRows(cwd)).toEqual([]);
      const json = doc(await runJson(cwd));
      expect(json.outputs).toEqual({ q: "echo: Sa" });
      expect(json.steps[0]).toMatchObject({ status: "success", cache_hits: 0, warnings: [WARNING] });
      expect(server.stats.requests).toBe(2);
    },
    SLOW,
  );

  test(
    "text: the trace shows the warning in the step's log",
    async () => {
      const cwd = project("cut-trace", CUT);
      expect((await runJson(cwd)).exitCode).toBe(0);
      const id = readHistory(cwd, (store) => store.listRuns()[0]!.id);
      expect(readHistory(cwd, (store) => store.getSteps(id))[0]!.log).toBe(`warning: ${WARNING}`);
      expect((await aiorch(["trace", id, "-v"], { cwd })).stdout).toContain(`     log     warning: ${WARNING}\n`);
      expect((await aiorch(["trace", id], { cwd })).stdout).toContain(
        "     log     warning: test-model: the answer was cut off (finish_reason: length) at max_tokens: 2",
      );
    },
    SLOW,
  );

  test(
    "GITHUB_ACTIONS=true: the warning is a ::warning annotation at the step's line",
    async () => {
      const cwd = project("cut-annotation", CUT);
      const outcome = await aiorch(["run", "p.yaml"], { cwd, env: { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: cwd } });
      expect(outcome.exitCode).toBe(0);
      const annotation = (outcome.stdout + outcome.stderr).split("\n").find((l) => l.startsWith("::warning"));
      expect(annotation).toBe(`::warning file=p.yaml,line=3,col=3,title=step q%3A warning::${WARNING}`);
    },
    SLOW,
  );

  test(
    "a foreach names the items whose answers were cut off, in one warning",
    async () => {
      const cwd = project(
        "cut-items",
        "name: fan\nsteps:\n  q:\n    model: test-model\n    foreach: '[1, 2, 3, 4, 5, 6, 7, 8]'\n    prompt: item {{ item }}\n",
      );
      server.rule((request) =>
        ["item 2", "item 5"].includes(request.messages.at(-1)!.content as string) ? behave.cutOff("half") : undefined,
      );
      const json = doc(await runJson(cwd));
      expect(json.steps[0]!.warnings).toEqual([
        "[1, 4] test-model: the answer was cut off (finish_reason: length) at the endpoint's default limit (max_tokens is not set); the result is the incomplete text, not cached: raise max_tokens to get all of it",
      ]);
      expect(cacheRows(cwd).length).toBe(6);
    },
    SLOW,
  );

  const SCHEMA = (retries: number) =>
    `name: extract\nsteps:\n  person:\n    model: test-model\n    max_tokens: 40\n    retry_on_invalid: ${retries}\n    schema:\n      type: object\n      required: [name]\n      properties: {name: {type: string}}\n    prompt: Extract the person from "Ada" as JSON.\n`;

  test(
    "JSON: a cut-off answer is re-asked, saying it was cut off (even when what arrived parses); the complete one is the result and cached",
    async () => {
      const cwd = project("cut-json", SCHEMA(1));
      server.script(behave.cutOff('{"name": "Ada"}'), behave.json({ name: "Ada Lovelace" }));
      const outcome = await runJson(cwd);
      expect(outcome.exitCode).toBe(0);
      expect(doc(outcome).outputs).toEqual({ person: { name: "Ada Lovelace" } });
      expect(doc(outcome).steps[0]!.warnings).toEqual([]);
      expect(server.stats.requests).toBe(2);
      const reask = server.stats.bodies[1]!.messages.at(-1)!.content as string;
      expect(reask).toStartWith(
        "Your previous answer was cut off: it reached the token limit before the JSON was complete.",
      );
      expect(reask).toContain('"required":["name"]');
      expect(cacheRows(cwd)).toEqual([{ response: '{"name":"Ada Lovelace"}' }]);
    },
    SLOW,
  );

  test(
    "JSON: cut off again after the re-asks, the step fails saying so and asking for a larger max_tokens",
    async () => {
      const cwd = project("cut-json-again", SCHEMA(1));
      server.rule(() => behave.cutOff('{"na'));
      const failed = await runJson(cwd);
      expect(failed.exitCode).toBe(1);
      expect(doc(failed).steps[0]!.error).toBe(
        "test-model: the answer was cut off (finish_reason: length) at max_tokens: 40 before the JSON was complete (after 2 answers, every one cut off; retry_on_invalid: 1); raise max_tokens",
      );
      expect(server.stats.requests).toBe(2);
      expect(cacheRows(cwd)).toEqual([]);
    },
    SLOW,
  );

  test(
    "JSON with retry_on_invalid 0: fails at once, naming both fixes",
    async () => {
      const cwd = project("cut-json-once", SCHEMA(0));
      server.script(behave.cutOff('{"na'));
      expect(doc(await runJson(cwd)).steps[0]!.error).toBe(
        "test-model: the answer was cut off (finish_reason: length) at max_tokens: 40 before the JSON was complete; raise max_tokens, or set retry_on_invalid to re-ask the model for a shorter answer",
      );
      expect(server.stats.requests).toBe(1);
    },
    SLOW,
  );
});
