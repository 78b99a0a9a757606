/**
 * `aiorch --help` and `aiorch COMMAND --help`, rendered from citty's command meta and args
 * (citty's own renderer neither wraps nor knows our spellings): wrapped to the terminal
 * without splitting a word, `-i <VALUE>` for one-letter options, usage lines that start with
 * `aiorch`, the EXAMPLES of help-examples.ts, and colour only on a terminal that shows it.
 */
import type { ArgDef, ArgsDef, CommandDef } from "citty";
import { twoColumns, wrapParagraphs } from "../report/text-wrap.ts";
import { ACTION_HELP, COMMAND_EXAMPLES, TOP_LEVEL_EXAMPLES, type HelpExample } from "./help-examples.ts";

/** Help lines never get longer than this, however wide the terminal: longer lines are hard to read. */
export const MAX_HELP_WIDTH = 100;
/** Narrower than this, the layout would only get worse. */
const MIN_HELP_WIDTH = 20;

/** The width help is wrapped to: `COLUMNS` when set, else the terminal's, else 80 (a pipe, a file); at most {@link MAX_HELP_WIDTH}. */
export function helpWidth(
  stream: { isTTY?: boolean; columns?: number },
  env: Record<string, string | undefined>,
): number {
  const fromEnv = Number(env.COLUMNS);
  const width =
    Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : stream.isTTY && stream.columns ? stream.columns : 80;
  return Math.min(MAX_HELP_WIDTH, Math.max(MIN_HELP_WIDTH, width));
}

export interface HelpOptions {
  width: number;
  colour: boolean;
}

/** A command of the top-level list. */
export interface ListedCommand {
  name: string;
  description: string;
}

const heading = (text: string, colour: boolean) => (colour ? `\x1b[1m\x1b[4m${text}\x1b[24m\x1b[22m` : text);

/** `USAGE aiorch run [OPTIONS] [FILE]`, wrapped under itself when long. */
function usageLines(words: string[], options: HelpOptions): string[] {
  const [first = "", ...rest] = wrapParagraphs(words.join(" "), options.width - 6);
  return [`${heading("USAGE", options.colour)} ${first}`, ...rest.map((l) => `      ${l}`)];
}

function examplesLines(examples: readonly HelpExample[], width: number): string[] {
  const lines: string[] = [];
  for (const [i, { says, line }] of examples.entries()) {
    if (i > 0) lines.push("");
    lines.push(...wrapParagraphs(says, width - 2, "  # "));
    // A command line breaks only between words, each break marked with `\` (as a shell reads it).
    const parts = wrapParagraphs(line, width - 2 - 2);
    lines.push(...parts.map((part, k) => `${k === 0 ? "  " : "      "}${part}${k < parts.length - 1 ? " \\" : ""}`));
  }
  return lines;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `-c, --config <FILE>`, `-i <KEY=VALUE>`, `--cache, --no-cache`, `--format <text|json>`. */
function optionLabel(name: string, def: ArgDef): string {
  const aliases = [("alias" in def ? def.alias : undefined) ?? []]
    .flat()
    .map((a) => (a.length === 1 ? `-${a}` : `--${a}`));
  const own = name.length === 1 ? `-${name}` : `--${kebab(name)}`;
  const names = [...aliases, own];
  if (def.type === "boolean" && def.default === true) names.push(`--no-${kebab(name)}`);
  const hint =
    def.type === "enum"
      ? ` <${(def.options ?? []).join("|")}>`
      : def.type === "string"
        ? ` <${def.valueHint ?? kebab(name).toUpperCase()}>`
        : "";
  return names.join(", ") + hint;
}

function optionText(def: ArgDef): string {
  const extra: string[] = [];
  if (def.type === "boolean" && def.default === true) extra.push("(default: on)");
  else if (def.type !== "boolean" && def.default !== undefined && def.default !== "")
    extra.push(`(default: ${String(def.default)})`);
  if (def.type !== "positional" && def.required === true && def.default === undefined) extra.push("(required)");
  return [def.description ?? "", ...extra].filter(Boolean).join(" ");
}

const positionalName = (name: string, def: ArgDef) =>
  "valueHint" in def && def.valueHint ? def.valueHint : name.toUpperCase();
const isRequired = (def: ArgDef) => def.type === "positional" && def.required !== false && def.default === undefined;

/**
 * The help of one command, or of one of its actions (`cache stats`: its own description,
 * options and examples, from help-examples.ts). `variadic`: its positional takes many values.
 */
export function renderCommandHelp(
  program: string,
  name: string,
  command: { meta?: { description?: string }; args: ArgsDef },
  options: HelpOptions & { variadic?: boolean; action?: string },
): string {
  const action = options.action !== undefined ? ACTION_HELP[name]?.[options.action] : undefined;
  const entries = Object.entries(command.args);
  const positionals = action ? [] : entries.filter(([, def]) => def.type === "positional");
  const flags = entries.filter(([key, def]) => def.type !== "positional" && (!action || action.options.includes(key)));
  const width = options.width;
  const usage = [program, name, ...(action ? [options.action!] : []), ...(flags.length ? ["[OPTIONS]"] : [])];
  for (const [key, def] of positionals) {
    const shown = positionalName(key, def);
    usage.push(`${isRequired(def) ? `<${shown}>` : `[${shown}]`}${options.variadic ? "..." : ""}`);
  }
  const lines = [
    ...wrapParagraphs(action?.description ?? command.meta?.description ?? "", width),
    "",
    ...usageLines(usage, options),
  ];
  if (positionals.length) {
    const rows = positionals.map(([key, def]) => ({
      label: positionalName(key, def),
      text: [def.description ?? "", isRequired(def) ? "(required)" : ""].filter(Boolean).join(" "),
    }));
    lines.push("", heading("ARGUMENTS", options.colour), "", ...twoColumns(rows, width));
  }
  // In an action's help, `clear: only entries…` needs no `clear:`.
  const rows = flags.map(([key, def]) => ({
    label: optionLabel(key, def),
    text: action
      ? optionText(def).replace(new RegExp(`^${options.action}: (.)`), (_, c: string) => c.toUpperCase())
      : optionText(def),
  }));
  rows.push({ label: "-h, --help", text: "This help" });
  lines.push("", heading("OPTIONS", options.colour), "", ...twoColumns(rows, width));
  const examples = action?.examples ?? COMMAND_EXAMPLES[name] ?? [];
  if (examples.length) lines.push("", heading("EXAMPLES", options.colour), "", ...examplesLines(examples, width));
  const actions = Object.keys(action ? {} : (ACTION_HELP[name] ?? {}));
  if (actions.length)
    lines.push(
      "",
      ...wrapParagraphs(
        `More on ${actions.length === 1 ? `\`${actions[0]}\`` : "each action"}: ${actions.map((a) => `\`${program} ${name} ${a} --help\``).join(", ")}.`,
        width,
      ),
    );
  return lines.join("\n");
}

/** `aiorch --help`: the commands, each with its description, and a few examples. */
export function renderTopLevelHelp(
  program: string,
  version: string,
  description: string,
  commands: readonly ListedCommand[],
  options: HelpOptions,
): string {
  const width = options.width;
  return [
    ...wrapParagraphs(`${description} (${program} ${version})`, width),
    "",
    ...usageLines([program, "<command>", "[options]"], options),
    "",
    heading("COMMANDS", options.colour),
    "",
    ...twoColumns(
      commands.map((c) => ({ label: c.name, text: c.description })),
      width,
      { maxLabel: 12, minText: 1 },
    ),
    "",
    heading("EXAMPLES", options.colour),
    "",
    ...examplesLines(TOP_LEVEL_EXAMPLES, width),
    "",
    ...wrapParagraphs(`Use \`${program} <command> --help\` for more information about a command.`, width),
  ].join("\n");
}

/** The args of a citty command, resolved (they may be a function or a promise). */
export async function argsOf(command: CommandDef): Promise<ArgsDef> {
  return (typeof command.args === "function" ? await command.args() : await command.args) ?? {};
}
