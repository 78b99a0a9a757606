import { describe, expect, test } from "bun:test";
import pkg from "../package.json" with { type: "json" };
import { runCli } from "./helpers/cli.ts";

const DIAMOND = "tests/fixtures/valid/diamond.yaml";
const FANOUT = "tests/fixtures/valid/fanout.yaml";
const COMMANDS = [
  "run",
  "resume",
  "history",
  "trace",
  "validate",
  "list",
  "visualize",
  "plan",
  "cost",
  "cache",
  "explain",
  "schema",
  "init",
  "doctor",
  "completion",
];

describe("aiorch (top level)", () => {
  test("--version prints the package version", () => {
    const r = runCli(["--version"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  test("--help lists every command", () => {
    const r = runCli(["--help"]);
    expect(r.exitCode).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c);
  });

  test.each(COMMANDS)("%s --help describes the command and exits 0", (command) => {
    const r = runCli([command, "--help"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(command);
    expect(r.stdout.toLowerCase()).toContain("usage");
  });

  test("an unknown command is a usage error with a suggestion", () => {
    const r = runCli(["valdate", DIAMOND]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown command `valdate` (did you mean `validate`?)");
  });

  test("an unknown option is a usage error with a suggestion", () => {
    const r = runCli(["validate", DIAMOND, "--formt", "json"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown option `--formt` for `aiorch validate` (did you mean `--format`?)");
  });

  test("a bad --format value is a usage error", () => {
    const r = runCli(["list", DIAMOND, "--format", "yaml"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--format");
    expect(r.stderr).not.toContain("    at ");
  });

  test("run -i without KEY=VALUE is a usage error that shows the form", () => {
    const r = runCli(["run", DIAMOND, "-i"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: -i needs KEY=VALUE");
    expect(r.stderr).toContain("hint: e.g. -i name=Ada, or -i data=@rows.csv for a file");
    expect(r.stderr).not.toContain("    at ");
  });

  test("a missing file is reported without a stack trace", () => {
    const r = runCli(["validate", "nope/missing.yaml"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("nope/missing.yaml: file not found");
    expect(r.stderr).not.toContain("    at ");
  });
});

describe("validate", () => {
  test("a valid pipeline: exit 0 and a one-line confirmation", () => {
    const r = runCli(["validate", DIAMOND]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe("✓ tests/fixtures/valid/diamond.yaml is valid (diamond: 5 steps)");
  });

  test("a pipeline with a flow validates its sub-pipeline", () => {
    const r = runCli(["validate", FANOUT]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
  });

  test("--format json prints the docs/pipeline-reference.md#validation document", () => {
    const r = runCli(["validate", DIAMOND, "--format", "json"]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ file: DIAMOND, valid: true, errors: [], warnings: [] });
  });
});

describe("list, plan, explain, visualize", () => {
  test("list shows primitive, depends, condition and foreach", () => {
    const r = runCli(["list", FANOUT]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("each");
    expect(r.stdout).toMatch(/summary\s+prompt gpt-4o-mini\s+each\s+each \| length > 1/);
    expect(r.stdout).toMatch(/each\s+run\s+-\s+-\s+items \(parallel 2\)/);
  });

  test("list --format json", () => {
    const doc = JSON.parse(runCli(["list", DIAMOND, "--format", "json"]).stdout);
    expect(doc.steps.map((s: { name: string }) => s.name)).toEqual([
      "split",
      "score_low",
      "score_high",
      "merge",
      "alert",
    ]);
    expect(doc.steps.find((s: { name: string }) => s.name === "alert").handler).toBe(true);
  });

  test("plan prints layers with primitives and foreach sizes", () => {
    const r = runCli(["plan", FANOUT]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Pipeline: fanout");
    expect(r.stdout).toMatch(/ 0: each × 3\s+\[run\]/);
    expect(r.stdout).toMatch(/ 1: summary\s+\[prompt {2}gpt-4o-mini\]\s+~\$0\.\d{4}/);
    expect(r.stdout).toMatch(/Total estimated cost: ~\$0\.\d{4}/);
    expect(r.stdout).toMatch(/ 2: nested\s+\[flow flows\/child.yaml\]/);
  });

  test("plan --format json", () => {
    const doc = JSON.parse(runCli(["plan", DIAMOND, "--format", "json"]).stdout);
    expect(doc.layers.map((l: { steps: Array<{ name: string }> }) => l.steps.map((s) => s.name))).toEqual([
      ["split"],
      ["score_low", "score_high"],
      ["merge"],
    ]);
    expect(doc.handlers).toEqual(["alert"]);
  });

  test("explain describes dependencies, retries and the handler", () => {
    const r = runCli(["explain", DIAMOND, "merge"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("It starts when `score_low`, `score_high` have finished (and so after `split`).");
    expect(r.stdout).toContain("retried up to 2 more times, 500ms apart");
    expect(r.stdout).toContain("If it still fails, `alert` runs");
  });

  test("explain of an unknown step suggests the closest", () => {
    const r = runCli(["explain", DIAMOND, "mrege"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("has no step `mrege` (did you mean `merge`?)");
  });

  test("visualize draws every dependency and lists the handler", () => {
    const r = runCli(["visualize", DIAMOND, "--width", "100"]);
    expect(r.exitCode).toBe(0);
    for (const name of ["split", "score_low", "score_high", "merge"]) expect(r.stdout).toContain(name);
    expect(r.stdout).toContain("on failure of merge: alert [run]");
  });

  test("visualize rejects a bad --width", () => {
    const r = runCli(["visualize", DIAMOND, "--width", "abc"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--width must be a whole number of at least 40, got "abc"');
  });

  test("read commands refuse an invalid pipeline with exit 2", () => {
    const r = runCli(["plan", "tests/fixtures/valid/missing.yaml"]);
    expect(r.exitCode).toBe(2);
  });
});
