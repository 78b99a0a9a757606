import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { builtBinary } from "./helpers/binary.ts";
import { REPO_ROOT, tempDir } from "./helpers/cli.ts";

/**
 * The compiled executable (not the sources) must start and run pipelines. Every other
 * end-to-end test starts it too (`aiorchCommand`), the example catalog included
 * (examples-run.test.ts); these are the checks of the binary itself.
 */
describe("compiled binary", () => {
  let binary: string;
  // builtBinary fails when the build exits non-zero or reports an error.
  beforeAll(() => {
    binary = builtBinary();
  }, 120_000);

  const run = (args: string[]) => {
    const r = Bun.spawnSync([binary, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: "1", AIORCH_HOME: tempDir("home") },
      stdout: "pipe",
      stderr: "pipe",
    });
    return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
  };

  test("--version", () => expect(run(["--version"]).out.trim()).toMatch(/^\d+\.\d+\.\d+/));

  test("validate, with the embedded python body checker", () => {
    expect(run(["validate", "examples/core/16-diamond.yaml"]).code).toBe(0);
    const broken = run(["validate", "tests/fixtures/invalid/66-python-syntax-error.yaml"]);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain("python syntax error");
  });

  test("run: shell, python (embedded worker) and flow steps", () => {
    const r = run(["run", "examples/core/24-flow-input.yaml", "--format", "json"]);
    expect(r.err).toBe("");
    const doc = JSON.parse(r.out);
    expect(doc.status).toBe("success");
    expect(doc.outputs.summary).toBe("Invoice for Acme Tools: EUR 78.75");
  });

  test("reads no bunfig.toml, .env, package.json or tsconfig.json from the working directory", () => {
    const dir = tempDir("hostile");
    const marker = join(dir, "PWNED");
    writeFileSync(join(dir, "evil.ts"), `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran");\n`);
    writeFileSync(join(dir, "bunfig.toml"), 'preload = ["./evil.ts"]\n[run]\npreload = ["./evil.ts"]\n');
    for (const name of [".env", ".env.local", ".env.production"])
      writeFileSync(join(dir, name), "HOSTILE_FROM_DOTENV=leaked\n");
    writeFileSync(join(dir, "package.json"), '{"name":"hostile","type":"commonjs","imports":{"#x":"./evil.ts"}}\n');
    writeFileSync(join(dir, "tsconfig.json"), '{"compilerOptions":{"paths":{"yaml":["./evil.ts"]}}}\n');
    writeFileSync(
      join(dir, "p.yaml"),
      'name: hostile\nsteps:\n  show:\n    run: echo "[${HOSTILE_FROM_DOTENV:-unset}]"\n',
    );
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", AIORCH_HOME: tempDir("home") };
    delete env.HOSTILE_FROM_DOTENV;
    for (const args of [["validate", "p.yaml"], ["run", "p.yaml", "--format", "json"], ["--version"]]) {
      const r = Bun.spawnSync([binary, ...args], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
      expect(r.exitCode).toBe(0);
      if (args[0] === "run") expect(r.stdout.toString()).toContain("[unset]");
      expect(existsSync(marker)).toBe(false);
    }
  });
});
