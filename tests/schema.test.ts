import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, runCli } from "./helpers/cli.ts";

const published = () => readFileSync(join(REPO_ROOT, "schemas", "pipeline.v1.schema.json"), "utf8");

test("schemas/pipeline.v1.schema.json is what `aiorch schema` prints (run `bun run schema` to refresh)", () => {
  const result = runCli(["schema"]);
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toBe(published());
});

test("every field of every step, input and the pipeline has a description for editor hover help", () => {
  const schema = JSON.parse(published());
  const missing: string[] = [];
  const visit = (node: Record<string, unknown>, path: string) => {
    for (const [key, child] of Object.entries((node.properties as Record<string, Record<string, unknown>>) ?? {})) {
      if (typeof child.description !== "string" || child.description.length < 8) missing.push(`${path}.${key}`);
      visit(child, `${path}.${key}`);
    }
    for (const child of Object.values((node.patternProperties as Record<string, Record<string, unknown>>) ?? {}))
      visit(child, `${path}.*`);
    for (const child of (node.anyOf as Array<Record<string, unknown>>) ?? []) visit(child, path);
  };
  visit(schema, "pipeline");
  expect(missing).toEqual([]);
  const stepFields = Object.keys(schema.properties.steps.patternProperties["^[A-Za-z_][A-Za-z0-9_-]*$"].properties);
  for (const field of [
    "prompt",
    "python",
    "run",
    "flow",
    "depends",
    "output",
    "condition",
    "foreach",
    "parallel",
    "concurrency",
    "retry",
    "retry_delay",
    "retry_strategy",
    "on_failure",
    "timeout",
    "env",
    "cwd",
    "save",
    "vars",
    "description",
    "model",
    "temperature",
    "max_tokens",
    "system",
    "format",
    "schema",
    "retry_on_invalid",
    "cache",
    "max_cost",
    "input",
  ]) {
    expect(stepFields).toContain(field);
  }
});
