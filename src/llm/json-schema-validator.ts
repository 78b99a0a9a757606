/**
 * The walk: one schema against one value, keyword by keyword, with `$ref` resolution,
 * the combinators (allOf, anyOf, oneOf, not, if/then/else), and a guard against `$ref`
 * cycles that would otherwise never consume any input.
 */
import { checkKindKeywords, checkNumberKeywords, checkStringKeywords } from "./json-schema-assertions.ts";
import { checkArrayKeywords, checkObjectKeywords } from "./json-schema-containers.ts";
import type { SchemaError } from "./json-schema-types.ts";
import { type JsonObject, isJsonObject, unescapePointerToken } from "./json-schema-values.ts";

/** Where a `$ref` points, or undefined when it does not resolve inside `root`. */
export function resolveLocalRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  const fragment = decodeURIComponent(ref.slice(1));
  if (fragment === "") return root;
  if (!fragment.startsWith("/")) return undefined;
  let target: unknown = root;
  for (const token of fragment.slice(1).split("/").map(unescapePointerToken)) {
    if (Array.isArray(target) && /^(0|[1-9]\d*)$/.test(token)) target = target[Number(token)];
    else if (isJsonObject(target) && Object.hasOwn(target, token)) target = target[token];
    else return undefined;
  }
  return target;
}

/**
 * Draft-07 and earlier ignore every keyword beside `$ref`; 2020-12 applies them too.
 * The root's `$schema` says which; without one we follow 2020-12.
 */
function ignoresRefSiblings(root: unknown): boolean {
  return isJsonObject(root) && typeof root.$schema === "string" && /draft-0[3-7]\b/.test(root.$schema);
}

/** Validates values against one root schema. */
export class SchemaValidator {
  private readonly legacyRefs: boolean;
  /** `$ref` targets being evaluated, per instance path: re-entering one is a cycle. */
  private readonly activeRefs = new Map<unknown, Set<string>>();

  constructor(private readonly root: unknown) {
    this.legacyRefs = ignoresRefSiblings(root);
  }

  /** Every error of `value` (at `path`) against `schema`, in keyword order. */
  validate(schema: unknown, value: unknown, path: string): SchemaError[] {
    if (schema === true) return [];
    if (schema === false) return [{ path, keyword: "false", message: "is not allowed here (the schema accepts no value)" }];
    if (!isJsonObject(schema)) return [];
    const errors: SchemaError[] = [];
    if (typeof schema.$ref === "string") {
      errors.push(...this.validateRef(schema.$ref, value, path));
      if (this.legacyRefs) return errors;
    }
    errors.push(...checkKindKeywords(schema, value, path));
    if (typeof value === "number") errors.push(...checkNumberKeywords(schema, value, path));
    else if (typeof value === "string") errors.push(...checkStringKeywords(schema, value, path));
    else if (Array.isArray(value)) errors.push(...checkArrayKeywords(schema, value, path, this.descend));
    else if (isJsonObject(value)) errors.push(...checkObjectKeywords(schema, value, path, this.descend));
    errors.push(...this.validateCombinators(schema, value, path));
    return errors;
  }

  private readonly descend = (schema: unknown, value: unknown, path: string): SchemaError[] => this.validate(schema, value, path);

  private validateRef(ref: string, value: unknown, path: string): SchemaError[] {
    const target = resolveLocalRef(this.root, ref);
    if (target === undefined) {
      return [{ path, keyword: "$ref", message: `cannot be checked: the schema's $ref ${JSON.stringify(ref)} does not resolve` }];
    }
    let paths = this.activeRefs.get(target);
    if (paths === undefined) this.activeRefs.set(target, (paths = new Set()));
    // The same schema on the same value again: a cycle that adds no constraint.
    if (paths.has(path)) return [];
    paths.add(path);
    try {
      return this.validate(target, value, path);
    } finally {
      paths.delete(path);
    }
  }

  private validateCombinators(schema: JsonObject, value: unknown, path: string): SchemaError[] {
    const errors: SchemaError[] = [];
    if (Array.isArray(schema.allOf)) {
      for (const branch of schema.allOf) errors.push(...this.validate(branch, value, path));
    }
    if (Array.isArray(schema.anyOf)) {
      const outcomes = schema.anyOf.map((branch) => this.validate(branch, value, path));
      if (!outcomes.some((branchErrors) => branchErrors.length === 0)) errors.push(...explainNoMatch("anyOf", outcomes, path));
    }
    if (Array.isArray(schema.oneOf)) {
      const outcomes = schema.oneOf.map((branch) => this.validate(branch, value, path));
      const matching = outcomes.flatMap((branchErrors, index) => (branchErrors.length === 0 ? [index] : []));
      if (matching.length === 0) errors.push(...explainNoMatch("oneOf", outcomes, path));
      else if (matching.length > 1) {
        const which = matching.map((index) => `#${index + 1}`).join(" and ");
        errors.push({ path, keyword: "oneOf", message: `must match exactly one of the oneOf alternatives, but matches ${matching.length} (${which})` });
      }
    }
    if (schema.not !== undefined && this.validate(schema.not, value, path).length === 0) {
      errors.push({ path, keyword: "not", message: 'must not match the schema given in "not"' });
    }
    if (schema.if !== undefined) {
      const branch = this.validate(schema.if, value, path).length === 0 ? schema.then : schema.else;
      if (branch !== undefined) errors.push(...this.validate(branch, value, path));
    }
    return errors;
  }
}

/** Errors that say the value's kind is wrong at the path itself (not deeper). */
function isShapeMismatch(error: SchemaError, path: string): boolean {
  return error.path === path && (error.keyword === "type" || error.keyword === "const" || error.keyword === "enum" || error.keyword === "false");
}

/**
 * Explains an anyOf/oneOf with no matching alternative. When exactly one alternative has
 * the right shape (its errors are deeper, or about bounds), its errors are the useful
 * ones; when every alternative failed with one error, they are listed; otherwise a
 * summary.
 */
function explainNoMatch(keyword: "anyOf" | "oneOf", outcomes: SchemaError[][], path: string): SchemaError[] {
  const plausible = outcomes.filter((branchErrors) => !branchErrors.some((e) => isShapeMismatch(e, path)));
  if (plausible.length === 1) return plausible[0]!;
  const single = outcomes.every((branchErrors) => branchErrors.length === 1 && branchErrors[0]!.path === path);
  if (single) {
    const reasons = outcomes.map((branchErrors) => branchErrors[0]!.message);
    // "must be a string, not an integer" ×2 → "must be a string or null, not an integer".
    const typeReasons = reasons.map((reason) => TYPE_REASON.exec(reason));
    if (typeReasons.every((match) => match !== null)) {
      const expected = unique(typeReasons.map((match) => match[1]!)).join(" or ");
      return [{ path, keyword, message: `must be ${expected}, not ${typeReasons[0]![2]}` }];
    }
    return [{ path, keyword, message: unique(reasons).join(", or ") }];
  }
  const what = keyword === "anyOf" ? "at least one" : "exactly one";
  return [{ path, keyword, message: `must match ${what} of the ${outcomes.length} ${keyword} alternatives, but matches none` }];
}

const TYPE_REASON = /^must be (.+), not (.+)$/;

function unique(texts: string[]): string[] {
  return [...new Set(texts)];
}
