/**
 * The bad-input corpus (docs/pipeline-reference.md#validation, docs/cli.md#exit-codes): every `tests/fixtures/invalid/NN-name.yaml` holds one
 * mistake in an otherwise valid pipeline. `aiorch validate` must refuse it with exit code
 * 2, print nothing on stdout, print exactly the golden `NN-name.txt` on stderr (no stack
 * trace), and with `--format json` print `{valid: false, errors: [...]}` with positions.
 *
 * Fixtures are discovered by listing the folder; `flows/` holds helper sub-pipelines.
 * Refresh the goldens with `bun run update:golden` (UPDATE_GOLDEN=1), then review the diff.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { aiorchCommand, REPO_ROOT, tempDir, type CliResult } from "./helpers/cli.ts";

const FIXTURES = "tests/fixtures/invalid";
const FIXTURES_DIR = join(REPO_ROOT, FIXTURES);
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const MIN_FIXTURES = 45;

const entries = readdirSync(FIXTURES_DIR, { withFileTypes: true });
const fixtures = entries
  .filter((e) => e.isFile() && e.name.endsWith(".yaml"))
  .map((e) => e.name)
  .sort();
const goldens = entries.filter((e) => e.isFile() && e.name.endsWith(".txt")).map((e) => e.name);

const env = (() => {
  const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", AIORCH_HOME: tempDir("home") };
  delete base.AIORCH_DEBUG; // a developer's debug switch must not add stack traces to the goldens
  delete base.FORCE_COLOR;
  return base;
})();

/** The real CLI, asynchronously, from the repo root so messages read `tests/fixtures/invalid/…`. */
async function cli(args: string[]): Promise<CliResult> {
  const proc = Bun.spawn([...aiorchCommand(), ...args], { cwd: REPO_ROOT, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { exitCode, stdout, stderr };
}

/** Runs at most `limit` tasks at once; each result is tied to its own fixture, so order never matters. */
function pool(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

// Every fixture's two CLI runs start now, a few at a time; each test awaits its own.
const limit = pool(Math.max(4, Math.min(16, availableParallelism() * 2)));
const runs = new Map(
  fixtures.map((name) => {
    const file = `${FIXTURES}/${name}`;
    const both = limit(() => Promise.all([cli(["validate", file]), cli(["validate", file, "--format", "json"])]));
    both.catch(() => {}); // reported by the fixture's own test
    return [name, both] as const;
  }),
);

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^ {4}at /m);
  expect(text).not.toContain(".ts:");
  expect(text.toLowerCase()).not.toContain("internal error");
}

interface JsonDiagnostic {
  file: unknown;
  line: unknown;
  col: unknown;
  message: unknown;
}

describe("invalid pipelines are refused with a clear message", () => {
  test(`the corpus has at least ${MIN_FIXTURES} fixtures, each with a golden file`, () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(MIN_FIXTURES);
    if (!UPDATE) {
      const orphans = goldens.filter((g) => !fixtures.includes(g.replace(/\.txt$/, ".yaml")));
      expect(orphans).toEqual([]);
    }
  });

  for (const name of fixtures) {
    test(name, async () => {
      const path = join(FIXTURES_DIR, name);
      const goldenPath = path.replace(/\.yaml$/, ".txt");
      const source = readFileSync(path, "utf8");
      // Every fixture says what its one mistake is (an empty file cannot).
      if (source.length > 0) expect(source.split("\n")[0]).toMatch(/^# mistake: \S/);

      const [text, json] = await runs.get(name)!;

      expect(text.stdout).toBe("");
      expectNoStackTrace(text.stderr);
      if (UPDATE) writeFileSync(goldenPath, text.stderr);
      else {
        if (!existsSync(goldenPath))
          throw new Error(`${FIXTURES}/${name}: no golden file; run \`bun run update:golden\` and review it`);
        expect(text.stderr).toBe(readFileSync(goldenPath, "utf8"));
      }
      expect(text.exitCode).toBe(2);

      expectNoStackTrace(json.stderr);
      expect(json.exitCode).toBe(2);
      const document = JSON.parse(json.stdout) as { valid: unknown; errors: JsonDiagnostic[] };
      expect(document.valid).toBe(false);
      expect(Array.isArray(document.errors)).toBe(true);
      expect(document.errors.length).toBeGreaterThan(0);
      // A file with no content has no token to point at; everything else has a line.
      const hasContent = source.split("\n").some((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
      const placed = document.errors.filter(
        (e) =>
          typeof e.file === "string" &&
          e.file !== "" &&
          typeof e.line === "number" &&
          e.line >= (hasContent ? 1 : 0) &&
          typeof e.col === "number" &&
          typeof e.message === "string" &&
          e.message !== "",
      );
      expect(placed.length).toBeGreaterThan(0);
    });
  }
});
