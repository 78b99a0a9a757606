/**
 * `--help` as a reader sees it, through the real CLI: wrapped to COLUMNS (or the terminal,
 * or 80 in a pipe) without splitting a word, one to three examples per command that really
 * work, the actions' own help (`cache stats --help`), and unknown one-letter options named.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorchShellCommand, runCli, tempDir } from "../helpers/cli.ts";
import { startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { aiorch } from "../run/harness.ts";
import { startUi } from "../ui/ui-server.ts";

const help = (args: string[], columns?: number) =>
  runCli(args, { env: { COLUMNS: columns === undefined ? "" : String(columns) } });

/** Every command `aiorch --help` lists, and the actions with a help of their own. */
const top = help(["--help"]).stdout;
const COMMANDS = [
  ...top
    .split(/^COMMANDS$/m)[1]!
    .split(/^EXAMPLES$/m)[0]!
    .matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm),
].map((m) => m[1]!);
const HELPS: string[][] = [
  ["--help"],
  ...COMMANDS.map((c) => [c, "--help"]),
  ["cache", "stats", "--help"],
  ["cache", "clear", "--help"],
  ["history", "prune", "--help"],
];

/** The words of a help text in order (the `\` that continues a wrapped example line left out). */
const words = (text: string) => text.split(/\s+/).filter((w) => w !== "" && w !== "\\" && w !== "#");

/** The EXAMPLES of a help text: each command line, its wrapped parts joined. */
function examplesOf(text: string): string[] {
  const section = text.split(/^EXAMPLES$/m)[1]?.split(/\n\n(?! {2})/)[0] ?? "";
  const commands: string[] = [];
  let current: string | undefined;
  for (const line of section.split("\n")) {
    if (/^ {2}[^ #]/.test(line)) current = line.trim();
    else if (current !== undefined && /^ {6}\S/.test(line)) current = `${current.replace(/ \\$/, "")} ${line.trim()}`;
    else continue;
    if (!current.endsWith("\\")) {
      commands.push(current);
      current = undefined;
    }
  }
  return commands;
}

describe("help is wrapped to the width without splitting a word", () => {
  test("the list of commands is read from `aiorch --help`", () => {
    expect(COMMANDS).toContain("run");
    expect(COMMANDS).toContain("completion");
    expect(COMMANDS).not.toContain("serve");
  });

  test.each(HELPS.map((args) => [args.join(" "), args] as const))(
    "COLUMNS=60 `aiorch %s`: no line over 60, the same words as at 100",
    (_, args) => {
      const narrow = help(args, 60);
      expect(narrow.exitCode).toBe(0);
      expect(narrow.stdout.split("\n").filter((l) => l.length > 60)).toEqual([]);
      const wide = help(args, 100);
      // A word split across two lines would be two words here.
      expect(words(narrow.stdout)).toEqual(words(wide.stdout));
      expect(wide.stdout.split("\n").some((l) => l.length > 60)).toBe(true);
    },
  );

  test("a pipe without COLUMNS gets 80 columns", () => {
    const r = help(["run", "--help"]);
    const lines = r.stdout.split("\n");
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    expect(lines.some((l) => l.length > 70)).toBe(true);
  });

  test("a very wide terminal still gets lines of at most 100", () => {
    const lines = help(["doctor", "--help"], 250).stdout.split("\n");
    expect(lines.filter((l) => l.length > 100)).toEqual([]);
  });

  // `script` gives the CLI a real terminal (util-linux's; macOS's takes other arguments).
  const hasScript = Bun.spawnSync(["script", "--version"], { stdout: "pipe", stderr: "pipe" })
    .stdout.toString()
    .includes("util-linux");
  test.skipIf(!hasScript)("in a terminal 50 columns wide: wrapped to 50, headings in colour; NO_COLOR: none", () => {
    const inTerminal = (env: Record<string, string>) => {
      const shell = `stty cols 50; exec ${aiorchShellCommand()} plan --help`;
      const r = Bun.spawnSync(["script", "-qec", shell, "/dev/null"], {
        env: { ...process.env, COLUMNS: "", NO_COLOR: "", FORCE_COLOR: "", ...env },
        stdout: "pipe",
        stderr: "pipe",
      });
      return r.stdout.toString().replace(/\r/g, "");
    };
    const coloured = inTerminal({});
    expect(coloured).toContain("\x1b[1m\x1b[4mUSAGE");
    const plain = coloured.replace(/\x1b\[[0-9;]*m/g, "");
    expect(plain).toContain("USAGE aiorch plan [OPTIONS] [FILE]");
    expect(plain.split("\n").filter((l) => l.length > 50)).toEqual([]);
    expect(plain.split("\n").some((l) => l.length > 40)).toBe(true);
    expect(inTerminal({ NO_COLOR: "1" })).not.toContain("\x1b[");
  });
});

describe("examples: one to three per command, and they work as printed", () => {
  test.each(COMMANDS)("`aiorch %s --help` has 1 to 3 examples of that command", (command) => {
    const examples = examplesOf(help([command, "--help"]).stdout);
    expect(examples.length).toBeGreaterThanOrEqual(1);
    expect(examples.length).toBeLessThanOrEqual(3);
    for (const line of examples) expect(line).toContain(`aiorch ${command}`);
  });

  test("the actions' own help: its usage line, its options only, its examples", () => {
    const stats = help(["cache", "stats", "--help"]).stdout;
    expect(stats).toContain("USAGE aiorch cache stats [OPTIONS]\n");
    expect(stats).not.toContain("--older-than");
    expect(examplesOf(stats)).toEqual(["aiorch cache stats", "aiorch cache stats --format json"]);
    const clear = help(["help", "cache", "clear"]).stdout;
    expect(clear).toContain("USAGE aiorch cache clear [OPTIONS]\n");
    expect(clear).toMatch(/^ {2}--older-than <AGE> +Only entries not used for this long/m);
    expect(help(["history", "prune", "--help"]).stdout).toContain("USAGE aiorch history prune [OPTIONS]\n");
    expect(help(["cache", "--help"]).stdout).toContain(
      "More on each action: `aiorch cache stats --help`, `aiorch cache clear --help`.",
    );
  });

  let server: LlmServer;
  beforeAll(async () => {
    server = await startLlmServer({
      answer: () => ({ category: "tools", audience: "makers" }),
      models: ["gpt-4o-mini", "gpt-4o"],
    });
  });
  afterAll(() => server.stop());

  test("every example, run in order in a folder after `aiorch init csv-enrich`: each does what it says, exit 0", async () => {
    const dir = tempDir("help-examples");
    // The LLM server runs in this process: the CLI is started without blocking it.
    const cli = (args: string[]) =>
      aiorch(args, {
        cwd: dir,
        env: { AIORCH_HOME: join(dir, "home"), OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "test-key", COLUMNS: "" },
      });
    expect((await cli(["init", "csv-enrich"])).exitCode).toBe(0);
    writeFileSync(join(dir, "aiorch.yaml"), "llm:\n  timeout: 60s\n");
    // A run that fails, for `resume last`.
    writeFileSync(join(dir, "fails.yaml"), "name: fails\nsteps:\n  no:\n    run: exit 3\n");

    const lines = [...examplesOf(top), ...HELPS.slice(1).flatMap((args) => examplesOf(help(args).stdout))];
    const ran: string[] = [];
    for (const line of lines) {
      // `source <(aiorch completion bash)` → `aiorch completion bash`; `… > dag.md` → its command.
      const command = /aiorch [^|)>]*/.exec(line)![0].trim().split(/\s+/).slice(1);
      if (command[0] === "init" && existsSync(join(dir, `${command[1]}.yaml`))) continue; // written already
      if (command[0] === "resume") expect((await cli(["run", "fails.yaml"])).exitCode).toBe(1);
      if (command[0] === "ui") {
        // It serves until stopped: on a free port, without a browser to open, it must print its link.
        const ui = await startUi({
          cwd: dir,
          env: { AIORCH_HOME: join(dir, "home") },
          args: command.slice(1).filter((a, k, all) => a !== "--open" && a !== "--port" && all[k - 1] !== "--port"),
        });
        await ui.stop();
        ran.push(line);
        continue;
      }
      const r = await cli(command);
      ran.push(line);
      // resume runs the failed step again, and it fails again: a run (exit 1), not a usage mistake.
      expect({ line, exitCode: r.exitCode, stderr: r.stderr.includes("error:") ? r.stderr : "" }).toEqual({
        line,
        exitCode: command[0] === "resume" ? 1 : 0,
        stderr: "",
      });
    }
    expect(ran.length).toBeGreaterThan(30);
    expect(server.stats.modelListRequests).toBeGreaterThan(0); // doctor asked the endpoint
  }, 120_000);
});

describe("an unknown one-letter option says which, exit 2", () => {
  const dir = tempDir("help-short");
  writeFileSync(join(dir, "p.yaml"), "name: p\nsteps:\n  a:\n    run: echo ran\n");

  test("`run -z p.yaml` names -z and the options run has; nothing runs", () => {
    const r = runCli(["run", "-z", "p.yaml"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      "error: unknown option `-z` for `aiorch run`\n  hint: its one-letter options are -c, -h, -i, -q, -v; see `aiorch run --help` for all\n",
    );
    expect(r.stdout).toBe("");
  });

  test("in a group (`-vz`) the unknown letter is named; a wrong case gets the right one", () => {
    expect(runCli(["run", "-vz", "p.yaml"], { cwd: dir }).stderr).toContain(
      "error: unknown option `-z` (in `-vz`) for `aiorch run`",
    );
    expect(runCli(["run", "-I", "n=1", "p.yaml"], { cwd: dir }).stderr).toContain(
      "error: unknown option `-I` for `aiorch run` (did you mean `-i`?)",
    );
    const schema = runCli(["schema", "-q"]);
    expect(schema.exitCode).toBe(2);
    expect(schema.stderr).toContain("hint: its one-letter options are -h; see `aiorch schema --help` for all");
  });
});
