import { expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, runCli } from "./helpers/cli.ts";

const yamlIn = (dir: string) =>
  readdirSync(join(REPO_ROOT, dir))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `${dir}/${f}`);

const files = [...yamlIn("examples/core"), ...yamlIn("examples/core/flows"), ...yamlIn("examples/llm")];

test("the example catalog is complete (≥ 25 core, ≥ 8 LLM pipelines)", () => {
  expect(yamlIn("examples/core").length).toBeGreaterThanOrEqual(25);
  expect(yamlIn("examples/llm").length).toBeGreaterThanOrEqual(8);
});

test("every example validates with no errors and no warnings", () => {
  const result = runCli(["validate", ...files, "--format", "json"]);
  const documents = JSON.parse(result.stdout) as Array<{
    file: string;
    valid: boolean;
    errors: unknown[];
    warnings: unknown[];
  }>;
  // The compatibility condition example shows the `{{ }}` form on purpose; validate's suggestion of the bare form is expected there.
  const expected = (d: { file: string }, w: unknown) =>
    d.file.endsWith("26-condition-compat.yaml") && JSON.stringify(w).includes("in a condition compares each value");
  const problems = documents
    .map((d) => ({ ...d, warnings: d.warnings.filter((w) => !expected(d, w)) }))
    .filter((d) => !d.valid || d.warnings.length)
    .map((d) => ({ file: d.file, errors: d.errors, warnings: d.warnings }));
  expect(problems).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(documents.length).toBe(files.length);
});

test("every core example says what it shows, how to run it and what to expect", () => {
  for (const file of yamlIn("examples/core")) {
    const text = require("node:fs").readFileSync(join(REPO_ROOT, file), "utf8") as string;
    expect(text, file).toMatch(/^# expect: .+/m);
    expect(text, file).toContain(`aiorch run ${file}`);
  }
});
