import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempDir } from "./helpers/cli.ts";

/**
 * Runs every core example through the real CLI (`run --format json`, from the repository
 * root) and checks it against the `# expect:` line at the top of the file.
 */
const files = readdirSync(join(REPO_ROOT, "examples/core")).filter((f) => f.endsWith(".yaml")).sort();

interface Expectation {
  status: string;
  outputs?: unknown;
  attempts: Array<{ steps: string[]; count: number }>;
  stepValues: Array<{ step: string; status: string; value?: string }>;
}

function parseExpect(text: string): Expectation {
  const line = /^# expect: (.+)$/m.exec(text)![1]!;
  const [head, ...clauses] = line.split(/;\s*(?=step|steps|outputs|[a-z_]+ (?:success|failed|skipped))/);
  const expectation: Expectation = { status: head!.startsWith("failed") ? "failed" : "success", attempts: [], stepValues: [] };
  for (const clause of [head!, ...clauses]) {
    const outputs = /outputs == (\{.*\})\s*$/.exec(clause);
    if (outputs) expectation.outputs = JSON.parse(outputs[1]!);
    const attempts = /^steps? (.+?) (?:has|have) attempts == (\d+)/.exec(clause.trim());
    if (attempts) expectation.attempts.push({ steps: attempts[1]!.split(/,\s*|\s+and\s+/), count: Number(attempts[2]) });
    const stepStatus = /^([a-z_]+) (success|failed|skipped)(?: == (".*"))?/.exec(clause.trim());
    if (stepStatus) expectation.stepValues.push({ step: stepStatus[1]!, status: stepStatus[2]!, ...(stepStatus[3] ? { value: JSON.parse(stepStatus[3]) } : {}) });
  }
  return expectation;
}

async function runExample(file: string) {
  const child = Bun.spawn([process.execPath, join(REPO_ROOT, "src/main.ts"), "run", `examples/core/${file}`, "--format", "json"], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", AIORCH_HOME: tempDir("home") },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, exitCode };
}

describe("every core example runs and gives its expected result", () => {
  test("there are at least 25 runnable core examples", () => expect(files.length).toBeGreaterThanOrEqual(25));
  test.concurrent.each(files)("%s", async (file) => {
    const expected = parseExpect(readFileSync(join(REPO_ROOT, "examples/core", file), "utf8"));
    const { stdout, stderr, exitCode } = await runExample(file);
    const doc = JSON.parse(stdout || "{}") as { status: string; outputs: unknown; steps: Array<{ name: string; status: string; attempts: number }> };
    expect({ status: doc.status, stderr }).toEqual({ status: expected.status, stderr: "" });
    expect(exitCode).toBe(expected.status === "success" ? 0 : 1);
    if (expected.outputs !== undefined) expect(doc.outputs).toEqual(expected.outputs);
    for (const { steps, count } of expected.attempts) {
      for (const name of steps) expect({ name, attempts: doc.steps.find((s) => s.name === name)?.attempts }).toEqual({ name, attempts: count });
    }
    for (const { step, status } of expected.stepValues) expect({ step, status: doc.steps.find((s) => s.name === step)?.status }).toEqual({ step, status });
  }, 60_000);
});
