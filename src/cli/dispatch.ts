import { runCommand, type ArgsDef, type CommandDef } from "citty";
import { didYouMean } from "../errors/did-you-mean.ts";
import { ExitCode, UserError } from "../errors/user-error.ts";
import { reportInternalError, reportUsageError, reportUserError, wantsJson } from "./failure-report.ts";
import { printOut, useColor } from "./output.ts";
import { reportPythonImports } from "./python-import-notice.ts";

/** A command with its own args type; citty's own SubCommandsDef erases it the same way. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: the table holds commands whose args differ; citty types each by its own
type AnyCommand = CommandDef<any>;
type Loader = () => Promise<AnyCommand>;

export interface Program {
  name: string;
  version: string;
  description: string;
  /** `hidden`: accepted, but not listed in the help or the completions (the Python aiorch's server commands). */
  commands: Record<string, { description: string; load: Loader; hidden?: boolean }>;
}

/** Flags a command declares, with their aliases, as they may appear on the command line. */
function knownFlags(args: ArgsDef): Set<string> {
  const flags = new Set(["--help", "-h"]);
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    // citty shows a one-letter option as `--i` in its help: both spellings work.
    if (name.length === 1) flags.add(`-${name}`).add(`--${name}`);
    else flags.add(`--${name}`).add(`--${kebab}`);
    if (def.type === "boolean") flags.add(`--no-${name}`).add(`--no-${kebab}`);
    for (const alias of [("alias" in def ? def.alias : undefined) ?? []].flat())
      flags.add(alias.length === 1 ? `-${alias}` : `--${alias}`);
  }
  return flags;
}

/**
 * A one-letter option the command does not have: named (the letter itself when it came in a
 * group such as `-zq`), with the command's own one-letter options and `--help`. A long
 * option gets the closest match.
 */
function unknownOption(command: string, flag: string, known: Set<string>): UserError {
  const shorts = [...known].filter((f) => /^-[a-zA-Z]$/.test(f)).sort();
  const group = /^-[a-zA-Z]{2,}$/.test(flag) ? flag : undefined;
  const single = group ? `-${[...group.slice(1)].find((c) => !known.has(`-${c}`))}` : flag;
  if (!/^-[a-zA-Z]$/.test(single)) {
    return new UserError(`unknown option \`${flag}\` for \`aiorch ${command}\`${didYouMean(flag, known)}`, {
      hint: `see \`aiorch ${command} --help\``,
    });
  }
  const sameLetter = shorts.find((s) => s.toLowerCase() === single.toLowerCase());
  const where = group ? ` (in \`${group}\`)` : "";
  return new UserError(
    `unknown option \`${single}\`${where} for \`aiorch ${command}\`${sameLetter ? ` (did you mean \`${sameLetter}\`?)` : ""}`,
    {
      hint: `its one-letter options are ${shorts.join(", ")}; see \`aiorch ${command} --help\` for all`,
    },
  );
}

function checkFlags(command: string, args: ArgsDef, rawArgs: string[]): void {
  const known = knownFlags(args);
  const takesValue = valueFlags(args);
  for (let i = 0; i < rawArgs.length; i++) {
    const raw = rawArgs[i]!;
    if (raw === "--") break;
    if (!raw.startsWith("-") || raw === "-") continue;
    const flag = raw.split("=")[0]!;
    // `--limit -5`: the word after an option that takes a value is that value (its own check judges it).
    if (takesValue.has(raw)) {
      i++;
      continue;
    }
    if (known.has(flag) || /^-i./.test(flag)) continue;
    if (/^-[a-zA-Z]{2,}$/.test(flag) && [...flag.slice(1)].every((c) => known.has(`-${c}`))) continue;
    throw unknownOption(command, flag, known);
  }
}

/** The spellings of the options that take a value (`--limit 5`): the word after them is that value. */
function valueFlags(args: ArgsDef): Set<string> {
  const takesValue = new Set<string>();
  for (const [name, def] of Object.entries(args)) {
    if (def.type !== "string" && def.type !== "enum") continue;
    const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    for (const flag of name.length === 1 ? [`-${name}`, `--${name}`] : [`--${name}`, `--${kebab}`])
      takesValue.add(flag);
    for (const alias of [("alias" in def ? def.alias : undefined) ?? []].flat())
      takesValue.add(alias.length === 1 ? `-${alias}` : `--${alias}`);
  }
  return takesValue;
}

/** Commands that take any number of positional arguments (`validate a.yaml b.yaml`). */
const VARIADIC = new Set(["validate"]);

/**
 * An argument the command has no place for is a mistake, never ignored: `aiorch run p.yaml
 * n=5` (a forgotten `-i`) would otherwise run with the default `n`.
 */
function checkPositionals(command: string, args: ArgsDef, rawArgs: string[]): void {
  if (VARIADIC.has(command)) return;
  const places = Object.values(args).filter((def) => def.type === "positional").length;
  const takesValue = valueFlags(args);
  const positionals: string[] = [];
  for (let k = 0; k < rawArgs.length; k++) {
    const raw = rawArgs[k]!;
    if (raw === "--") {
      positionals.push(...rawArgs.slice(k + 1));
      break;
    }
    if (raw.startsWith("-") && raw !== "-") {
      if (!raw.includes("=") && takesValue.has(raw) && !/^-i./.test(raw)) k++;
      continue;
    }
    positionals.push(raw);
  }
  const extra = positionals[places];
  if (extra === undefined) return;
  const input = /^[A-Za-z_][\w.-]*=/.exec(extra);
  if (input && (command === "run" || command === "plan" || command === "cost")) {
    throw new UserError(`unexpected argument \`${extra}\` for \`aiorch ${command}\`: inputs are given with -i`, {
      hint: `write \`-i ${extra}\``,
    });
  }
  throw new UserError(`unexpected argument \`${extra}\` for \`aiorch ${command}\``, {
    hint: `see \`aiorch ${command} --help\` for what it takes`,
  });
}

/** The first word of `rawArgs` that is not an option or an option's value: `stats` in `cache stats --help`. */
function firstPositional(args: ArgsDef, rawArgs: string[]): string | undefined {
  const takesValue = valueFlags(args);
  for (let k = 0; k < rawArgs.length; k++) {
    const raw = rawArgs[k]!;
    if (raw === "--") return rawArgs[k + 1];
    if (!raw.startsWith("-") || raw === "-") return raw;
    if (!raw.includes("=") && takesValue.has(raw) && !/^-i./.test(raw)) k++;
  }
  return undefined;
}

/**
 * A command's help (or, for `cache stats --help`, its action's), wrapped to the width of
 * stdout, coloured only when stdout shows colour. The renderer loads only when asked.
 */
async function commandHelp(
  program: Program,
  name: string,
  command: CommandDef,
  rawArgs: string[] = [],
): Promise<string> {
  const { renderCommandHelp, helpWidth, argsOf } = await import("./help-text.ts");
  const { ACTION_HELP } = await import("./help-examples.ts");
  const args = await argsOf(command);
  const meta = await (typeof command.meta === "function" ? command.meta() : command.meta);
  const asked = firstPositional(args, rawArgs);
  const action = asked !== undefined && ACTION_HELP[name]?.[asked] ? asked : undefined;
  return renderCommandHelp(
    program.name,
    name,
    { meta: { description: meta?.description ?? "" }, args },
    {
      width: helpWidth(process.stdout, process.env),
      colour: useColor(process.stdout),
      variadic: VARIADIC.has(name),
      ...(action ? { action } : {}),
    },
  );
}

async function topLevelHelp(program: Program): Promise<string> {
  const { renderTopLevelHelp, helpWidth } = await import("./help-text.ts");
  const listed = Object.entries(program.commands)
    .filter(([, c]) => !c.hidden)
    .map(([name, c]) => ({ name, description: c.description }));
  return renderTopLevelHelp(program.name, program.version, program.description, listed, {
    width: helpWidth(process.stdout, process.env),
    colour: useColor(process.stdout),
  });
}

/**
 * Runs the program for argv and returns the exit code. The only place that turns errors
 * into exit codes: user mistakes → their message and 2, engine bugs → 70 and a request
 * to report (stack trace only with AIORCH_DEBUG=1).
 */
export async function dispatch(program: Program, argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  reportPythonImports();
  try {
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      const asked = first === "help" ? rest[0] : undefined;
      if (asked !== undefined && !program.commands[asked]) {
        throw new UserError(`unknown command \`${asked}\`${didYouMean(asked, Object.keys(program.commands))}`, {
          hint: `run \`${program.name} --help\` for the list of commands`,
        });
      }
      const sub = asked !== undefined ? program.commands[asked] : undefined;
      printOut(
        sub && asked !== undefined
          ? await commandHelp(program, asked, await sub.load(), rest.slice(1))
          : await topLevelHelp(program),
      );
      return ExitCode.ok;
    }
    if (first === "--version" || first === "-V") {
      printOut(program.version);
      return ExitCode.ok;
    }
    const entry = program.commands[first];
    if (!entry) {
      const what = first.startsWith("-") ? `unknown option \`${first}\`` : `unknown command \`${first}\``;
      throw new UserError(`${what}${didYouMean(first, Object.keys(program.commands))}`, {
        hint: `run \`${program.name} --help\` for the list of commands`,
      });
    }
    const command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      printOut(await commandHelp(program, first, command, rest));
      return ExitCode.ok;
    }
    const args = (typeof command.args === "function" ? await command.args() : await command.args) ?? {};
    checkFlags(first, args, rest);
    checkPositionals(first, args, rest);
    const { result } = await runCommand(command, { rawArgs: rest });
    return typeof result === "number" ? result : ExitCode.ok;
  } catch (error) {
    return reportError(program, first ?? "", error, wantsJson(first ?? "", rest));
  }
}

/** The one place a failure becomes an exit code: see failure-report.ts for what is printed. */
function reportError(program: Program, command: string, error: unknown, json: boolean): number {
  if (error instanceof UserError) return reportUserError(error, json);
  if (error instanceof Error && error.name === "CLIError") {
    return reportUsageError(
      error.message.replace(/\x1b\[[0-9;]*m/g, ""),
      `see \`${program.name} ${command} --help\``,
      json,
    );
  }
  return reportInternalError(error, json);
}
