/** Types of the JSON-Schema files' public surface. */

/** A JSON Schema: an object of keywords, or `true` (anything) / `false` (nothing). */
export type JsonSchema = boolean | { [keyword: string]: unknown };

/**
 * One reason a value does not conform. `path` is a JSON Pointer to the offending part of
 * the value ("" is the whole value, "/items/0/name" a nested one); `message` completes
 * "at <path>: …" in plain words, e.g. "must be >= 0".
 */
export interface SchemaError {
  path: string;
  message: string;
  /** The schema keyword that failed (`type`, `required`, `anyOf`, …). */
  keyword: string;
}
