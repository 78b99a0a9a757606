import { stringifyPyJson } from "../model/py-json.ts";
import { redactText, type Secret } from "../history/redact.ts";
import { terminalText } from "../report/terminal-text.ts";

/** Where the CLI writes. Data goes to stdout; problems and progress to stderr. */
export const useColor = (stream: NodeJS.WriteStream) =>
  !process.env.NO_COLOR &&
  process.env.FORCE_COLOR !== "0" &&
  (Boolean(process.env.FORCE_COLOR) || stream.isTTY === true);

let secrets: readonly Secret[] = [];

/** From now on (`secretsFrom` gives them), every occurrence of these strings in what the CLI prints is shown as `***` (docs/history.md). */
export function maskSecrets(values: readonly Secret[]): void {
  secrets = values;
}

/** `text` with the secrets set by {@link maskSecrets} replaced by `***`. */
export function masked(text: string): string {
  return secrets.length === 0 ? text : redactText(text, secrets);
}

/**
 * What reaches `stream` of `text`: secrets masked, control characters shown escaped
 * (`\x1b[2J`; see report/terminal-text.ts), colour codes kept only if the stream shows
 * colour. Every line the CLI prints goes through here (the live view too).
 */
export function shownOn(stream: NodeJS.WriteStream): (text: string) => string {
  const colour = useColor(stream);
  return (text) => terminalText(masked(text), colour);
}

export function printOut(text: string): void {
  const shown = shownOn(process.stdout)(text);
  process.stdout.write(shown.endsWith("\n") ? shown : `${shown}\n`);
}

export function printErr(text: string): void {
  const shown = shownOn(process.stderr)(text);
  process.stderr.write(shown.endsWith("\n") ? shown : `${shown}\n`);
}

export function printJson(value: unknown): void {
  printOut(stringifyPyJson(value, { indent: 2 }));
}

/** `--format` values accepted by every read command. */
export const FORMAT_ARG = {
  format: {
    type: "enum" as const,
    options: ["text", "json"],
    default: "text",
    description: "Output format: text or json",
  },
};

/** The FILE argument of the commands that read a pipeline: optional, as in the Python aiorch (src/load/pipeline-file.ts). */
export const PIPELINE_ARG = {
  file: {
    type: "positional" as const,
    required: false as const,
    description:
      "Pipeline file; without one, the first of Aiorch, Aiorch.yaml, Aiorch.yml, aiorch.yaml, aiorch.yml (these two only with steps) in the current folder",
    valueHint: "FILE",
  },
};
