/**
 * A tuple whose items also have names (Python's namedtuple), as `groupby` returns them:
 * an ordinary array (it prints, iterates and unpacks as one) that `lookup.attr` also
 * answers by field name (`group.grouper`, `group.list`).
 */
const FIELDS: unique symbol = Symbol("fields");

type Named = unknown[] & { [FIELDS]?: readonly string[] };

/** An array of `values`, readable as `.field` too. */
export function namedTuple(fields: readonly string[], values: unknown[]): unknown[] {
  const out: Named = [...values];
  Object.defineProperty(out, FIELDS, { value: fields, enumerable: false });
  return out;
}

/** The item named `key` of a named tuple; undefined for any other value or name. */
export function tupleField(obj: unknown, key: string): unknown {
  const fields = (obj as Named)[FIELDS];
  if (!fields) return undefined;
  const i = fields.indexOf(key);
  return i < 0 ? undefined : (obj as unknown[])[i];
}
