/**
 * The read commands of the LLM surface: `cost`, `plan` with estimates, `cache stats|clear`,
 * and the estimates' arithmetic (docs/llm.md: prompt ≈ rendered characters / 4, completion =
 * max_tokens or 500, × the model's rates, × the foreach length when known).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { aiorch, removeScratch, scratch, SLOW, STACK_TRACE } from "../run/harness.ts";

let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer();
});
afterAll(async () => {
  await server.stop();
  removeScratch();
});

/** 40 characters of prompt → 10 tokens; max_tokens 100; gpt-4o at 2.50 / 10.00 per million. */
const PIPELINE = `name: estimate
input:
  topics: { type: list, default: [a, b, c, d] }
steps:
  each:
    model: gpt-4o
    max_tokens: 100
    foreach: topics
    prompt: "${"x".repeat(39)}{{ item }}"
  once:
    prompt: ${"y".repeat(400)}
  shell:
    run: echo done
`;

describe("cost and plan estimates", () => {
  test.concurrent(
    "cost: per prompt step and the total, foreach multiplied by the known list length",
    async () => {
      const cwd = scratch("cost");
      writeFileSync(join(cwd, "p.yaml"), PIPELINE);
      const outcome = await aiorch(["cost", "p.yaml", "--format", "json"], { cwd });
      expect(outcome.exitCode).toBe(0);
      const doc = JSON.parse(outcome.stdout) as {
        total_usd: number;
        steps: {
          name: string;
          model: string;
          calls: number;
          prompt_tokens: number;
          completion_tokens: number;
          usd: number;
        }[];
      };
      const each = (4 * (10 * 2.5 + 100 * 10)) / 1e6;
      const once = (100 * 0.15 + 500 * 0.6) / 1e6;
      expect(doc.steps).toEqual([
        {
          name: "each",
          model: "gpt-4o",
          calls: 4,
          per_item: false,
          prompt_tokens: 10,
          completion_tokens: 100,
          usd: each,
          fallback_rate: false,
          priced_by: "gpt-4o",
        } as never,
        {
          name: "once",
          model: "gpt-4o-mini",
          calls: 1,
          per_item: false,
          prompt_tokens: 100,
          completion_tokens: 500,
          usd: once,
          fallback_rate: false,
          priced_by: "gpt-4o-mini",
        } as never,
      ]);
      expect(doc.total_usd).toBe(Math.round((each + once) * 1e10) / 1e10);

      const longer = await aiorch(
        ["cost", "p.yaml", "--format", "json", "-i", "topics=a,b,c,d,e,f,g,h", "--model", "claude-sonnet-4"],
        { cwd },
      );
      const steps = (JSON.parse(longer.stdout) as typeof doc).steps;
      expect(steps[0]).toMatchObject({ calls: 8, model: "gpt-4o" });
      expect(steps[1]).toMatchObject({ model: "claude-sonnet-4", usd: (100 * 3 + 500 * 15) / 1e6 });

      const text = await aiorch(["cost", "p.yaml"], { cwd });
      expect(text.stdout).toContain("Total estimated cost: ~$0.0044");
    },
    SLOW,
  );

  test.concurrent(
    "plan shows the model and the estimate beside each prompt step, and the total",
    async () => {
      const cwd = scratch("plan");
      writeFileSync(join(cwd, "p.yaml"), PIPELINE);
      const outcome = await aiorch(["plan", "p.yaml"], { cwd });
      expect(outcome.exitCode).toBe(0);
      expect(outcome.stdout).toMatch(/each × 4 +\[prompt {2}gpt-4o\] +~\$0\.0041/);
      expect(outcome.stdout).toMatch(/once +\[prompt {2}gpt-4o-mini\] +~\$0\.0003/);
      expect(outcome.stdout).toMatch(/shell +\[run\]\n/);
      expect(outcome.stdout).toContain("Total estimated cost: ~$0.0044");
      const dry = await aiorch(["run", "p.yaml", "--dry"], { cwd });
      expect(dry.stdout).toContain("Total estimated cost: ~$0.0044");
    },
    SLOW,
  );

  test.concurrent(
    "an unknown model is estimated at the flagged fallback rate",
    async () => {
      const cwd = scratch("fallback");
      writeFileSync(join(cwd, "p.yaml"), "name: odd\nsteps:\n  q:\n    model: mystery-model-9\n    prompt: hi\n");
      const outcome = await aiorch(["cost", "p.yaml"], { cwd });
      expect(outcome.stdout).toContain("* model not in the price table");
    },
    SLOW,
  );
});

/** A CSV input with a default path: three rows of 40, 80 and 120 characters → 10, 20, 30 prompt tokens. */
const FILE_PIPELINE = `name: rows
input:
  rows: { type: file, format: csv, default: rows.csv }
  note: { type: string, required: true }
steps:
  tag:
    model: gpt-4o
    max_tokens: 100
    foreach: rows
    prompt: "{{ item.text }}"
`;
const ROWS_CSV = `text\n${"a".repeat(40)}\n${"b".repeat(80)}\n${"c".repeat(120)}\n`;

describe("plan and cost read file inputs' defaults, as run --dry does", () => {
  test.concurrent(
    "the foreach length and each row's prompt come from the default file, from any folder",
    async () => {
      const dir = scratch("file-default");
      writeFileSync(join(dir, "p.yaml"), FILE_PIPELINE);
      writeFileSync(join(dir, "rows.csv"), ROWS_CSV);
      const elsewhere = scratch("file-default-cwd");
      const cost = await aiorch(["cost", join(dir, "p.yaml"), "--format", "json"], { cwd: elsewhere });
      expect(cost.exitCode).toBe(0);
      const usd = (3 * (20 * 2.5 + 100 * 10)) / 1e6;
      expect(JSON.parse(cost.stdout).steps).toEqual([
        {
          name: "tag",
          model: "gpt-4o",
          calls: 3,
          per_item: false,
          prompt_tokens: 20,
          completion_tokens: 100,
          usd,
          fallback_rate: false,
          priced_by: "gpt-4o",
        },
      ]);

      const plan = await aiorch(["plan", join(dir, "p.yaml")], { cwd: elsewhere });
      expect(plan.stdout).toMatch(/tag × 3 +\[prompt {2}gpt-4o\] +~\$0\.0032\n/);
      expect(plan.stdout).toContain("Total estimated cost: ~$0.0032\n");
      const dry = await aiorch(["run", join(dir, "p.yaml"), "--dry", "-i", "note=x"], { cwd: elsewhere });
      expect(dry.stdout).toContain("Total estimated cost: ~$0.0032\n");
      // A required input without a value is unknown to an estimate, not a mistake (run --dry needs it).
      expect(plan.exitCode).toBe(0);
    },
    SLOW,
  );

  test.concurrent(
    "a default file that cannot be read is a mistake naming the input, exit 2",
    async () => {
      const dir = scratch("file-default-missing");
      writeFileSync(join(dir, "p.yaml"), FILE_PIPELINE);
      for (const command of ["plan", "cost"]) {
        const outcome = await aiorch([command, "p.yaml"], { cwd: dir });
        expect(outcome.exitCode).toBe(2);
        expect(outcome.stderr).toContain("input `rows`");
        expect(outcome.stderr).toContain("rows.csv");
        expect(outcome.stderr).not.toMatch(STACK_TRACE);
      }
      // A file given with -i takes the default's place.
      writeFileSync(join(dir, "other.csv"), `text\n${"d".repeat(40)}\n`);
      const given = await aiorch(["cost", "p.yaml", "-i", "rows=@other.csv", "--format", "json"], { cwd: dir });
      expect(JSON.parse(given.stdout).steps[0]).toMatchObject({ calls: 1, prompt_tokens: 10 });
    },
    SLOW,
  );
});

describe("cache stats and clear", () => {
  test.concurrent(
    "count entries and hits and the dollars saved; clear empties; bad arguments are exit 2",
    async () => {
      const cwd = scratch("cache");
      // The server is on this machine: its answers cost $0 unless the config gives the model's rates.
      writeFileSync(
        join(cwd, "aiorch.yaml"),
        `llm:\n  base_url: ${server.url}\n  api_key: test\n  prices:\n    gpt-4o: { input: 2.5, output: 10 }\n`,
      );
      writeFileSync(
        join(cwd, "p.yaml"),
        `name: cached\nsteps:\n  q:\n    model: gpt-4o\n    prompt: ${"z".repeat(400)}\n`,
      );
      const empty = await aiorch(["cache", "stats", "--format", "json"], { cwd });
      expect(JSON.parse(empty.stdout)).toMatchObject({ entries: 0, hits: 0 });
      for (let i = 0; i < 3; i++) expect((await aiorch(["run", "p.yaml"], { cwd })).exitCode).toBe(0);
      const stats = JSON.parse((await aiorch(["cache", "stats", "--format", "json"], { cwd })).stdout) as {
        entries: number;
        hits: number;
        saved_usd: number;
      };
      // One call of 100 prompt and 102 completion tokens ("echo: " + 400 chars), then two hits.
      const callCost = (100 * 2.5 + 102 * 10) / 1e6;
      expect(stats).toMatchObject({ entries: 1, hits: 2 });
      expect(stats.saved_usd).toBeCloseTo(2 * callCost, 12);
      expect((await aiorch(["cache", "clear", "--older-than", "1h"], { cwd })).stdout).toContain(
        "deleted 0 cached answers",
      );
      expect((await aiorch(["cache", "clear"], { cwd })).stdout).toContain("deleted 1 cached answer");
      expect(JSON.parse((await aiorch(["cache", "stats", "--format", "json"], { cwd })).stdout)).toMatchObject({
        entries: 0,
      });
      for (const args of [
        ["cache", "purge"],
        ["cache", "clear", "--older-than", "soon"],
        ["cache", "stats", "--older-than", "1d"],
      ]) {
        const bad = await aiorch(args, { cwd });
        expect(bad.exitCode).toBe(2);
        expect(bad.stderr).toContain("hint:");
        expect(bad.stderr).not.toMatch(STACK_TRACE);
      }
    },
    SLOW,
  );
});
