/**
 * The load-time checks of a schema that its meta-schema cannot make: likely typos of
 * keywords (the meta-schema allows any extra key), patterns that do not compile as Ajv
 * compiles them (Unicode), `#/…` references that lead nowhere, and `$ref` cycles that would
 * never end. Each problem has the JSON Pointer of where it is written.
 */
import { closest } from "../errors/did-you-mean.ts";
import { type Draft, ajvFor } from "./json-schema-ajv.ts";
import type { SchemaProblem } from "./json-schema-check.ts";
import { isJsonObject, isValidPattern, pointerChild } from "./json-schema-values.ts";
import { findInPlaceRefCycle, forEachSchema, isPointerRef, resolvePointerRef } from "./json-schema-walk.ts";

/** Keys that annotate, or that other tools use: accepted, never suggested as the fix of a typo. */
const ANNOTATIONS = new Set([
  "$schema",
  "$id",
  "id",
  "$comment",
  "$anchor",
  "$vocabulary",
  "title",
  "description",
  "default",
  "examples",
  "readOnly",
  "writeOnly",
  "deprecated",
  "contentMediaType",
  "contentEncoding",
  "contentSchema",
  "nullable",
  "discriminator",
]);

function keywordsOf(draft: Draft): string[] {
  return Object.keys(ajvFor(draft).RULES.keywords).filter((keyword) => !ANNOTATIONS.has(keyword));
}

/** Problems found by walking the schema, written for `draft`. */
export function lintSchema(draft: Draft, root: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const keywords = keywordsOf(draft);
  const known = new Set(keywords);
  const newer = draft === "2020-12" ? new Set<string>() : new Set(keywordsOf("2020-12"));
  forEachSchema(root, (schema, pointer) => {
    for (const [keyword, value] of Object.entries(schema)) {
      const at = pointerChild(pointer, keyword);
      if (!known.has(keyword) && newer.has(keyword)) {
        problems.push({
          path: at,
          message: `is not a keyword of ${draft} (it would be ignored): leave "$schema" out to use draft 2020-12`,
        });
      } else if (!known.has(keyword) && !ANNOTATIONS.has(keyword)) {
        const suggestion = closest(keyword, keywords);
        if (suggestion !== undefined)
          problems.push({
            path: at,
            message: `unknown keyword ${JSON.stringify(keyword)}: did you mean ${JSON.stringify(suggestion)}?`,
          });
      }
      if (keyword === "pattern" && typeof value === "string" && !isValidPattern(value)) {
        problems.push({ path: at, message: `is not a valid regular expression: ${JSON.stringify(value)}` });
      }
      if (keyword === "patternProperties" && isJsonObject(value)) {
        for (const name of Object.keys(value)) {
          if (!isValidPattern(name))
            problems.push({
              path: pointerChild(at, name),
              message: `is not a valid regular expression: ${JSON.stringify(name)}`,
            });
        }
      }
      if (
        keyword === "$ref" &&
        typeof value === "string" &&
        isPointerRef(value) &&
        resolvePointerRef(root, value) === undefined
      ) {
        problems.push({ path: at, message: `${JSON.stringify(value)} does not point to anything in the schema` });
      }
    }
  });
  const cycle = problems.length === 0 ? findInPlaceRefCycle(root) : undefined;
  if (cycle !== undefined) {
    problems.push({
      path: cycle,
      message:
        "leads back to a schema already applied to the same value, without descending into it: checking would never end",
    });
  }
  return problems;
}

/** Where a `$ref` with this text is written (for Ajv's "can't resolve reference", which has no place). */
export function refLocations(root: unknown, ref: string): string[] {
  const found: string[] = [];
  forEachSchema(root, (schema, pointer) => {
    if (schema.$ref === ref) found.push(pointerChild(pointer, "$ref"));
  });
  return found;
}
