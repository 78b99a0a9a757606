import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { aiorchCommand, REPO_ROOT, tempDir } from "./helpers/cli.ts";
import { checkExample, parseExpect } from "./helpers/example-expectations.ts";

/**
 * Runs every core example through the real CLI (`run --format json`, from the repository
 * root) and checks it against the `# expect:` line at the top of the file. The CLI is the
 * compiled binary (`aiorchCommand`), so this is also the catalog run by what users run.
 */
const files = readdirSync(join(REPO_ROOT, "examples/core"))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

async function runExample(file: string) {
  const child = Bun.spawn([...aiorchCommand(), "run", `examples/core/${file}`, "--format", "json"], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", AIORCH_HOME: tempDir("home") },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout, stderr, exitCode };
}

describe("every core example runs and gives its expected result", () => {
  test("there are at least 25 runnable core examples", () => expect(files.length).toBeGreaterThanOrEqual(25));
  test.concurrent.each(files)(
    "%s",
    async (file) => {
      const expected = parseExpect(readFileSync(join(REPO_ROOT, "examples/core", file), "utf8"));
      checkExample(expected, await runExample(file));
    },
    60_000,
  );
});
