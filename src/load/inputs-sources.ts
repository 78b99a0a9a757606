import { extname } from "node:path";
import { YAMLParseError } from "yaml";
import { FileValueError, readRawFile, yamlMessage } from "./file-value.ts";
import { JsonSyntaxError, parseJson } from "./file-value-json.ts";
import { parseYamlExact } from "./yaml-exact.ts";

/** A value given for an input on the command line, and where it came from (for messages). */
export interface GivenValue {
  value: unknown;
  /** `-i times=abc`, `--input`, `--input values.json`. */
  source: string;
  /** Set for `-i KEY=@path`: the file to read (`value` is then the path too). */
  filePath?: string;
}

/** Where a `-i` pair is quoted in messages: the pair as written, cut when long. */
function sourceOf(pair: string): string {
  return `-i ${pair.length > 60 ? `${pair.slice(0, 57)}…` : pair}`;
}

/**
 * Reads the `-i` pairs: `KEY=VALUE` (the value is a string, possibly empty), `KEY=@path`
 * (a file to read), `KEY=@@text` (the literal text `@text`). A repeated key: the last wins.
 * Malformed pairs are added to `problems`.
 */
export function parsePairs(pairs: readonly string[], problems: string[]): Map<string, GivenValue> {
  const given = new Map<string, GivenValue>();
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const key = eq < 0 ? "" : pair.slice(0, eq).trim();
    if (key === "") {
      problems.push(
        `-i takes KEY=VALUE, got ${JSON.stringify(pair)} (for example -i name=Ada, or -i data=@rows.csv for a file)`,
      );
      continue;
    }
    const raw = pair.slice(eq + 1);
    const source = sourceOf(pair);
    given.delete(key); // so that iteration order follows the winning pair
    if (raw.startsWith("@@")) given.set(key, { value: raw.slice(1), source });
    else if (raw.startsWith("@")) {
      if (raw.length === 1) {
        problems.push(`-i ${key}=@ names no file: write -i ${key}=@path/to/file (or -i ${key}=@@ for the text "@")`);
        continue;
      }
      given.set(key, { value: raw.slice(1), source, filePath: raw.slice(1) });
    } else given.set(key, { value: raw, source });
  }
  return given;
}

/**
 * Reads `--input`: inline JSON when it starts with `{` (or `[`, to say that a list is not
 * accepted), else a file path relative to `cwd` parsed by extension (.json → JSON,
 * .yaml/.yml → YAML, anything else as YAML, which also reads JSON). The document must be a
 * mapping of input names to values; a `null` value is given: the input is None (as in
 * Python), not its default. An empty file gives
 * no values. Problems are added to `problems`.
 */
export async function readInputOption(
  input: string | undefined,
  cwd: string,
  problems: string[],
): Promise<Map<string, GivenValue>> {
  const given = new Map<string, GivenValue>();
  if (input === undefined) return given;
  const inline = /^\s*[{[]/.test(input);
  const source = inline ? "--input" : `--input ${input}`;
  let document: unknown;
  try {
    document = inline ? parseJson(input) : await readInputFile(input, cwd);
  } catch (error) {
    problems.push(describeFailure(error, input, inline, cwd));
    return given;
  }
  if (document === null || document === undefined) return given;
  if (typeof document !== "object" || Array.isArray(document)) {
    const kind = Array.isArray(document) ? "a list" : `${typeof document} ${JSON.stringify(document)}`;
    problems.push(`${source} must be a mapping of input names to values (like {"name": "Ada"}), got ${kind}`);
    return given;
  }
  for (const [key, value] of Object.entries(document)) {
    given.set(key, { value, source });
  }
  return given;
}

async function readInputFile(path: string, cwd: string): Promise<unknown> {
  const raw = await readRawFile(path, cwd);
  if (raw.text === undefined)
    throw new FileValueError(path, "not-text", `--input ${path} is not a text file: give a .json or .yaml file`);
  return extname(path).toLowerCase() === ".json" ? parseJson(raw.text) : parseYamlExact(raw.text);
}

function describeFailure(error: unknown, input: string, inline: boolean, cwd: string): string {
  const where = inline ? "--input" : `--input ${input}`;
  if (error instanceof JsonSyntaxError) {
    return `${where}: ${error.message}${inline ? ' (inline --input must be a JSON object, like \'{"name": "Ada"}\')' : ""}`;
  }
  if (error instanceof YAMLParseError) return `${where}: ${yamlMessage(error)}`;
  if (error instanceof FileValueError) {
    if (error.problem === "not-found") {
      return `--input file not found: ${input} (give a .json or .yaml file, relative to ${cwd}, or inline JSON starting with {)`;
    }
    return error.message.startsWith("--input") ? error.message : `--input: ${error.message}`;
  }
  throw error;
}
