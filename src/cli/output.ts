/** Where the CLI writes. Data goes to stdout; problems and progress to stderr. */
export const useColor = (stream: NodeJS.WriteStream) =>
  !process.env.NO_COLOR && process.env.FORCE_COLOR !== "0" && (Boolean(process.env.FORCE_COLOR) || stream.isTTY === true);

export function printOut(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printErr(text: string): void {
  process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  printOut(JSON.stringify(value, null, 2));
}

/** `--format` values accepted by every read command. */
export const FORMAT_ARG = {
  format: { type: "enum" as const, options: ["text", "json"], default: "text", description: "Output format: text or json" },
};
