import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { extname, isAbsolute, resolve } from "node:path";
import { YAMLParseError } from "yaml";
import type { InputFormat } from "../model/pipeline.ts";
import { CsvError, parseCsv } from "./csv.ts";
import { JsonSyntaxError, parseJson } from "./file-value-json.ts";
import { parseYamlExact } from "./yaml-exact.ts";

/** Why a file gave no value. */
export type FileProblem = "no-path" | "not-found" | "folder" | "unreadable" | "too-large" | "not-text" | "syntax";

/** A file that could not be read or parsed; the message names the file as it was written. */
export class FileValueError extends Error {
  readonly path: string;
  readonly problem: FileProblem;
  constructor(path: string, problem: FileProblem, message: string) {
    super(message);
    this.name = "FileValueError";
    this.path = path;
    this.problem = problem;
  }
}

/** A file's bytes, and its text when it is UTF-8 text (no NUL bytes; a leading BOM dropped). */
export interface RawFile {
  /** The path as written. */
  path: string;
  absolute: string;
  bytes: Uint8Array;
  text: string | undefined;
}

/** Where a path points: `~/` is the home folder; relative paths are relative to `cwd`. */
export function resolvePath(path: string, cwd: string): string {
  if (path === "~" || path.startsWith("~/")) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(cwd, path);
}

const MIB = 1024 * 1024;

/**
 * Reads a file. `maxMib` (an input's `max_size_mb`) refuses a bigger file before reading it.
 * @throws FileValueError when it is missing, a folder, unreadable or too big.
 */
export async function readRawFile(path: string, cwd: string = process.cwd(), maxMib?: number): Promise<RawFile> {
  if (path.trim() === "") throw new FileValueError(path, "no-path", "the file path is empty");
  const absolute = resolvePath(path, cwd);
  let bytes: Uint8Array;
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) throw new FileValueError(path, "folder", `${path} is a folder, not a file`);
    if (maxMib !== undefined && info.size > maxMib * MIB) {
      const size = `${(info.size / MIB).toFixed(info.size < 10 * MIB ? 2 : 1)} MiB`;
      throw new FileValueError(
        path,
        "too-large",
        `file ${path} is ${size}, more than its max_size_mb of ${maxMib} (raise max_size_mb, or give a smaller file)`,
      );
    }
    bytes = new Uint8Array(await readFile(absolute));
  } catch (error) {
    if (error instanceof FileValueError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new FileValueError(
        path,
        "not-found",
        `file ${path} not found${absolute === path ? "" : ` (looked for ${absolute})`}`,
      );
    }
    throw new FileValueError(
      path,
      "unreadable",
      `cannot read file ${path}: ${code === "EACCES" ? "permission denied" : (error as Error).message}`,
    );
  }
  return { path, absolute, bytes, text: decodeText(bytes) };
}

/** UTF-8 text without NUL bytes (binary formats often decode as UTF-8 by chance, but hold NULs), else undefined. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** How a file is parsed: the declared `format`, or what its extension says. */
export type FileKind = InputFormat | "yaml" | "auto";

/** `format` when given, else by extension: .json, .yaml/.yml, .csv; anything else is text when it decodes as text, else bytes. */
export function fileKind(path: string, format?: InputFormat): FileKind {
  if (format) return format;
  const ext = extname(path).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".csv") return "csv";
  return "auto";
}

/**
 * Parses a file read with {@link readRawFile}: json → the parsed value, yaml → the parsed value,
 * csv → a list of row objects ({@link parseCsv}), text → a string, binary → a `Uint8Array`,
 * and without a format or known extension: a string when the file is text, else bytes.
 * @throws FileValueError naming the file, and the line and column for a syntax error.
 */
export function parseFileValue(raw: RawFile, format?: InputFormat, options: { delimiter?: string } = {}): unknown {
  const kind = fileKind(raw.path, format);
  if (kind === "binary") return raw.bytes;
  if (kind === "auto") return raw.text ?? raw.bytes;
  const text = raw.text;
  if (text === undefined) {
    throw new FileValueError(
      raw.path,
      "not-text",
      `file ${raw.path} is not UTF-8 text, so it cannot be read as ${kind}${format ? "" : " (by its extension)"}; convert it to UTF-8${format ? ", or use format: binary" : ""}`,
    );
  }
  try {
    if (kind === "json") return parseJson(text);
    if (kind === "yaml") return parseYamlExact(text);
    if (kind === "csv") return parseCsv(text, options.delimiter);
    return text;
  } catch (error) {
    if (error instanceof JsonSyntaxError)
      throw new FileValueError(raw.path, "syntax", `file ${raw.path}: ${error.message}`);
    if (error instanceof CsvError) throw new FileValueError(raw.path, "syntax", `file ${raw.path}: ${error.message}`);
    if (error instanceof YAMLParseError)
      throw new FileValueError(raw.path, "syntax", `file ${raw.path}: ${yamlMessage(error)}`);
    throw error;
  }
}

/** The first line of a YAML error, with its position (the rest is a source excerpt). */
export function yamlMessage(error: YAMLParseError): string {
  const first = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  const at = error.linePos?.[0];
  return at ? `invalid YAML at line ${at.line} column ${at.col}: ${first}` : `invalid YAML: ${first}`;
}
