/**
 * The `# expect:` line at the top of each core example, and the check of a run's
 * `--format json` document against it: shared by the source and the binary test runs.
 */
import { expect } from "bun:test";

export interface Expectation {
  status: string;
  outputs?: unknown;
  attempts: Array<{ steps: string[]; count: number }>;
  stepValues: Array<{ step: string; status: string; value?: string }>;
}

export function parseExpect(text: string): Expectation {
  const line = /^# expect: (.+)$/m.exec(text)![1]!;
  const [head, ...clauses] = line.split(/;\s*(?=step|steps|outputs|[a-z_]+ (?:success|failed|skipped))/);
  const expectation: Expectation = {
    status: head!.startsWith("failed") ? "failed" : "success",
    attempts: [],
    stepValues: [],
  };
  for (const clause of [head!, ...clauses]) {
    const outputs = /outputs == (\{.*\})\s*$/.exec(clause);
    if (outputs) expectation.outputs = JSON.parse(outputs[1]!);
    const attempts = /^steps? (.+?) (?:has|have) attempts == (\d+)/.exec(clause.trim());
    if (attempts)
      expectation.attempts.push({ steps: attempts[1]!.split(/,\s*|\s+and\s+/), count: Number(attempts[2]) });
    const stepStatus = /^([a-z_]+) (success|failed|skipped)(?: == (".*"))?/.exec(clause.trim());
    if (stepStatus)
      expectation.stepValues.push({
        step: stepStatus[1]!,
        status: stepStatus[2]!,
        ...(stepStatus[3] ? { value: JSON.parse(stepStatus[3]) } : {}),
      });
  }
  return expectation;
}

/** One example's `--format json` document. */
export interface ExampleDocument {
  status: string;
  outputs: unknown;
  steps: Array<{ name: string; status: string; attempts: number }>;
}

/**
 * The compatibility-condition example (26) shows the `{{ }}` form on purpose; the warning
 * that suggests the bare form is the only output it may print besides its document.
 */
function withoutCompatConditionAdvice(stderr: string): string {
  const blocks = stderr
    .split(/\n\n/)
    .filter(
      (b) => b.trim() && !b.includes("in a condition compares each value's text") && !/^\d+ warnings?$/.test(b.trim()),
    );
  return blocks.join("\n\n");
}

/** Fails the test when the run does not match the expectation. */
export function checkExample(
  expected: Expectation,
  outcome: { stdout: string; stderr: string; exitCode: number | null },
): void {
  const doc = JSON.parse(outcome.stdout || "{}") as ExampleDocument;
  expect({ status: doc.status, stderr: withoutCompatConditionAdvice(outcome.stderr) }).toEqual({
    status: expected.status,
    stderr: "",
  });
  expect(outcome.exitCode).toBe(expected.status === "success" ? 0 : 1);
  if (expected.outputs !== undefined) expect(doc.outputs).toEqual(expected.outputs);
  for (const { steps, count } of expected.attempts) {
    for (const name of steps)
      expect({ name, attempts: doc.steps.find((s) => s.name === name)?.attempts }).toEqual({ name, attempts: count });
  }
  for (const { step, status } of expected.stepValues)
    expect({ step, status: doc.steps.find((s) => s.name === step)?.status }).toEqual({ step, status });
}
