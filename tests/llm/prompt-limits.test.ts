/**
 * `prompt:` steps end to end (docs/llm.md), their limits: llm.concurrency, --max-cost and a
 * step's max_cost. The real CLI in a child process talks HTTP to the local OpenAI-compatible
 * server (prompt-setup.ts).
 */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { behave } from "../helpers/llm-server.ts";
import { SLOW } from "../run/harness.ts";
import { doc, PRICES, project, resetServer, run, server, stopServer } from "./prompt-setup.ts";

beforeEach(resetServer);
afterAll(stopServer);

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
