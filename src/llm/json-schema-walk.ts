/**
 * Where the subschemas of a JSON Schema are (under which keywords, as one schema, a list or
 * a map), for the load-time checks Ajv does not make: keyword typos, `$ref` cycles, and
 * for finding the place of a problem Ajv reports without one.
 */
import { type JsonObject, isJsonObject, pointerChild, unescapePointerToken } from "./json-schema-values.ts";

/** Keywords whose value is one subschema (`items` may also be a draft-07 list). */
const ONE = [
  "not",
  "if",
  "then",
  "else",
  "items",
  "additionalItems",
  "additionalProperties",
  "contains",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
];
/** Keywords whose value is a list of subschemas. */
const LIST = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
/** Keywords whose value maps names to subschemas (draft-07 `dependencies` also maps to name lists). */
const MAP = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"];

/** Keywords that apply their subschemas to the value itself, not to a part of it. */
const IN_PLACE_ONE = ["not", "if", "then", "else"];
const IN_PLACE_LIST = ["allOf", "anyOf", "oneOf"];
const IN_PLACE_MAP = ["dependentSchemas", "dependencies"];

/** The subschemas directly under `schema`, with their JSON Pointers (boolean schemas are skipped). */
export function childSchemas(schema: JsonObject, pointer: string): { schema: JsonObject; pointer: string }[] {
  const children: { schema: JsonObject; pointer: string }[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const at = pointerChild(pointer, keyword);
    if (ONE.includes(keyword) && isJsonObject(value)) children.push({ schema: value, pointer: at });
    else if (LIST.includes(keyword) && Array.isArray(value)) {
      value.forEach(
        (item, index) => isJsonObject(item) && children.push({ schema: item, pointer: pointerChild(at, index) }),
      );
    } else if (MAP.includes(keyword) && isJsonObject(value)) {
      for (const [name, item] of Object.entries(value))
        if (isJsonObject(item)) children.push({ schema: item, pointer: pointerChild(at, name) });
    }
  }
  return children;
}

/** Calls `visit` on `root` and every subschema under it, depth first, each object once. */
export function forEachSchema(root: unknown, visit: (schema: JsonObject, pointer: string) => void): void {
  const seen = new Set<object>();
  const walk = (schema: JsonObject, pointer: string): void => {
    if (seen.has(schema)) return;
    seen.add(schema);
    visit(schema, pointer);
    for (const child of childSchemas(schema, pointer)) walk(child.schema, child.pointer);
  };
  if (isJsonObject(root)) walk(root, "");
}

/** Each subschema object of `root` mapped to its JSON Pointer (the first, if it occurs twice). */
export function schemaPointers(root: unknown): Map<object, string> {
  const pointers = new Map<object, string>();
  forEachSchema(root, (schema, pointer) => pointers.set(schema, pointer));
  return pointers;
}

/** What a `#/…` JSON-Pointer `$ref` (URI-encoded) points to inside `root`; undefined when nothing. */
export function resolvePointerRef(root: unknown, ref: string): unknown {
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  return valueAt(root, pointer);
}

/** The value at a JSON Pointer inside `root`; undefined when nothing is there. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let target: unknown = root;
  for (const token of pointer.slice(1).split("/").map(unescapePointerToken)) {
    if (Array.isArray(target) && /^(0|[1-9]\d*)$/.test(token)) target = target[Number(token)];
    else if (isJsonObject(target) && Object.hasOwn(target, token)) target = target[token];
    else return undefined;
  }
  return target;
}

/** Whether `ref` is a JSON Pointer inside the same document (`#`, `#/$defs/item`), not an anchor or a URI. */
export function isPointerRef(ref: string): boolean {
  return ref === "#" || ref.startsWith("#/");
}

/**
 * The first `$ref` (its pointer) that leads back to a schema already being applied to the
 * same value, through `$ref`s and in-place keywords (allOf, anyOf, oneOf, not, if/then/else,
 * dependentSchemas) only: such a cycle never descends into the value, so it never ends.
 */
export function findInPlaceRefCycle(root: unknown): string | undefined {
  const active = new Set<object>();
  const done = new Set<object>();
  const visit = (schema: JsonObject, pointer: string): string | undefined => {
    if (done.has(schema)) return undefined;
    active.add(schema);
    for (const next of inPlaceNext(root, schema, pointer)) {
      if (active.has(next.schema)) {
        if (next.viaRef !== undefined) return next.viaRef;
        continue;
      }
      const found = visit(next.schema, next.pointer);
      if (found !== undefined) return found;
    }
    active.delete(schema);
    done.add(schema);
    return undefined;
  };
  let found: string | undefined;
  forEachSchema(root, (schema, pointer) => {
    found ??= visit(schema, pointer);
  });
  return found;
}

function inPlaceNext(
  root: unknown,
  schema: JsonObject,
  pointer: string,
): { schema: JsonObject; pointer: string; viaRef?: string }[] {
  const next: { schema: JsonObject; pointer: string; viaRef?: string }[] = [];
  if (typeof schema.$ref === "string" && isPointerRef(schema.$ref)) {
    const target = resolvePointerRef(root, schema.$ref);
    const refAt = pointerChild(pointer, "$ref");
    if (isJsonObject(target)) next.push({ schema: target, pointer: schema.$ref.slice(1), viaRef: refAt });
  }
  for (const child of childSchemas(schema, pointer)) {
    const [keyword] = child.pointer.slice(pointer.length + 1).split("/");
    if (IN_PLACE_ONE.includes(keyword!) || IN_PLACE_LIST.includes(keyword!) || IN_PLACE_MAP.includes(keyword!))
      next.push(child);
  }
  return next;
}
