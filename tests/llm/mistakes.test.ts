/** User mistakes around prompt steps: each gets what, where and how to fix, exit 2, no stack trace. */
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, scratch, SLOW, STACK_TRACE } from "../run/harness.ts";

afterAll(removeScratch);

const ASK = "name: ask\nsteps:\n  q:\n    prompt: hello\n";

function project(label: string, config: string): string {
  const cwd = scratch(label);
  writeFileSync(join(cwd, "p.yaml"), ASK);
  writeFileSync(join(cwd, "aiorch.yaml"), config);
  return cwd;
}

describe("LLM mistakes", () => {
  test.concurrent(
    "--max-cost that is not an amount",
    async () => {
      const cwd = project("max-cost", "llm:\n  base_url: http://127.0.0.1:9/v1\n");
      const outcome = await aiorch(["run", "p.yaml", "--max-cost", "lots"], { cwd });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toContain('error: --max-cost must be an amount of USD, got "lots"');
      expect(outcome.stderr).toContain("hint: e.g. --max-cost 0.50");
      expect(outcome.stderr).not.toMatch(STACK_TRACE);
    },
    SLOW,
  );

  test.concurrent(
    "llm.timeout that is not a duration, placed in the config file",
    async () => {
      const cwd = project("timeout", "llm:\n  timeout: soon\n");
      const outcome = await aiorch(["run", "p.yaml"], { cwd });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toContain("aiorch.yaml:2:12: error: `timeout` must be a duration");
      expect(outcome.stderr).not.toMatch(STACK_TRACE);
    },
    SLOW,
  );

  test.concurrent(
    "api_key: ${VAR} with VAR unset, for a configured endpoint: stopped before any call",
    async () => {
      const cwd = project(
        "empty-key",
        "llm:\n  base_url: http://127.0.0.1:9/v1\n  api_key: ${AIORCH_TEST_UNSET_KEY}\n",
      );
      const outcome = await aiorch(["run", "p.yaml"], { cwd, env: { AIORCH_TEST_UNSET_KEY: "" } });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toContain(
        "error: step `q`: model `gpt-4o-mini` is served by http://127.0.0.1:9/v1, and the config's llm.api_key is empty",
      );
      expect(outcome.stderr).toContain("hint: export the variable that llm.api_key names");
      expect(outcome.stderr).not.toMatch(STACK_TRACE);
    },
    SLOW,
  );
});
