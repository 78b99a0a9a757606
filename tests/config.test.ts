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
    const r = runCli(["run", "p.yaml", "--format", "json"], { cwd: dir, env: { AIORCH_PYTHON: join(dir, "venv-python") } });
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
    expect(r.stderr).toContain("aiorch.yaml:2:3: error: unknown key `modle` in the config file (did you mean `model`?)");
    expect(r.stderr).not.toContain("    at ");
  });
});
