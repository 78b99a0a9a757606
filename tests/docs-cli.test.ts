/**
 * Keeps the documentation honest about the command line: docs/cli.md has a section for
 * every command, naming every option of it and no other, and every `aiorch COMMAND` written
 * on any page exists with the options it is given there. The commands and options are read
 * from `aiorch --help` and `aiorch COMMAND --help`.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { aiorchCommand, REPO_ROOT } from "./helpers/cli.ts";
import { codeSpans, fencedBlocks, PAGES, read, sections } from "./helpers/markdown.ts";

/** Every place code shows a command line: code-span text and each line of a shell/plain code block. */
function codeLines(text: string): string[] {
  const fromBlocks = fencedBlocks(text)
    .filter((b) => ["", "sh", "bash", "shell", "console", "text"].includes(b.lang))
    .flatMap((b) => b.body.split("\n"));
  return [...codeSpans(text), ...fromBlocks];
}

const FLAG = /(?<![\w$./=-])(--?[a-zA-Z][\w-]*)/g;

/** Options written after `aiorch COMMAND` on one line, up to a pipe, `;`, `&&`, `#` or `)`. */
function commandUses(line: string): { command: string; flags: string[] }[] {
  const uses: { command: string; flags: string[] }[] = [];
  for (const match of line.matchAll(/(?<![\w/.-])aiorch ([a-z][a-z-]*)([^|;&#)]*)/g)) {
    const rest = match[2]!.split(" -- ")[0]!;
    uses.push({ command: match[1]!, flags: [...rest.matchAll(FLAG)].map((m) => normalizeFlag(m[1]!)) });
  }
  return uses;
}

/** `-iname=Ada` is `-i` with its value attached (as the CLI reads it). */
function normalizeFlag(flag: string): string {
  if (/^-i./.test(flag)) return "-i";
  return flag.split("=")[0]!;
}

const GLOBAL_FLAGS = ["--help", "-h", "--version", "-V"];

/** Commands from `aiorch --help`, and each command's options from `aiorch COMMAND --help`. */
const cli: { commands: string[]; flags: Map<string, Set<string>> } = { commands: [], flags: new Map() };

async function helpOf(args: string[]): Promise<string> {
  const child = Bun.spawn([...aiorchCommand(), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const text = await new Response(child.stdout).text();
  expect(await child.exited).toBe(0);
  return text;
}

/** The options in a help text's OPTIONS rows (two spaces in; wrapped text is further in): `-v, --verbose`, `--input <FILE|JSON>`, `--cache, --no-cache`. */
function helpFlags(help: string): Set<string> {
  const flags = new Set(["--help", "-h"]);
  const options = (help.split(/^OPTIONS$/m)[1] ?? "").split(/^EXAMPLES$/m)[0]!;
  for (const line of options.split("\n")) {
    if (!/^ {2}-/.test(line)) continue;
    const names = line.trim().split(/\s{2,}/)[0] ?? "";
    for (const part of names.split(/,\s*/)) {
      const name = /^(--?[a-zA-Z][\w-]*)/.exec(part)?.[1];
      if (!name) continue;
      flags.add(/^--[a-zA-Z]$/.test(name) ? name.slice(1) : name);
    }
  }
  return flags;
}

beforeAll(async () => {
  const top = await helpOf(["--help"]);
  const list = top.split(/^COMMANDS$/m)[1]!.split(/^EXAMPLES$/m)[0]!;
  cli.commands = [...list.matchAll(/^ {2}([a-z][a-z-]*)\s{2,}/gm)].map((m) => m[1]!);
  const helps = await Promise.all(cli.commands.map((c) => helpOf([c, "--help"])));
  cli.commands.forEach((c, i) => cli.flags.set(c, helpFlags(helps[i]!)));
});

describe("docs/cli.md", () => {
  const page = read("docs/cli.md");

  test("the CLI has commands and options to compare with", () => {
    expect(cli.commands).toContain("run");
    expect(cli.flags.get("run")).toContain("--max-cost");
    expect(cli.flags.get("run")).toContain("-i");
  });

  test("has a section for every command, and only for commands", () => {
    const documented = sections(page, 2)
      .map((s) => /^`aiorch ([a-z-]+)`$/.exec(s.heading)?.[1])
      .filter((c): c is string => c !== undefined);
    expect(documented.sort()).toEqual([...cli.commands].sort());
  });

  test("every option named in a command's section is an option of that command", () => {
    const wrong: string[] = [];
    for (const { heading, body } of sections(page, 2)) {
      const command = /^`aiorch ([a-z-]+)`$/.exec(heading)?.[1];
      const known = command
        ? cli.flags.get(command)
        : new Set([...GLOBAL_FLAGS, ...[...cli.flags.values()].flatMap((s) => [...s])]);
      if (!known) continue;
      for (const line of body.split("\n")) {
        if (/unknown option/.test(line)) continue; // examples of a refused option
        for (const m of line.matchAll(FLAG)) {
          const flag = normalizeFlag(m[1]!);
          if (!known.has(flag) && !GLOBAL_FLAGS.includes(flag)) wrong.push(`${heading}: ${flag}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  test("every option of every command is documented in its section", () => {
    const missing: string[] = [];
    for (const { heading, body } of sections(page, 2)) {
      const command = /^`aiorch ([a-z-]+)`$/.exec(heading)?.[1];
      if (!command) continue;
      for (const flag of cli.flags.get(command) ?? []) {
        if (flag === "--help" || flag === "-h") continue;
        // A switch on by default is documented by its --no- form, and the reverse.
        const pair = flag.startsWith("--no-") ? `--${flag.slice(5)}` : `--no-${flag.slice(2)}`;
        const mentioned = (f: string) => new RegExp(`(?<![\\w-])${f.replace(/[-]/g, "\\-")}(?![\\w-])`).test(body);
        if (!mentioned(flag) && !mentioned(pair)) missing.push(`${command}: ${flag}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("commands written in the docs", () => {
  test.each(PAGES)("%s: every `aiorch COMMAND` exists and its options are that command's", (page) => {
    const wrong: string[] = [];
    for (const line of codeLines(read(page))) {
      for (const use of commandUses(line)) {
        if (use.command === "help") continue;
        const known = cli.flags.get(use.command);
        if (!known) {
          wrong.push(`unknown command in: ${line.trim()}`);
          continue;
        }
        for (const flag of use.flags)
          if (!known.has(flag) && !GLOBAL_FLAGS.includes(flag))
            wrong.push(`${flag} is not an option of ${use.command}: ${line.trim()}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
