/**
 * What a shell completion script completes, as plain data built from the command table
 * (`cli/completion.ts`); one renderer per shell turns it into a script.
 */

/** What a value (of a flag or a positional) completes to. */
export type ValueKind =
  /** Pipeline files: `*.yaml`, `*.yml` and folders. */
  | { kind: "yaml" }
  /** Any file. */
  | { kind: "file" }
  /** One of these words; `descriptions[i]`, when given, describes `words[i]`. */
  | { kind: "words"; words: string[]; descriptions?: string[] }
  /**
   * Step names of the pipeline on the command line (its first argument; none: the pipeline
   * of the current folder), asked of `PROGRAM __complete steps FILE` at each TAB.
   */
  | { kind: "steps" }
  /** Run ids of the history, newest first (`PROGRAM __complete runs`), then these words (`last`, `prune`). */
  | { kind: "runs"; words: string[] }
  /** Free text: nothing to suggest. */
  | { kind: "none" };

export interface CompletionFlag {
  /** `--format`, then its aliases (`-v`). */
  names: string[];
  description: string;
  /** Undefined for a switch; what its value completes to otherwise. */
  value?: ValueKind;
  /** May be given more than once (`-i`). */
  repeatable: boolean;
  /** What the value is called in help (`KEY=VALUE`, `FILE`). */
  placeholder?: string;
}

export interface CompletionPositional {
  name: string;
  description: string;
  value: ValueKind;
}

export interface CompletionCommand {
  name: string;
  description: string;
  flags: CompletionFlag[];
  positionals: CompletionPositional[];
}

export interface CompletionSpec {
  program: string;
  commands: CompletionCommand[];
}

/**
 * The first sentence of `text` (ended by `.` or `;` and a space, outside parentheses),
 * at most `max` characters, on one line.
 */
export function shortDescription(text: string, max = 72): string {
  const line = text.replace(/\s+/g, " ").trim();
  let depth = 0;
  let end = line.length;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (
      depth === 0 &&
      ".;".includes(c) &&
      (i === line.length - 1 || line[i + 1] === " ") &&
      !/\b(e\.g|i\.e|etc)$/.test(line.slice(0, i))
    ) {
      end = i;
      break;
    }
  }
  const sentence = line.slice(0, end);
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1).trimEnd()}…`;
}

/** `text` as one single-quoted POSIX shell word. */
export const singleQuoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** A flag's long name first, e.g. for the shells that want one name per line. */
export const longName = (flag: CompletionFlag) => flag.names.find((n) => n.startsWith("--"));
export const shortNames = (flag: CompletionFlag) => flag.names.filter((n) => /^-[^-]$/.test(n));
