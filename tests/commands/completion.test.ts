/**
 * `aiorch completion bash|zsh|fish`: the scripts are valid for their shell, list every
 * command of the command table with its options, and (bash always; fish when installed)
 * really complete: the completion function is called the way the shell calls it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TEMPLATES } from "../../src/init/templates.ts";
import { runCli, tempDir as newTempDir } from "../helpers/cli.ts";

const made: string[] = [];
const tempDir = (label: string) => {
  const d = newTempDir(label);
  made.push(d);
  return d;
};

const scripts: Record<string, string> = {};
let commands: string[] = [];
let dir: string;

beforeAll(() => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = runCli(["completion", shell]);
    expect({ shell, code: r.exitCode, stderr: r.stderr }).toEqual({ shell, code: 0, stderr: "" });
    scripts[shell] = r.stdout;
  }
  // The command table, as `aiorch --help` lists it.
  const help = runCli(["--help"]).stdout;
  commands = help
    .slice(help.indexOf("COMMANDS"))
    .split("\n")
    .map((l) => /^ {2}(\S+) {2}/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined);
  dir = tempDir("completion-files");
  mkdirSync(join(dir, "pipelines"));
  for (const f of ["deploy.yaml", "daily.yml", "notes.txt", "pipelines/nightly.yaml"]) writeFileSync(join(dir, f), "");
  writeFileSync(join(dir, "aiorch.bash"), scripts.bash!);
});

afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

const has = (shell: string) => Bun.which(shell) !== null;

/** Syntax check with the shell itself (`-n`: parse, run nothing). */
function syntaxCheck(shell: string): { code: number; stderr: string } {
  const file = join(tempDir(`syntax-${shell}`), `aiorch.${shell}`);
  writeFileSync(file, scripts[shell]!);
  const r = Bun.spawnSync([shell, "-n", file], { stderr: "pipe" });
  return { code: r.exitCode ?? -1, stderr: r.stderr.toString() };
}

/** What bash's completion function offers for the words of a command line (the last one being completed). */
function bashComplete(...words: string[]): string[] {
  const script = [
    "source aiorch.bash",
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})`,
    "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))",
    "_aiorch",
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join("\n");
  const r = Bun.spawnSync(["bash", "-c", script], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  expect(r.stderr.toString()).toBe("");
  return r.stdout.toString().split("\n").filter(Boolean).sort();
}

describe("aiorch completion bash", () => {
  test("is valid bash", () => {
    expect(syntaxCheck("bash")).toEqual({ code: 0, stderr: "" });
  });

  test("completes command names", () => {
    expect(bashComplete("aiorch", "ru")).toEqual(["run"]);
    expect(bashComplete("aiorch", "c")).toEqual(["cache", "completion", "cost"]);
    expect(bashComplete("aiorch", "")).toEqual([...commands, "--help", "--version"].sort());
  });

  test("completes the options of the command being typed", () => {
    expect(bashComplete("aiorch", "run", "--con")).toEqual(["--concurrency", "--config"]);
    expect(bashComplete("aiorch", "run", "--no-")).toEqual(["--no-cache", "--no-history"]);
    expect(bashComplete("aiorch", "init", "--")).toEqual([
      "--force",
      "--format",
      "--help",
      "--list",
      "--output",
      "--template",
    ]);
    expect(bashComplete("aiorch", "validate", "--con")).toEqual(["--config"]);
  });

  test("completes option values: enum options and files", () => {
    expect(bashComplete("aiorch", "run", "x.yaml", "--format", "")).toEqual(["json", "text"]);
    expect(bashComplete("aiorch", "history", "--status", "c")).toEqual(["cancelled", "crashed"]);
    expect(bashComplete("aiorch", "run", "--config", "no")).toEqual(["notes.txt"]);
  });

  test("completes pipeline files (and folders) for FILE, skipping other files", () => {
    expect(bashComplete("aiorch", "run", "")).toEqual(["daily.yml", "deploy.yaml", "pipelines"]);
    expect(bashComplete("aiorch", "validate", "pipelines/")).toEqual(["pipelines/nightly.yaml"]);
    // after -i KEY=VALUE (an option that takes a value) the FILE is still the first positional
    expect(bashComplete("aiorch", "run", "-i", "name=Ada", "de")).toEqual(["deploy.yaml"]);
    // the second positional of explain is a step name: nothing from the file list
    expect(bashComplete("aiorch", "explain", "deploy.yaml", "")).toEqual([]);
  });

  test("completes template names for init, actions for cache, shells for completion", () => {
    expect(bashComplete("aiorch", "init", "")).toEqual(TEMPLATES.map((t) => t.name).sort());
    expect(bashComplete("aiorch", "init", "c")).toEqual(["ci-check", "classify-branch", "csv-enrich"]);
    expect(bashComplete("aiorch", "cache", "")).toEqual(["clear", "stats"]);
    expect(bashComplete("aiorch", "completion", "")).toEqual(["bash", "fish", "zsh"]);
  });

  test("registers itself for aiorch and falls back to file names where it has nothing", () => {
    expect(scripts.bash).toContain("complete -o default -F _aiorch aiorch");
  });
});

describe("aiorch completion zsh", () => {
  test.if(has("zsh"))("is valid zsh (zsh -n)", () => {
    expect(syntaxCheck("zsh")).toEqual({ code: 0, stderr: "" });
  });

  test("is a #compdef function with every command, its options and completers", () => {
    const zsh = scripts.zsh!;
    expect(zsh.startsWith("#compdef aiorch\n")).toBe(true);
    for (const command of commands) {
      expect(zsh).toContain(`'${command}:`);
      expect(zsh).toContain(`    (${command})\n      _arguments`);
    }
    expect(zsh).toContain("'--format=[Output format: text or json]:value:(text json)'".replace(": text", "\\: text"));
    expect(zsh).toContain("'*-i+[");
    expect(zsh).toContain("_files -g '\\''*.(yaml|yml)(-.)'\\''");
    expect(zsh).toContain("((hello\\:A\\ first\\ pipeline");
    expect(zsh).toContain("compdef _aiorch aiorch");
  });
});

describe("aiorch completion fish", () => {
  test.if(has("fish"))("is valid fish (fish -n)", () => {
    expect(syntaxCheck("fish")).toEqual({ code: 0, stderr: "" });
  });

  test("has a complete line per command and per option", () => {
    const fish = scripts.fish!;
    for (const command of commands)
      expect(fish).toContain(`complete -c aiorch -n __fish_use_subcommand -a ${command} -d `);
    expect(fish).toContain("complete -c aiorch -n '__fish_seen_subcommand_from run' -l concurrency -x");
    expect(fish).toContain("complete -c aiorch -n '__fish_seen_subcommand_from run' -l format -x -a 'text json'");
    expect(fish).toContain("complete -c aiorch -n '__fish_seen_subcommand_from run' -l verbose -s v -d ");
  });

  test.if(has("fish"))("really completes (complete -C)", () => {
    const ask = (line: string) => {
      const r = Bun.spawnSync(
        [
          "fish",
          "--no-config",
          "-c",
          `source ${JSON.stringify(join(dir, "aiorch.fish"))}; complete -C ${JSON.stringify(line)}`,
        ],
        { cwd: dir, stdout: "pipe", stderr: "pipe" },
      );
      expect(r.stderr.toString()).toBe("");
      return r.stdout
        .toString()
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t")[0]!)
        .sort();
    };
    writeFileSync(join(dir, "aiorch.fish"), scripts.fish!);
    expect(ask("aiorch ru")).toEqual(["run"]);
    expect(ask("aiorch run --con")).toEqual(["--concurrency", "--config"]);
    expect(ask("aiorch run ")).toEqual(["daily.yml", "deploy.yaml", "pipelines/"]);
    expect(ask("aiorch init c")).toEqual(["ci-check", "classify-branch", "csv-enrich"]);
  });
});

describe("aiorch completion: usage errors", () => {
  test("an unknown shell is refused with a suggestion", () => {
    const r = runCli(["completion", "bsh"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: no completion for the shell `bsh` (did you mean `bash`?)");
    expect(r.stderr).toContain("hint: use `aiorch completion bash`");
    expect(r.stderr).not.toContain("    at ");
  });

  test("no shell: exit 2 saying which ones exist", () => {
    const r = runCli(["completion"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("which shell?");
    expect(r.stderr).toContain("aiorch completion zsh");
  });
});
