/**
 * Ajv, set up for model answers: one instance per JSON-Schema draft (chosen by the root's
 * `$schema`, draft 2020-12 without one), every error collected, the formats of ajv-formats,
 * and compiled validators cached per schema. Ajv is loaded on first use (a lazy `require`),
 * so commands and pipelines that check no schema never load it.
 */
import type AjvCore from "ajv/dist/core";
import type { ErrorObject, Options, ValidateFunction } from "ajv/dist/core";
import { schemaPointers } from "./json-schema-walk.ts";
import { type JsonObject, isJsonObject, isMultipleOf } from "./json-schema-values.ts";

export type { ErrorObject } from "ajv/dist/core";

/** The drafts we validate with; draft-06 is read as draft-07, draft-03 as draft-04. */
export type Draft = "draft-04" | "draft-07" | "2019-09" | "2020-12";

/** The draft a root schema asks for with `$schema`; 2020-12 when absent or unknown (as Python's jsonschema does). */
export function draftOf(root: unknown): Draft {
  const uri = isJsonObject(root) && typeof root.$schema === "string" ? root.$schema : "";
  if (/draft-0[34]\b/.test(uri)) return "draft-04";
  if (/draft-0[67]\b/.test(uri)) return "draft-07";
  if (uri.includes("2019-09")) return "2019-09";
  return "2020-12";
}

const OPTIONS: Options = {
  allErrors: true, // every problem goes back to the model, not only the first
  verbose: true, // errors carry the failing subschema and value: messages are built from them
  strict: false, // unknown keywords are annotations (the load-time check flags likely typos)
  logger: false,
  validateSchema: false, // the load-time check validates against the meta-schema, with our messages
};

const instances = new Map<Draft, AjvCore>();

/** The Ajv instance for a draft, created on first use. */
export function ajvFor(draft: Draft): AjvCore {
  let ajv = instances.get(draft);
  if (ajv === undefined) {
    ajv = createAjv(draft);
    instances.set(draft, ajv);
  }
  return ajv;
}

function createAjv(draft: Draft): AjvCore {
  // Literal `require`s, so that the bundler puts each module in the binary and evaluates it only here.
  type AjvModule = { default: new (options: Options) => AjvCore };
  const classes: Record<Draft, () => AjvModule> = {
    "draft-04": () => require("ajv-draft-04") as AjvModule,
    "draft-07": () => require("ajv") as AjvModule,
    "2019-09": () => require("ajv/dist/2019") as AjvModule,
    "2020-12": () => require("ajv/dist/2020") as AjvModule,
  };
  const Ajv = classes[draft]().default;
  // Draft-07 and earlier ignore the keywords beside a `$ref`; 2019-09 and later apply them.
  const ajv = new Ajv({ ...OPTIONS, ignoreKeywordsWithRef: draft === "draft-04" || draft === "draft-07" });
  addFormats(ajv);
  // Ajv divides binary floats (19.99 / 0.01 is not whole); ours compares decimals (see isMultipleOf).
  ajv.removeKeyword("multipleOf");
  ajv.addKeyword({
    keyword: "multipleOf",
    type: "number",
    schemaType: "number",
    validate: (divisor: number, value: number) => isMultipleOf(value, divisor),
  });
  return ajv;
}

type FormatDefinition = { validate: (text: string) => boolean; compare?: (a: string, b: string) => number | undefined };

function addFormats(ajv: AjvCore): void {
  (require("ajv-formats") as { default: (ajv: AjvCore) => void }).default(ajv);
  const { fastFormats, fullFormats } = require("ajv-formats/dist/formats") as Record<
    "fastFormats" | "fullFormats",
    Record<string, FormatDefinition>
  >;
  // RFC 5321 allows a one-label domain (`a@b`); the full regex wants a dot, the fast one does not.
  ajv.addFormat("email", fastFormats.email!);
  // JSON Schema's date-time is RFC 3339's ABNF: the separator is "T" (or "t"), never a space.
  const dateTime = fullFormats["date-time"]!;
  ajv.addFormat("date-time", {
    ...dateTime,
    validate: (text: string) => /^\d{4}-\d\d-\d\d[Tt]/.test(text) && dateTime.validate(text),
  });
}

/** A root schema compiled by Ajv, with what the error messages need. */
export interface CompiledSchema {
  draft: Draft;
  /** Ajv's raw errors for `value` (empty when it conforms). */
  validate(value: unknown): ErrorObject[];
  /** Ajv's raw errors for `value` against the subschema at `pointer` (inside the root, `$ref`s resolved from it). */
  validateAt(pointer: string, value: unknown): ErrorObject[];
  /** The JSON Pointer of a subschema object found in an error's `parentSchema`. */
  pointerOf(schema: unknown): string | undefined;
  /** Forgets the schema in Ajv. */
  release(): void;
}

const MAX_CACHED = 200;
const cache = new Map<string, CompiledSchema>();
let nextKey = 0;

/**
 * The compiled validator of a root schema, cached by its JSON text. Throws Ajv's own errors
 * when the schema cannot be compiled (a `$ref` that does not resolve, a bad pattern).
 */
export function compileSchema(root: unknown): CompiledSchema {
  const draft = draftOf(root);
  const cacheKey = `${draft} ${JSON.stringify(root)}`;
  let compiled = cache.get(cacheKey);
  if (compiled === undefined) {
    compiled = compile(ajvFor(draft), draft, root);
    if (cache.size >= MAX_CACHED) {
      for (const old of cache.values()) old.release();
      cache.clear();
    }
    cache.set(cacheKey, compiled);
  }
  return compiled;
}

function compile(ajv: AjvCore, draft: Draft, root: unknown): CompiledSchema {
  const prepared = forAjv(root, draft);
  const key = `aiorch:schema/${nextKey++}`;
  // Two steps' schemas may share an `$id`: the later one replaces the earlier one in Ajv.
  const id = isJsonObject(prepared) ? prepared[draft === "draft-04" ? "id" : "$id"] : undefined;
  if (typeof id === "string") ajv.removeSchema(id);
  ajv.addSchema(prepared as JsonObject, key);
  let validator: ValidateFunction;
  try {
    validator = ajv.getSchema(key)!;
  } catch (error) {
    ajv.removeSchema(key);
    throw error;
  }
  const pointers = schemaPointers(prepared);
  const run = (validate: ValidateFunction | undefined, value: unknown): ErrorObject[] => {
    if (validate === undefined || validate(value)) return [];
    return [...(validate.errors ?? [])];
  };
  return {
    draft,
    validate: (value) => run(validator, value),
    validateAt: (pointer, value) =>
      run(ajv.getSchema(`${key}#${pointer.split("/").map(encodeURIComponent).join("/")}`), value),
    pointerOf: (schema) => (isJsonObject(schema) ? pointers.get(schema) : undefined),
    release: () => ajv.removeSchema(key),
  };
}

/**
 * A copy of the schema without what Ajv gives a meaning JSON Schema does not: `nullable`
 * (an OpenAPI keyword Ajv applies) and, after draft-04, `id` (Ajv refuses it; it is an annotation).
 */
function forAjv(root: unknown, draft: Draft): unknown {
  const copy = structuredClone(root);
  const ignored = draft === "draft-04" ? ["nullable"] : ["nullable", "id"];
  const pointers = schemaPointers(copy);
  for (const schema of pointers.keys()) for (const keyword of ignored) delete (schema as JsonObject)[keyword];
  return copy;
}
