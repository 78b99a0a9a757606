import { defineCommand, type ArgDef, type ArgsDef } from "citty";
import { didYouMean } from "../errors/did-you-mean.ts";
import { UserError } from "../errors/user-error.ts";
import { TEMPLATES } from "../init/templates.ts";
import { renderBash } from "../report/completion-bash.ts";
import { renderFish } from "../report/completion-fish.ts";
import {
  shortDescription,
  type CompletionCommand,
  type CompletionFlag,
  type CompletionSpec,
  type ValueKind,
} from "../report/completion-spec.ts";
import { renderZsh } from "../report/completion-zsh.ts";
import type { Program } from "./dispatch.ts";
import { printOut } from "./output.ts";

const SHELLS = { bash: renderBash, zsh: renderZsh, fish: renderFish } as const;
type Shell = keyof typeof SHELLS;

/** Literal words of a value hint: `RUN_ID|prune` → [prune]; upper-case words are placeholders. */
const hintWords = (hint: string | undefined) => (hint ?? "").split("|").filter((w) => /^[a-z][a-z0-9-]*$/.test(w));

/**
 * Words a description lists as the only values: the whole description `a, b or c` (cache's
 * `stats or clear`), or a list ending it after a colon (`…status: running, success, failed`).
 */
function describedWords(description: string | undefined): string[] {
  const text = description ?? "";
  const list =
    /^([a-z][a-z-]*(?:, [a-z][a-z-]*)* or [a-z][a-z-]*)$/.exec(text)?.[1] ??
    /: ([a-z][a-z-]*(?:, [a-z][a-z-]*)+)$/.exec(text)?.[1];
  return list ? list.split(/, | or /) : [];
}

/** The template names, with their descriptions: what a TEMPLATE value completes to. */
const templateWords = (): ValueKind => ({
  kind: "words",
  words: TEMPLATES.map((t) => t.name),
  descriptions: TEMPLATES.map((t) => shortDescription(t.description, 60)),
});

/** Options and positionals that take a step name (`run --step/--from`, `explain FILE STEP`). */
const isStepArg = (name: string, def: ArgDef) => name === "step" || name === "from" || def.valueHint === "STEP";

/** Run ids from the history, then `last` and the literal words of the hint (`RUN_ID|prune` → prune). */
const runWords = (def: ArgDef): ValueKind => ({ kind: "runs", words: ["last", ...hintWords(def.valueHint)] });

/** What a positional completes to, by its name and hint: pipelines for FILE, templates for `init`, steps, run ids. */
function positionalValue(name: string, def: ArgDef): ValueKind {
  if (name === "template" || def.valueHint === "TEMPLATE") return templateWords();
  if (isStepArg(name, def)) return { kind: "steps" };
  if (name === "run_id" || /RUN_ID/.test(def.valueHint ?? "")) return runWords(def);
  if (name === "file" || /FILE/.test(def.valueHint ?? "")) return { kind: "yaml" };
  const words = hintWords(def.valueHint);
  if (words.length) return { kind: "words", words };
  const described = describedWords(def.description);
  return described.length ? { kind: "words", words: described } : { kind: "none" };
}

function flagValue(name: string, def: ArgDef): ValueKind | undefined {
  if (def.type === "enum") return { kind: "words", words: def.options ?? [] };
  if (def.type !== "string") return undefined;
  if (isStepArg(name, def)) return { kind: "steps" };
  if (/RUN_ID/.test(def.valueHint ?? "")) return runWords(def);
  if (def.valueHint === "TEMPLATE") return templateWords();
  if (/FILE|DIR/.test(def.valueHint ?? "")) return { kind: "file" };
  const words = hintWords(def.valueHint).concat(describedWords(def.description));
  return words.length ? { kind: "words", words } : { kind: "none" };
}

function flagOf(name: string, def: ArgDef): CompletionFlag {
  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  // A switch that is on by default is only ever typed as --no-NAME.
  const primary =
    name.length === 1 ? `-${name}` : def.type === "boolean" && def.default === true ? `--no-${kebab}` : `--${kebab}`;
  const aliases =
    "alias" in def && def.alias !== undefined
      ? [def.alias].flat().map((a) => (a.length === 1 ? `-${a}` : `--${a}`))
      : [];
  const value = flagValue(name, def);
  return {
    names: [primary, ...aliases],
    description: flagDescription(primary, def),
    ...(value ? { value } : {}),
    repeatable: /\brepeatable\b/.test(def.description ?? ""),
    ...(def.valueHint ? { placeholder: def.valueHint } : {}),
  };
}

/** For `--no-NAME`: its own words, taken from `(--no-NAME…: what it does)` in the description. */
function flagDescription(primary: string, def: ArgDef): string {
  const description = def.description ?? "";
  if (!primary.startsWith("--no-")) return shortDescription(description);
  if ("negativeDescription" in def && def.negativeDescription) return shortDescription(def.negativeDescription);
  const own = new RegExp(`\\(${primary}[^:)]*: ([^)]+)\\)`).exec(description)?.[1];
  return own
    ? shortDescription(own.charAt(0).toUpperCase() + own.slice(1))
    : `Turn off: ${shortDescription(description)}`;
}

async function commandSpec(
  name: string,
  description: string,
  entry: Program["commands"][string],
): Promise<CompletionCommand> {
  const command = await entry.load();
  const args: ArgsDef = (typeof command.args === "function" ? await command.args() : await command.args) ?? {};
  const entries = Object.entries(args);
  return {
    name,
    description: shortDescription(description),
    flags: entries.filter(([, def]) => def.type !== "positional").map(([n, def]) => flagOf(n, def)),
    positionals: entries
      .filter(([, def]) => def.type === "positional")
      .map(([n, def]) => ({
        name: n,
        description: shortDescription((def.description ?? n).split(": ")[0]!, 40),
        value: positionalValue(n, def),
      })),
  };
}

/** The completion spec of the whole command table (every command is loaded, once). */
export async function completionSpec(program: Program): Promise<CompletionSpec> {
  const commands = await Promise.all(
    Object.entries(program.commands)
      .filter(([, entry]) => !entry.hidden)
      .map(([name, entry]) => commandSpec(name, entry.description, entry)),
  );
  return { program: program.name, commands };
}

/** `aiorch completion bash|zsh|fish`, for the command table it is given (main.ts passes its own). */
export function completionCommandFor(program: Program) {
  return defineCommand({
    meta: {
      name: "completion",
      description:
        "Print a completion script for bash, zsh or fish: commands, options per command, pipeline files, template names, step names (--step, --from, explain) and run ids (trace, resume, history, run --reuse). bash: `source <(aiorch completion bash)`; zsh: `source <(aiorch completion zsh)`; fish: `aiorch completion fish | source`.",
    },
    args: {
      shell: { type: "positional", required: false, description: "bash, zsh or fish", valueHint: "bash|zsh|fish" },
    },
    async run({ args }) {
      const shell = args.shell === undefined ? undefined : String(args.shell);
      if (shell === undefined || !(shell in SHELLS)) {
        const what =
          shell === undefined
            ? "which shell?"
            : `no completion for the shell \`${shell}\`${didYouMean(shell, Object.keys(SHELLS))}`;
        throw new UserError(what, {
          hint: "use `aiorch completion bash`, `aiorch completion zsh` or `aiorch completion fish`",
        });
      }
      printOut(SHELLS[shell as Shell](await completionSpec(program)));
    },
  });
}
