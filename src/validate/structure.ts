import { Kind, KindGuard, Type, type TSchema } from "@sinclair/typebox";
import { Check } from "@sinclair/typebox/value";
import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import type { Diagnostic } from "../errors/diagnostic.ts";
import { SourceFile } from "../load/yaml-source.ts";
import { PipelineSchema } from "../spec/pipeline.ts";
import { INPUT_TYPES, PLATFORM_INPUT_TYPES } from "../spec/input.ts";
import { didYouMean } from "../errors/did-you-mean.ts";
import { describeValue, expectation } from "./expectation.ts";
import { fixHint, suggestName } from "./hints.ts";
import { suggestKey } from "./key-aliases.ts";
import { DURATION, PIPELINE_NAME, STEP_NAME, VARIABLE_NAME } from "../spec/names.ts";

/** Where in the pipeline a node sits, for "step `x`: `retry` …" messages. */
interface Place {
  step?: string;
  input?: string;
  /** Dotted path of keys below the step/input, e.g. `retry` or `env.HOME`. */
  field?: string;
}

const subject = (place: Place): string => {
  const owner =
    place.step !== undefined ? `step \`${place.step}\`` : place.input !== undefined ? `input \`${place.input}\`` : "";
  return owner ? `${owner}: ` : "";
};

const fieldName = (place: Place, fallback: string) => `\`${place.field ?? fallback}\``;

/**
 * Layer 1 of docs/pipeline-reference.md#validation: checks the YAML document against the TypeBox schema, node by node, so
 * each problem carries the position of the node at fault and reads in the user's words.
 */
export function checkStructure(source: SourceFile): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const root = source.doc.contents;
  if (!root || (isScalar(root) && (root.value === null || root.value === ""))) {
    const onlyComments = source.text.trim() !== "";
    diagnostics.push(
      source.at(0, {
        message: onlyComments ? "the file has no pipeline, only comments" : "the file is empty",
        hint: "a pipeline needs at least `name:` and `steps:`, e.g. `name: hello` and `steps: {greet: {run: echo hello}}`",
      }),
    );
    return diagnostics;
  }
  if (!isMap(root)) {
    diagnostics.push(
      source.at(SourceFile.start(root), {
        message: `a pipeline file must be a mapping of keys (name, steps, …), got ${isSeq(root) ? "a list" : "a single value"}`,
        hint: "start the file with `name: my-pipeline` and a `steps:` mapping",
      }),
    );
    return diagnostics;
  }
  walk(source, root, PipelineSchema, {}, "pipeline", diagnostics);
  return diagnostics;
}

/** Checks any YAML document against a schema (e.g. the config file), with the same messages. */
export function checkAgainst(source: SourceFile, schema: TSchema, context: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const root = source.doc.contents;
  if (!root || (isScalar(root) && (root.value === null || root.value === ""))) return out;
  walk(source, root, schema, {}, context, out);
  return out;
}

function walk(
  source: SourceFile,
  written: Node | null,
  schema: TSchema,
  place: Place,
  context: string,
  out: Diagnostic[],
): void {
  // `*anchor` stands for the anchored node: check what it points at.
  const node = isAlias(written) ? ((written.resolve(source.doc) as Node | undefined) ?? null) : written;
  const kind = schema[Kind];
  if (kind === "Object") return walkObject(source, node, schema, place, context, out);
  if (kind === "Record") return walkRecord(source, node, schema, place, context, out);
  if (kind === "Union") return walkUnion(source, node, schema, place, out);
  if (kind === "Array") {
    if (!isSeq(node) || !KindGuard.IsArray(schema)) return mismatch(source, node, schema, place, out);
    const items = schema.items;
    node.items.forEach((item, i) =>
      walk(source, item as Node, items, { ...place, field: `${place.field ?? ""}[${i}]` }, context, out),
    );
    if ((schema as { uniqueItems?: boolean }).uniqueItems) {
      const seen = new Set<string>();
      for (const item of node.items) {
        const text = JSON.stringify(isScalar(item) ? item.value : null);
        if (seen.has(text)) {
          out.push(
            source.at(SourceFile.start(item as Node), {
              ...placeFields(place),
              message: `${subject(place)}${fieldName(place, "list")} lists ${text} twice`,
              hint: "remove the repeated entry",
            }),
          );
        }
        seen.add(text);
      }
    }
    return;
  }
  const value = plainValue(node);
  if (kind === "Unknown" || Check(schema, value)) return;
  mismatch(source, node, schema, place, out);
}

/** A node as plain data: a scalar's value, a collection's JSON, null for an empty node. */
const plainValue = (node: Node | null): unknown =>
  node === null ? null : isScalar(node) ? node.value : (node as { toJSON(): unknown }).toJSON();

function mismatch(source: SourceFile, node: Node | null, schema: TSchema, place: Place, out: Diagnostic[]): void {
  const value = plainValue(node);
  const pattern = KindGuard.IsString(schema) ? schema.pattern : undefined;
  const nameKind =
    pattern === PIPELINE_NAME
      ? "pipeline"
      : pattern === STEP_NAME
        ? "step"
        : pattern === VARIABLE_NAME
          ? "variable"
          : undefined;
  const hint =
    nameKind && typeof value === "string"
      ? `e.g. \`${suggestName(value, nameKind)}\``
      : fixHint(place.field ?? "", value, accepts(schema));
  out.push(
    source.at(SourceFile.start(node), {
      ...placeFields(place),
      message: `${subject(place)}${fieldName(place, "value")} must be ${expectation(schema)}, got ${describeValue(value)}${typeof value === "string" ? didYouMean(value, literalsOf(schema)) : ""}`,
      ...(hint ? { hint } : {}),
    }),
  );
}

/** The words a schema of literals takes (`fixed`, `exponential`), for a did-you-mean on a misspelt one. */
function literalsOf(schema: TSchema): string[] {
  const branches: TSchema[] = KindGuard.IsUnion(schema) ? schema.anyOf : [schema];
  return branches.flatMap((b) => (KindGuard.IsLiteral(b) && typeof b.const === "string" ? [b.const] : []));
}

/** Which kinds of scalar a schema takes, to tell a quoted `"3"` from a real mistake. */
function accepts(schema: TSchema): { number: boolean; boolean: boolean; duration: boolean } {
  const branches: TSchema[] = KindGuard.IsUnion(schema) ? schema.anyOf : [schema];
  return {
    number: branches.some((b) => b[Kind] === "Integer" || b[Kind] === "Number"),
    boolean: branches.some((b) => b[Kind] === "Boolean"),
    duration: branches.some((b) => (b as { pattern?: string }).pattern === DURATION),
  };
}

const placeFields = (place: Place) => ({
  ...(place.step !== undefined ? { step: place.step } : {}),
  ...(place.field !== undefined ? { field: place.field } : {}),
});

function walkObject(
  source: SourceFile,
  node: Node | null,
  schema: TSchema,
  place: Place,
  context: string,
  out: Diagnostic[],
): void {
  if (!isMap(node) || !KindGuard.IsObject(schema)) return mismatch(source, node, schema, place, out);
  const properties: Record<string, TSchema> = schema.properties;
  const required = new Set(schema.required ?? []);
  const present = new Set<string>();
  const meant = new Set<string>();
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    present.add(key);
    const propertySchema = properties[key];
    if (!propertySchema) {
      const suggestion = suggestKey(key, Object.keys(properties), context);
      if (suggestion) meant.add(suggestion);
      out.push(
        source.at(SourceFile.start(keyNode), {
          ...placeFields(place),
          message: `${subject(place)}unknown key \`${key}\` in ${context}${suggestion ? ` (did you mean \`${suggestion}\`?)` : ""}`,
          hint: suggestion ? `rename it to \`${suggestion}\`` : allowedKeysHint(context, Object.keys(properties)),
        }),
      );
      continue;
    }
    if (context === "input" && key === "type") {
      checkInputType(source, pair.value as Node | null, place, out);
      continue;
    }
    const childPlace =
      place.step !== undefined || place.input !== undefined
        ? { ...place, field: place.field ? `${place.field}.${key}` : key }
        : { field: key };
    walk(source, pair.value as Node | null, propertySchema, childPlace, context, out);
  }
  for (const key of required) {
    if (!present.has(key) && !meant.has(key)) {
      out.push(
        source.at(SourceFile.start(node), {
          ...placeFields(place),
          message: `${subject(place)}missing required key \`${key}\` in ${context}`,
          hint: requiredHint(key),
        }),
      );
    }
  }
}

function allowedKeysHint(context: string, keys: string[]): string {
  if (context === "a step") {
    return "a step has one primitive (prompt, python, run or flow) and options such as depends, output, condition, foreach, retry, timeout, env; `aiorch schema` lists them all";
  }
  return `allowed keys: ${keys.join(", ")}`;
}

const requiredHint = (key: string) =>
  key === "name"
    ? "add `name: my-pipeline` at the top of the file"
    : key === "steps"
      ? "add a `steps:` mapping with at least one step"
      : `add \`${key}:\``;

function walkRecord(
  source: SourceFile,
  node: Node | null,
  schema: TSchema,
  place: Place,
  context: string,
  out: Diagnostic[],
): void {
  if (!isMap(node) || !KindGuard.IsRecord(schema)) return mismatch(source, node, schema, place, out);
  const patterns: Record<string, TSchema> = schema.patternProperties;
  const [pattern, valueSchema] = Object.entries(patterns)[0]!;
  const regex = new RegExp(pattern);
  const field = place.field;
  if (node.items.length < ((schema as { minProperties?: number }).minProperties ?? 0)) {
    out.push(
      source.at(SourceFile.start(node), {
        ...placeFields(place),
        message: `\`${field}\` must have at least one entry`,
        hint: field === "steps" ? "add a step, e.g. `hello: { run: echo hello }`" : undefined,
      }),
    );
  }
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    if (!regex.test(key)) {
      const noun = field === "steps" ? "step name" : field === "input" ? "input name" : `name in \`${field}\``;
      const kind = pattern === STEP_NAME ? "step" : "variable";
      const why =
        pattern === VARIABLE_NAME && key.includes("-")
          ? `; templates read names as identifiers, so \`${key}\` would read as a subtraction`
          : "";
      out.push(
        source.at(SourceFile.start(keyNode), {
          ...placeFields(place),
          message: `invalid ${noun} \`${key}\`: must be ${expectation(Type.String({ pattern }))}${why}`,
          hint: `rename it, e.g. \`${suggestName(key, kind)}\``,
        }),
      );
    }
    const childPlace: Place =
      field === "steps" && !place.step
        ? { step: key }
        : field === "input" && !place.input
          ? { input: key }
          : { ...place, field: `${field}.${key}` };
    const childContext =
      field === "steps" && !place.step ? "a step" : field === "input" && !place.input ? "input" : context;
    walk(source, pair.value as Node | null, valueSchema, childPlace, childContext, out);
  }
}

function walkUnion(source: SourceFile, node: Node | null, schema: TSchema, place: Place, out: Diagnostic[]): void {
  const branches: TSchema[] = KindGuard.IsUnion(schema) ? schema.anyOf : [];
  if (isMap(node)) {
    const mapBranch = branches.find((b) => b[Kind] === "Object" || b[Kind] === "Record");
    if (mapBranch)
      return walk(source, node, mapBranch, place, place.input !== undefined && !place.field ? "input" : "a step", out);
  }
  if (isSeq(node)) {
    const listBranch = branches.find((b) => b[Kind] === "Array");
    if (listBranch) return walk(source, node, listBranch, place, "a list", out);
  }
  const value = plainValue(node);
  if (branches.some((b) => b[Kind] !== "Object" && b[Kind] !== "Record" && Check(b, value))) return;
  mismatch(source, node, schema, place, out);
}

function checkInputType(source: SourceFile, node: Node | null, place: Place, out: Diagnostic[]): void {
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value === "string" && (INPUT_TYPES as readonly string[]).includes(value)) return;
  const at = SourceFile.start(node);
  const who = subject(place);
  if (typeof value === "string" && (PLATFORM_INPUT_TYPES as readonly string[]).includes(value)) {
    out.push(
      source.at(at, {
        message: `${who}type \`${value}\` exists only on the aiorch Platform`,
        hint: "use `type: file` with a path on disk (give it with -i NAME=@path)",
      }),
    );
  } else if (value === "env") {
    out.push(
      source.at(at, {
        message: `${who}input type \`env\` has been removed`,
        hint: "read environment variables with `${VAR}` in an `env:` block, or os.environ in a python: step",
      }),
    );
  } else {
    out.push(
      source.at(at, {
        message: `${who}\`type\` must be one of ${INPUT_TYPES.join(", ")}, got ${describeValue(value)}${typeof value === "string" ? didYouMean(value, INPUT_TYPES) : ""}`,
      }),
    );
  }
}
