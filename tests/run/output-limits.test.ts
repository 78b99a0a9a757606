/**
 * AIORCH_MAX_OUTPUT holds for every kind of step output, not only run: stdout: a python
 * step's printed output and its result, and an LLM answer. Past it the step fails with a
 * message naming the limit, and aiorch's memory stays far below the output's size.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { behave, startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { aiorch, removeScratch, scratch, SLOW } from "./harness.ts";

let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer();
});
afterAll(async () => {
  await server.stop();
  removeScratch();
});

const LIMIT = { AIORCH_MAX_OUTPUT: "1000000" };
type Doc = { steps: Array<{ name: string; status: string; error: string | null }> };
const errorOf = (stdout: string, name: string) => (JSON.parse(stdout) as Doc).steps.find((s) => s.name === name)?.error;

describe("AIORCH_MAX_OUTPUT beyond run: steps", () => {
  test.concurrent(
    "a python step that prints 20 MB fails naming the limit; one within it succeeds",
    async () => {
      const yaml = `name: printing
steps:
  printer:
    python: |
      for i in range(200000):
          print("x" * 100)
  fine:
    python: |
      print("y" * 1000)
      result = 1
`;
      const r = await aiorch(["run", "p.yaml", "--format", "json"], { files: { "p.yaml": yaml }, env: LIMIT });
      expect(r.exitCode).toBe(1);
      expect(errorOf(r.stdout, "printer")).toContain(
        "the step produced more than AIORCH_MAX_OUTPUT (1000000 bytes): it printed 20200000 bytes",
      );
      expect((JSON.parse(r.stdout) as Doc).steps.find((s) => s.name === "fine")?.status).toBe("success");
    },
    SLOW,
  );

  test.concurrent(
    "a python result larger than the limit fails naming its size",
    async () => {
      const yaml = "name: big\nsteps:\n  big:\n    python: |\n      result = 'y' * 3000000\n";
      const r = await aiorch(["run", "p.yaml", "--format", "json"], { files: { "p.yaml": yaml }, env: LIMIT });
      expect(r.exitCode).toBe(1);
      expect(errorOf(r.stdout, "big")).toContain("its result is 3000002 bytes of JSON");
    },
    SLOW,
  );

  test(
    "an http input whose body is larger than the limit fails the step that reads it, naming the limit",
    async () => {
      const big = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("w".repeat(2_000_000)) });
      try {
        const yaml = `name: http-big\ninput:\n  page:\n    type: http\n    url: http://127.0.0.1:${big.port}/big\nsteps:\n  read:\n    run: echo {{ page | length }}\n`;
        const r = await aiorch(["run", "p.yaml", "--format", "json"], { files: { "p.yaml": yaml }, env: LIMIT });
        expect(r.exitCode).toBe(1);
        expect(errorOf(r.stdout, "read")).toContain("the body is larger than AIORCH_MAX_OUTPUT (1000000 bytes)");
      } finally {
        big.stop(true);
      }
    },
    SLOW,
  );

  test(
    "an LLM answer larger than the limit fails the step, without retries",
    async () => {
      const cwd = scratch("llm-limit");
      writeFileSync(
        join(cwd, "p.yaml"),
        "name: ask\nsteps:\n  q:\n    model: gpt-4o-mini\n    prompt: tell me everything\n    cache: false\n",
      );
      writeFileSync(join(cwd, "aiorch.yaml"), `llm:\n  base_url: ${server.url}\n  api_key: sk-local-test\n`);
      server.script(behave.text("z".repeat(2_000_000)));
      const r = await aiorch(["run", "p.yaml", "--format", "json"], { cwd, env: LIMIT });
      expect(r.exitCode).toBe(1);
      expect(errorOf(r.stdout, "q")).toContain("the answer is larger than AIORCH_MAX_OUTPUT (1000000 bytes)");
      expect(server.stats.requests).toBe(1);
    },
    SLOW,
  );
});
