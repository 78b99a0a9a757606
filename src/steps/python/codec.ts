/**
 * JSON as spoken with the python worker (docs/pipeline-reference.md#results-names-and-context): Python-exact JSON (`src/model/py-json.ts`):
 * ints of any size and floats such as `40.0` cross in both directions unchanged, and bytes
 * travel as `{"$bytes": "<base64>"}` and are a `Uint8Array` on this side. The worker's own
 * `json` module already reads and writes these exactly.
 */
import { parsePyJson, stringifyPyJson } from "../../model/py-json.ts";

export { BYTES_TAG } from "../../model/py-json.ts";

/** Encodes a value for the worker; `undefined` encodes as null. */
export function encodeJson(value: unknown): string {
  return stringifyPyJson(value);
}

/** Decodes a worker message, bytes included. */
export function decodeJson(text: string): unknown {
  return parsePyJson(text, { bytes: true });
}
