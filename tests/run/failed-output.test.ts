/**
 * A failed step keeps its output: the end of its stdout and stderr is shown under the
 * error, kept for every attempt (retries and foreach items included) and shown by `trace`.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { aiorch, removeScratch, SLOW, viewLine } from "./harness.ts";

afterAll(removeScratch);

const TESTS = `name: tests
steps:
  unit:
    run: |
      echo "running 3 tests"
      echo "FAIL: test_login"
      echo "1 failed, 2 passed" >&2
      exit 1
`;

/** The lines printed after the step's ✗ line and before the next unindented line. */
function blockUnder(stdout: string, path: string): string[] {
  const lines = stdout.split("\n");
  const at = lines.findIndex((line) => line.startsWith(`✗ ${path} `));
  if (at === -1) throw new Error(`no ✗ line for ${path} in:\n${stdout}`);
  const block: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (!line.startsWith("    ")) break;
    block.push(line);
  }
  return block;
}

describe("a failed run: step shows what it printed", () => {
  test.concurrent(
    "stdout and stderr under the error, each once; no 'with no stderr'",
    async () => {
      const run = await aiorch(["run", "p.yaml"], { files: { "p.yaml": TESTS } });
      expect(run.exitCode).toBe(1);
      expect(viewLine(run.stdout, "✗", "unit")).toMatch(
        /^✗ unit\s+\d+ms {2}command `echo "running 3 tests"` \(\+3 lines\) exited with code 1$/,
      );
      expect(blockUnder(run.stdout, "unit")).toEqual([
        "    stdout:",
        "      running 3 tests",
        "      FAIL: test_login",
        "    stderr:",
        "      1 failed, 2 passed",
      ]);
      expect(run.stdout).not.toContain("no stderr");
      expect(run.stdout.split("1 failed, 2 passed").length - 1).toBe(1);
    },
    SLOW,
  );

  test.concurrent(
    "-v: the same block once under the error (the lines were also shown live)",
    async () => {
      const run = await aiorch(["run", "p.yaml", "-v"], { files: { "p.yaml": TESTS } });
      expect(run.exitCode).toBe(1);
      expect(blockUnder(run.stdout, "unit")).toEqual([
        "    stdout:",
        "      running 3 tests",
        "      FAIL: test_login",
        "    stderr:",
        "      1 failed, 2 passed",
      ]);
      expect(run.stdout).toContain("\nunit     | FAIL: test_login\n");
    },
    SLOW,
  );

  test.concurrent(
    "a command that printed nothing says so",
    async () => {
      const run = await aiorch(["run", "p.yaml"], {
        files: { "p.yaml": "name: t\nsteps:\n  quiet:\n    run: exit 4\n" },
      });
      expect(run.exitCode).toBe(1);
      expect(viewLine(run.stdout, "✗", "quiet")).toMatch(/exited with code 4 and printed nothing$/);
    },
    SLOW,
  );

  test.concurrent(
    "python: print() output before the exception is shown, the traceback with -v",
    async () => {
      const pipeline =
        'name: t\nsteps:\n  py:\n    python: |\n      print("loaded 3 rows")\n      import sys\n      print("bad row 2", file=sys.stderr)\n      raise ValueError("row 2 has no id")\n';
      const plain = await aiorch(["run", "p.yaml"], { files: { "p.yaml": pipeline } });
      expect(plain.exitCode).toBe(1);
      expect(viewLine(plain.stdout, "✗", "py")).toContain("ValueError: row 2 has no id");
      expect(blockUnder(plain.stdout, "py")).toEqual([
        "    stdout:",
        "      loaded 3 rows",
        "    stderr:",
        "      bad row 2",
      ]);
      const verbose = await aiorch(["run", "p.yaml", "-v"], { files: { "p.yaml": pipeline } });
      expect(blockUnder(verbose.stdout, "py").join("\n")).toContain("Traceback (most recent call last)");
    },
    SLOW,
  );

  test.concurrent(
    "a long output: the last 10 lines without -v, the 40 kept with -v",
    async () => {
      const pipeline =
        "name: t\nsteps:\n  noisy:\n    run: |\n      for i in $(seq 1 100); do echo line $i; done\n      exit 1\n";
      const plain = await aiorch(["run", "p.yaml"], { files: { "p.yaml": pipeline } });
      const block = blockUnder(plain.stdout, "noisy");
      expect(block[0]).toBe("    stdout (last 10 of 40 lines kept):");
      expect(block.slice(1)).toEqual(Array.from({ length: 10 }, (_, k) => `      line ${91 + k}`));
      const verbose = await aiorch(["run", "p.yaml", "-v"], { files: { "p.yaml": pipeline } });
      const full = blockUnder(verbose.stdout, "noisy");
      expect(full[0]).toBe("    stdout:");
      expect(full.slice(1)).toEqual(Array.from({ length: 40 }, (_, k) => `      line ${61 + k}`));
    },
    SLOW,
  );

  test.concurrent(
    "a timed-out step shows what it printed before the timeout",
    async () => {
      const pipeline =
        "name: t\nsteps:\n  hang:\n    timeout: 1s\n    run: |\n      echo connecting to db\n      sleep 30\n";
      const run = await aiorch(["run", "p.yaml"], { files: { "p.yaml": pipeline } });
      expect(run.exitCode).toBe(1);
      expect(viewLine(run.stdout, "✗", "hang")).toMatch(/timed out after 1s$/);
      expect(blockUnder(run.stdout, "hang")).toEqual(["    stdout:", "      connecting to db"]);
    },
    SLOW,
  );
});

describe("every attempt keeps its output", () => {
  // Each attempt prints its own number: the counter file holds how many ran before.
  const FLAKY = `name: t
steps:
  flaky:
    retry: 2
    retry_delay: 10ms
    run: |
      n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
      echo "attempt $n: connection refused" >&2
      echo "partial result $n"
      exit 1
`;

  test.concurrent(
    "retry lines show the failed attempt's last lines; trace lists each attempt with its output",
    async () => {
      const run = await aiorch(["run", "p.yaml"], { files: { "p.yaml": FLAKY } });
      expect(run.exitCode).toBe(1);
      const lines = run.stdout.split("\n");
      const firstRetry = lines.findIndex((line) => line.startsWith("↻ flaky") && line.includes("attempt 1 failed"));
      expect(firstRetry).toBeGreaterThan(-1);
      expect(lines.slice(firstRetry + 1, firstRetry + 5)).toEqual([
        "    stdout:",
        "      partial result 1",
        "    stderr:",
        "      attempt 1: connection refused",
      ]);
      const trace = await aiorch(["trace", "last"], { cwd: run.cwd });
      expect(trace.exitCode).toBe(0);
      for (const n of [1, 2, 3]) {
        expect(trace.stdout).toContain(`#${n} command`);
        expect(trace.stdout).toContain(`attempt ${n}: connection refused`);
        expect(trace.stdout).toContain(`partial result ${n}`);
      }
      const json = await aiorch(["trace", "last", "--format", "json"], { cwd: run.cwd });
      const step = (
        JSON.parse(json.stdout) as {
          steps: { name: string; failed_attempts: { attempt: number; stdout_tail: string; stderr_tail: string }[] }[];
        }
      ).steps.find((s) => s.name === "flaky")!;
      expect(step.failed_attempts.map((a) => [a.attempt, a.stdout_tail, a.stderr_tail])).toEqual([
        [1, "partial result 1", "attempt 1: connection refused"],
        [2, "partial result 2", "attempt 2: connection refused"],
        [3, "partial result 3", "attempt 3: connection refused"],
      ]);
    },
    SLOW,
  );

  test.concurrent(
    "a failed foreach item: its own output in the error and under the item in trace",
    async () => {
      const pipeline = `name: t
steps:
  each:
    foreach: [a, b, c]
    run: |
      echo checking {{ item }}
      if [ {{ item }} = b ]; then echo "b is broken" >&2; exit 3; fi
`;
      const run = await aiorch(["run", "p.yaml"], { files: { "p.yaml": pipeline } });
      expect(run.exitCode).toBe(1);
      expect(blockUnder(run.stdout, "each")).toEqual([
        "    stdout:",
        "      checking b",
        "    stderr:",
        "      b is broken",
      ]);
      const trace = await aiorch(["trace", "last"], { cwd: run.cwd });
      const at = trace.stdout.indexOf("[1] ");
      expect(at).toBeGreaterThan(-1);
      expect(trace.stdout.slice(at)).toMatch(
        /\[1\] command .* exited with code 3\n\s+input {3}echo checking b \(\+1 line\)\n\s+printed stdout:\n\s+checking b\n\s+stderr:\n\s+b is broken\n/,
      );
      // Shown under the item, not again under the step.
      expect(trace.stdout.split("b is broken").length - 1).toBe(1);
    },
    SLOW,
  );
});
