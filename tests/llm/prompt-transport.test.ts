/**
 * `prompt:` steps end to end (docs/llm.md), their transport: retried HTTP errors, timeouts
 * and malformed bodies, a missing API key, the key kept out of every output and the history,
 * and an answer streamed to the terminal. The real CLI in a child process talks HTTP to the
 * local OpenAI-compatible server (prompt-setup.ts).
 */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorchShellCommand } from "../helpers/cli.ts";
import { behave } from "../helpers/llm-server.ts";
import { historyFileIn, readHistory } from "../resume/helpers.ts";
import { aiorch, scratch, SLOW, STACK_TRACE } from "../run/harness.ts";
import { ASK, doc, KEY, project, resetServer, run, server, stopServer } from "./prompt-setup.ts";

beforeEach(resetServer);
afterAll(stopServer);

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
