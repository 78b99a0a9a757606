import { describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findConfigFile } from "../src/load/config.ts";
import { runCli, tempDir } from "./helpers/cli.ts";

const PY_PIPELINE = "name: py\nsteps:\n  one:\n    python: result = 41 + 1\n";

/** A python3 wrapper that leaves a marker, to prove which interpreter ran the steps. */
function fakePython(dir: string): string {
  const marker = join(dir, "used-wrapper");
  const path = join(dir, "venv-python");
  writeFileSync(path, `#!/bin/sh\ntouch ${marker}\nexec python3 "$@"\n`);
  chmodSync(path, 0o755);
  return marker;
}

describe("config file", () => {
  test("found in the pipeline's folder or above, else in AIORCH_HOME", () => {
    const root = tempDir("cfg");
    mkdirSync(join(root, "a", "b"), { recursive: true });
    const home = tempDir("home");
    expect(findConfigFile(join(root, "a", "b"), { AIORCH_HOME: home })).toBeUndefined();
    writeFileSync(join(home, "config.yaml"), "python: python3\n");
    expect(findConfigFile(join(root, "a", "b"), { AIORCH_HOME: home })).toBe(join(home, "config.yaml"));
    writeFileSync(join(root, ".aiorch.yaml"), "python: python3\n");
    expect(findConfigFile(join(root, "a", "b"), { AIORCH_HOME: home })).toBe(join(root, ".aiorch.yaml"));
    writeFileSync(join(root, "a", "aiorch.yml"), "python: python3\n");
    expect(findConfigFile(join(root, "a", "b"), { AIORCH_HOME: home })).toBe(join(root, "a", "aiorch.yml"));
  });

  test("`python:` (relative to the config file, ${VAR} expanded) runs the python: steps", () => {
    const dir = tempDir("cfg");
    const marker = fakePython(dir);
    writeFileSync(join(dir, "aiorch.yaml"), "python: ${NOT_SET_ANYWHERE:-./venv-python}\n");
    writeFileSync(join(dir, "p.yaml"), PY_PIPELINE);
    const r = runCli(["run", "p.yaml", "--format", "json"], { cwd: dir, env: { AIORCH_PYTHON: "" } });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).outputs).toEqual({ one: 42 });
    expect(existsSync(marker)).toBe(true);
  });

  test("AIORCH_PYTHON wins over the config", () => {
    const dir = tempDir("cfg");
    const marker = fakePython(dir);
    writeFileSync(join(dir, "aiorch.yaml"), "python: /nonexistent/python\n");
    writeFileSync(join(dir, "p.yaml"), PY_PIPELINE);
    const r = runCli(["run", "p.yaml", "--format", "json"], {
      cwd: dir,
      env: { AIORCH_PYTHON: join(dir, "venv-python") },
    });
    expect(JSON.parse(r.stdout).status).toBe("success");
    expect(existsSync(marker)).toBe(true);
  });

  test("--config FILE is used instead of discovery; a missing one is an error", () => {
    const dir = tempDir("cfg");
    writeFileSync(join(dir, "p.yaml"), PY_PIPELINE);
    const missing = runCli(["run", "p.yaml", "--config", "nope.yaml"], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("config file nope.yaml not found");
  });

  test("an invalid config stops with its position and a suggestion, exit 2", () => {
    const dir = tempDir("cfg");
    writeFileSync(join(dir, "aiorch.yaml"), "llm:\n  modle: gpt-4o-mini\n");
    writeFileSync(join(dir, "p.yaml"), PY_PIPELINE);
    const r = runCli(["run", "p.yaml"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      "aiorch.yaml:2:3: error: unknown key `modle` in the config file (did you mean `model`?)",
    );
    expect(r.stderr).not.toContain("    at ");
  });

  // A timer of 0, or past ~24.8 days, fires at once: every request (or step) would time out.
  test.each([
    ["0", "is 0: every request would time out at once"],
    ["0s", "is 0: every request would time out at once"],
    ["1000h", "is longer than 24h, the most it may be"],
  ])("llm.timeout: %s stops every command with its position, exit 2", (value, says) => {
    const dir = tempDir("cfg");
    writeFileSync(join(dir, "aiorch.yaml"), `llm:\n  timeout: ${value}\ndefaults:\n  timeout: ${value}\n`);
    writeFileSync(join(dir, "p.yaml"), PY_PIPELINE);
    for (const command of ["run", "plan"]) {
      const r = runCli(command === "run" ? ["run", "p.yaml", "--no-history"] : ["plan", "p.yaml"], { cwd: dir });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(`aiorch.yaml:2:12: error: \`llm.timeout\` ${says}`);
      expect(r.stderr).toContain(`aiorch.yaml:4:12: error: \`defaults.timeout\` ${says.replace("request", "step")}`);
      expect(r.stderr).toContain("hint: the keys and what they take: docs/config.md#keys");
      expect(r.stdout).toBe("");
    }
  });

  test.each([
    ["-5", "must be a duration like 500ms, 2s, 1m or 1h (a bare number is seconds), got -5"],
    ['"abc"', 'got "abc"'],
    ['"10"', 'got "10"'],
  ])("llm.timeout: %s is refused with its position, exit 2", (value, says) => {
    const dir = tempDir("cfg");
    writeFileSync(join(dir, "aiorch.yaml"), `llm:\n  timeout: ${value}\n`);
    writeFileSync(join(dir, "p.yaml"), PY_PIPELINE);
    const r = runCli(["run", "p.yaml", "--no-history"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("aiorch.yaml:2:12: error: `timeout` ");
    expect(r.stderr).toContain(says);
  });

  test("llm.timeout: 10s and 90 (seconds) are accepted", () => {
    const dir = tempDir("cfg");
    writeFileSync(join(dir, "p.yaml"), PY_PIPELINE);
    for (const value of ["10s", "90", "24h"]) {
      writeFileSync(join(dir, "aiorch.yaml"), `llm:\n  timeout: ${value}\n`);
      expect(runCli(["run", "p.yaml", "--no-history"], { cwd: dir }).exitCode).toBe(0);
    }
  });
});
