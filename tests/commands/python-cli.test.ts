/**
 * The Python aiorch's command lines, each through the real CLI (docs/migration.md, "The
 * command line"): `-i`/`--set`, `-c`/`--config`, `run` and the other pipeline commands
 * without FILE (and how a pipeline and a config both called aiorch.yaml are told apart),
 * `plan --json`, `explain STEP [FILE]`, `init -t`, and the server commands it had.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { removeScratch, STACK_TRACE } from "../run/harness.ts";

afterAll(removeScratch);

const GREET =
  "name: greet\ninput:\n  who: {type: string, default: world}\nsteps:\n  hello:\n    run: echo hello {{ who }}\n  after:\n    run: echo done\n    depends: [hello]\n";

/** A folder with these files, and a private AIORCH_HOME inside it. */
function folder(files: Record<string, string>): {
  dir: string;
  cli: (args: string[], cwd?: string) => ReturnType<typeof runCli>;
} {
  const dir = tempDir("pycli");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cli: (args, cwd = dir) => runCli(args, { cwd, env: { AIORCH_HOME: join(dir, ".home") } }) };
}

function expectUsage(r: ReturnType<typeof runCli>, text: string): void {
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toContain(text);
  expect(r.stderr).toContain("hint:");
  expect(r.stderr).not.toMatch(STACK_TRACE);
}

describe("run with no FILE", () => {
  test("finds Aiorch.yaml in the current folder; -i, --set and --set= give inputs", () => {
    const { cli } = folder({ "Aiorch.yaml": GREET });
    for (const args of [["-i", "who=Ada"], ["--set", "who=Ada"], ["--set=who=Ada"]]) {
      const r = cli(["run", ...args]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain("hello Ada");
    }
  });

  test("looks in the order Aiorch, Aiorch.yaml, Aiorch.yml, aiorch.yaml, aiorch.yml", () => {
    const { dir, cli } = folder({
      "aiorch.yml": GREET.replace("greet", "fifth"),
      "Aiorch.yml": GREET.replace("greet", "third"),
    });
    expect(cli(["list", "--format", "json"]).stdout).toContain('"third"');
    writeFileSync(join(dir, "Aiorch"), GREET.replace("greet", "first"));
    expect(cli(["list", "--format", "json"]).stdout).toContain('"first"');
  });

  test("an aiorch.yaml without steps: is a config, never the pipeline; none found: exit 2, naming it", () => {
    const { cli } = folder({ "aiorch.yaml": "llm:\n  model: gpt-4o-mini\n" });
    expectUsage(cli(["run"]), "aiorch.yaml here is a config file (no steps:)");
    expectUsage(cli(["validate"]), "looked for Aiorch, Aiorch.yaml, Aiorch.yml, aiorch.yaml, aiorch.yml");
  });

  test("a pipeline called aiorch.yaml is run, and is not read as the config: the config above it is", () => {
    const { dir, cli } = folder({ "aiorch.yaml": "storage:\n  path: elsewhere.db\n", "project/aiorch.yaml": GREET });
    const r = cli(["run"], join(dir, "project"));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("hello world");
    expect(existsSync(join(dir, "elsewhere.db"))).toBe(true);
  });

  test("--config naming a pipeline is refused, exit 2", () => {
    const { cli } = folder({ "p.yaml": GREET });
    expectUsage(cli(["run", "p.yaml", "--config", "p.yaml"]), "is a pipeline (it has steps:), not a config file");
  });

  test("validate, list, visualize, plan and cost take the pipeline of the folder too", () => {
    const { cli } = folder({ "Aiorch.yaml": GREET });
    for (const command of ["validate", "list", "visualize", "plan", "cost"]) {
      const r = cli([command]);
      expect({ command, exitCode: r.exitCode, stderr: r.stderr }).toEqual({ command, exitCode: 0, stderr: "" });
    }
  });
});

describe("options spelled as the Python aiorch spelled them", () => {
  test("-c is --config, for run and validate (which then checks the config too)", () => {
    const { dir, cli } = folder({
      "Aiorch.yaml": GREET,
      "cfg.yaml": "storage:\n  path: from-c.db\n",
      "bad.yaml": "llm: [1, 2]\n",
    });
    expect(cli(["run", "-c", "cfg.yaml"]).exitCode).toBe(0);
    expect(existsSync(join(dir, "from-c.db"))).toBe(true);
    expect(cli(["validate", "-c", "cfg.yaml"]).exitCode).toBe(0);
    const bad = cli(["validate", "-c", "bad.yaml"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("invalid config file");
    for (const command of ["doctor", "history", "trace", "resume", "plan", "cost", "cache", "dashboard"]) {
      expect({ command, help: cli([command, "--help"]).stdout.includes("-c, --config") }).toEqual({
        command,
        help: true,
      });
    }
  });

  test("plan --json is plan --format json", () => {
    const { cli } = folder({ "Aiorch.yaml": GREET });
    const json = cli(["plan", "--json"]);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(cli(["plan", "--format", "json"]).stdout));
  });

  test("explain STEP [FILE] (the Python order) and explain FILE STEP (ours) give the same text", () => {
    const { cli } = folder({ "Aiorch.yaml": GREET, "other.yaml": GREET });
    const ours = cli(["explain", "other.yaml", "after"]);
    expect(ours.exitCode).toBe(0);
    expect(cli(["explain", "after", "other.yaml"]).stdout).toBe(ours.stdout);
    expect(cli(["explain", "after"]).stdout).toBe(ours.stdout.replace("other.yaml", "Aiorch.yaml"));
    expectUsage(cli(["explain"]), "which step?");
    expectUsage(cli(["explain", "other.yaml"]), "which step of other.yaml?");
  });

  test("init -t/--template writes Aiorch.yaml, which run/validate then find; `default` is hello-llm", () => {
    const { dir, cli } = folder({});
    const r = cli(["init", "-t", "default"]);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(dir, "Aiorch.yaml"), "utf8")).toContain("name: hello-llm");
    expect(cli(["validate"]).stdout).toContain("Aiorch.yaml is valid (hello-llm");
    const other = folder({});
    expect(other.cli(["init", "--template", "hello"]).exitCode).toBe(0);
    expect(other.cli(["run"]).exitCode).toBe(0);
    expectUsage(other.cli(["init", "hello", "--template", "flow"]), "two templates given");
  });
});

describe("the server commands of the Python aiorch", () => {
  test("serve takes its options and says there is no server here: exit 2", () => {
    const { cli } = folder({});
    expectUsage(
      cli(["serve", "--host", "0.0.0.0", "--port", "7842", "--daemon", "--reload", "--pipeline-dir", ".", "--dev"]),
      "this aiorch has no server",
    );
  });

  test("status: no server, the history and its last runs; stop: nothing to stop, exit 0", () => {
    const { cli } = folder({ "Aiorch.yaml": GREET });
    expect(cli(["run"]).exitCode).toBe(0);
    const status = cli(["status"]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^server {4}none/);
    expect(status.stdout).toMatch(/greet +success/);
    const stop = cli(["stop"]);
    expect(stop.exitCode).toBe(0);
    expect(stop.stderr).toContain("nothing to stop");
  });

  test("they are not listed in the help nor completed", () => {
    const { cli } = folder({});
    const help = cli(["--help"]).stdout;
    for (const command of ["serve", "status", "stop"]) expect(help).not.toMatch(new RegExp(`^  ${command} `, "m"));
    expect(help).toMatch(/^ {2}dashboard /m);
    expect(cli(["completion", "bash"]).stdout).not.toContain("serve");
  });
});
