/**
 * YAML numbers as Python reads them. The `yaml` package turns `18446744073709551617` into a
 * rounded double and `3.0` into the int-looking 3; Python's YAML loaders keep the int exact
 * and `3.0` a float. Values that reach steps (input defaults, `--input` files, file inputs)
 * go through here, so they follow the value model of `src/model/py-value.ts`: an int beyond
 * 2^53 a bigint, an integral float an `IntegralFloat`.
 *
 * Only numbers are rewritten, from the scalar's source text; the package's own JS value is
 * kept for everything else (tags, aliases), so nothing but numbers can change.
 */
import { YAMLParseError, isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";
import { IntegralFloat, pyInt } from "../model/py-value.ts";

const DECIMAL_INT = /^[-+]?[0-9]+$/;
const PREFIXED_INT = /^0(x[0-9a-fA-F]+|o[0-7]+)$/;

/** The Python value of a YAML number from its source text (`3.0` → float, `0x1F` → int). */
function exactNumber(source: string | undefined, value: number): unknown {
  if (source === undefined) return value;
  const text = source.trim();
  if (DECIMAL_INT.test(text)) return pyInt(BigInt(text.startsWith("+") ? text.slice(1) : text));
  if (PREFIXED_INT.test(text)) return pyInt(BigInt(text));
  return Number.isInteger(value) ? new IntegralFloat(value) : value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * `js` (what `toJS` made of `node`) with every number taken from the node's source text.
 * Where the node and the value do not line up (a merge key, a custom tag), `js` is kept.
 */
export function exactYamlValue(node: unknown, doc: Document, js: unknown, depth = 0): unknown {
  if (depth > 200) return js;
  if (isAlias(node)) return exactYamlValue(node.resolve(doc), doc, js, depth + 1);
  if (isScalar(node))
    return typeof js === "number" && typeof node.value === "number" ? exactNumber(node.source, js) : js;
  if (isSeq(node) && Array.isArray(js) && node.items.length === js.length) {
    return js.map((item, i) => exactYamlValue(node.items[i], doc, item, depth + 1));
  }
  if (isMap(node) && isPlainObject(js)) {
    const out: Record<string, unknown> = { ...js };
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (!Object.hasOwn(out, key)) continue;
      const value = exactYamlValue(pair.value, doc, out[key], depth + 1);
      if (key === "__proto__")
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }
  return js;
}

/**
 * `yaml.parse(text)` with Python's numbers (see above).
 * @throws YAMLParseError for the first error in the text, as `parse` does
 */
export function parseYamlExact(text: string): unknown {
  const doc = parseDocument(text);
  const [error] = doc.errors;
  if (error) throw error instanceof YAMLParseError ? error : new Error(String(error));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (cause) {
    if (!(cause instanceof ReferenceError) || !/alias/i.test(cause.message)) throw cause;
    // A "billion laughs" document: reported like a syntax error, at the start of the text.
    const bomb = new YAMLParseError(
      [0, 1],
      "BAD_ALIAS",
      "YAML aliases expand into too many copies (more than 1,000 alias uses); write the values out",
    );
    throw bomb;
  }
  return exactYamlValue(doc.contents, doc, value);
}
