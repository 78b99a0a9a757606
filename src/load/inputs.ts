import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { didYouMean } from "../errors/did-you-mean.ts";
import type { InputSpec } from "../model/pipeline.ts";
import { FileValueError, fileKind, parseFileValue, readRawFile } from "./file-value.ts";
import { checkRange, coerceValue, kindOf, showValue, type Coerced } from "./inputs-coerce.ts";
import { InputsError } from "./inputs-error.ts";
import { buildHttpRequest, LazyHttpInput } from "./inputs-http.ts";
import { parsePairs, readInputOption, type GivenValue } from "./inputs-sources.ts";

export { InputsError } from "./inputs-error.ts";
export { HttpInputError, isLazyHttpValue, type LazyHttpValue } from "./inputs-http.ts";

/** What the command line says about inputs. */
export interface InputArgs {
  /** Each `-i KEY=VALUE` or `-i KEY=@path` as written. */
  pairs: string[];
  /** `--input FILE.json|FILE.yaml`, or inline JSON `--input '{"a": 1}'`. */
  input?: string;
  /** Paths of `-i KEY=@path`, `--input` and file inputs given on the command line are relative to it. */
  cwd: string;
  /** Relative `type: file` defaults written in the pipeline are relative to it (the pipeline's folder); default `cwd`. */
  defaultsDir?: string;
  /** Where `${VAR}` in http headers is looked up; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Typed values given directly (a flow: step's `input:`), checked and coerced like `--input` values. */
  values?: Record<string, unknown>;
  /** Names the source of `values` in messages (default "the flow: step's input"). */
  valuesSource?: string;
  /** `plan` and `cost`: a required input with no value is left out (its value is unknown), not a problem. */
  missingIsUnknown?: boolean;
}

/** A value picked for one input, and where it came from. */
interface Picked extends GivenValue {
  fromDefault: boolean;
}

/**
 * Resolves every declared input. Precedence: `-i` > `--input` > the YAML `default` (for http
 * inputs, then `url:`). Values are coerced to the declared type (see `coerceValue`), files are
 * read and parsed, `minimum`/`maximum` checked; http inputs become lazy values fetched on first
 * `load()`. Keys the pipeline does not declare are refused, unless it has no `input:` block: then
 * every key is accepted as given (`-i` strings stay strings, `@files` are parsed by extension).
 * An optional input with no value and no default is left out of the result.
 *
 * @throws InputsError listing ALL the problems found (exit code 2), before any step runs.
 */
export async function resolveInputs(
  specs: InputSpec[],
  declaresInputs: boolean,
  args: InputArgs,
): Promise<Record<string, unknown>> {
  const problems: string[] = [];
  const fromPairs = parsePairs(args.pairs, problems);
  const fromOption = await readInputOption(args.input, args.cwd, problems);
  for (const [key, value] of Object.entries(args.values ?? {})) {
    if (!fromOption.has(key)) fromOption.set(key, { value, source: args.valuesSource ?? "the flow: step's input" });
  }
  const declared = new Map(specs.map((spec) => [spec.name, spec]));
  const values = new Map<string, unknown>();

  const extra = [...new Set([...fromPairs.keys(), ...fromOption.keys()])].filter((key) => !declared.has(key));
  for (const key of extra) {
    const given = (fromPairs.get(key) ?? fromOption.get(key))!;
    if (declaresInputs) problems.push(unknownInput(key, given, [...declared.keys()]));
    else
      values.set(key, given.filePath === undefined ? given.value : await untypedFile(key, given, args.cwd, problems));
  }

  const resolved = await Promise.all(
    specs.map((spec) => resolveOne(spec, pick(spec, fromPairs.get(spec.name) ?? fromOption.get(spec.name)), args)),
  );
  resolved.forEach((outcome, i) => {
    problems.push(...outcome.problems);
    if (outcome.present) values.set(specs[i]!.name, outcome.value);
  });

  if (problems.length) throw new InputsError(problems);
  // fromEntries defines own properties, so even a key like `__proto__` stays plain data.
  return Object.fromEntries(values);
}

function unknownInput(key: string, given: GivenValue, names: string[]): string {
  const list = names.length ? `this pipeline declares: ${names.join(", ")}` : "this pipeline declares no inputs";
  const from = given.source.startsWith("--input") ? ` (given with ${given.source})` : "";
  return `unknown input \`${key}\`${didYouMean(key, names)}; ${list}${from}`;
}

function pick(spec: InputSpec, given: GivenValue | undefined): Picked | undefined {
  if (given) return { ...given, fromDefault: false };
  if (spec.hasDefault) return { value: spec.default, source: "the default", fromDefault: true };
  if (spec.type === "http" && spec.url !== undefined) return { value: spec.url, source: "url:", fromDefault: true };
  return undefined;
}

interface Outcome {
  present: boolean;
  value?: unknown;
  problems: string[];
}

const absent = (...problems: string[]): Outcome => ({ present: false, problems });
const present = (value: unknown): Outcome => ({ present: true, value, problems: [] });

async function resolveOne(spec: InputSpec, picked: Picked | undefined, args: InputArgs): Promise<Outcome> {
  const name = spec.name;
  if (!picked)
    return spec.required && !args.missingIsUnknown
      ? absent(`missing required input \`${name}\` (give it with -i ${name}=…)`)
      : absent();
  const dir = picked.fromDefault ? defaultDir(picked, args) : args.cwd;
  const refused = (value: unknown, problem: string) =>
    absent(`input \`${name}\`: ${showValue(value)} ${problem} (from ${picked.source})`);
  // A null (from --input, a YAML default, a flow's input) is Python's None whatever the type.
  if (picked.value === null && picked.filePath === undefined) return present(null);
  try {
    if (spec.type === "file") return await fileInput(spec, picked, dir, refused);
    let coerced: Coerced;
    let shown: unknown = picked.value;
    if (picked.filePath !== undefined) {
      const raw = await readRawFile(picked.filePath, dir, spec.maxSizeMb);
      if (raw.text === undefined)
        return absent(
          `input \`${name}\`: file ${raw.path} is not text, so it cannot be a ${spec.type} (from ${picked.source})`,
        );
      shown = raw.text;
      const kind = fileKind(raw.path);
      // A string input takes the file's text as written; other types take the parsed document when there is one.
      const parsed = spec.type === "string" || spec.type === "http" || kind === "auto" ? raw.text : parseFileValue(raw);
      coerced = spec.type === "http" ? { ok: true, value: raw.text.trim() } : coerceValue(spec.type, parsed);
    } else coerced = spec.type === "http" ? { ok: true, value: picked.value } : coerceValue(spec.type, picked.value);
    if (!coerced.ok) return refused(shown, coerced.problem);
    if (spec.type === "http") return httpInput(spec, coerced.value, args, refused);
    const outOfRange = checkRange(spec, coerced.value);
    return outOfRange ? absent(`input \`${name}\`: ${outOfRange} (from ${picked.source})`) : present(coerced.value);
  } catch (error) {
    if (error instanceof FileValueError) return absent(fileProblem(name, error, picked));
    throw error;
  }
}

/**
 * Where a relative path written as a default is looked up: the pipeline's folder (so a
 * pipeline runs from anywhere), else the working directory (how the Python aiorch read it).
 */
function defaultDir(picked: Picked, args: InputArgs): string {
  const path = typeof picked.value === "string" ? picked.value.trim() : "";
  if (!args.defaultsDir || !path || isAbsolute(path) || path.startsWith("~")) return args.defaultsDir ?? args.cwd;
  return existsSync(resolve(args.defaultsDir, path)) || !existsSync(resolve(args.cwd, path))
    ? args.defaultsDir
    : args.cwd;
}

type Refuse = (value: unknown, problem: string) => Outcome;

async function fileInput(spec: InputSpec, picked: Picked, dir: string, refused: Refuse): Promise<Outcome> {
  const value = picked.value;
  // Structured data from --input or a YAML default is the file's content already.
  if (value instanceof Uint8Array || Array.isArray(value) || (typeof value === "object" && value !== null))
    return present(value);
  if (typeof value !== "string") return refused(value, `is not a file path (it is ${kindOf(value)})`);
  if (value.trim() === "") return refused(value, "is not a file path (it is empty)");
  const raw = await readRawFile(value, dir, spec.maxSizeMb);
  return present(parseFileValue(raw, spec.format, { delimiter: spec.delimiter }));
}

function httpInput(spec: InputSpec, value: unknown, args: InputArgs, refused: Refuse): Outcome {
  if (typeof value !== "string") return refused(value, `is not a URL (it is ${kindOf(value)})`);
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return refused(value, "is not a URL (write it like https://example.com/data.json)");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return refused(value, "is not an http:// or https:// URL");
  const { request, problems } = buildHttpRequest(spec, args.env ?? process.env);
  return problems.length ? absent(...problems) : present(new LazyHttpInput(spec.name, value.trim(), request));
}

/** `-i KEY=@path` for a pipeline without an `input:` block: the file parsed by its extension. */
async function untypedFile(key: string, given: GivenValue, cwd: string, problems: string[]): Promise<unknown> {
  try {
    return parseFileValue(await readRawFile(given.filePath!, cwd));
  } catch (error) {
    if (!(error instanceof FileValueError)) throw error;
    problems.push(fileProblem(key, error, { ...given, fromDefault: false }));
    return undefined;
  }
}

function fileProblem(name: string, error: FileValueError, picked: Picked): string {
  return `input \`${name}\`: ${error.message}${picked.fromDefault ? ` (from ${picked.source})` : ""}`;
}
