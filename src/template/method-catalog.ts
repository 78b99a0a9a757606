/**
 * The method names templates may call, with their argument counts, checked at load time;
 * and the Python methods refused there, with the reason and what to write instead.
 * Taken from `dir(str)`, `dir(list)`, `dir(dict)`; the methods of engine objects
 * (`loop.cycle`, `loop.changed`, a cycler's `next`/`reset`) are listed too.
 */

/** `[min, max]` positional arguments of each method (any receiver type). */
export const METHOD_ARITY: Readonly<Record<string, readonly [number, number]>> = {
  // str
  capitalize: [0, 0],
  casefold: [0, 0],
  center: [1, 2],
  count: [1, 3],
  endswith: [1, 3],
  expandtabs: [0, 1],
  find: [1, 3],
  format: [0, Infinity],
  format_map: [1, 1],
  index: [1, 3],
  isalnum: [0, 0],
  isalpha: [0, 0],
  isascii: [0, 0],
  isdecimal: [0, 0],
  isdigit: [0, 0],
  isidentifier: [0, 0],
  islower: [0, 0],
  isnumeric: [0, 0],
  isprintable: [0, 0],
  isspace: [0, 0],
  istitle: [0, 0],
  isupper: [0, 0],
  join: [1, 1],
  ljust: [1, 2],
  lower: [0, 0],
  lstrip: [0, 1],
  partition: [1, 1],
  removeprefix: [1, 1],
  removesuffix: [1, 1],
  replace: [2, 3],
  rfind: [1, 3],
  rindex: [1, 3],
  rjust: [1, 2],
  rpartition: [1, 1],
  rsplit: [0, 2],
  rstrip: [0, 1],
  split: [0, 2],
  splitlines: [0, 1],
  startswith: [1, 3],
  strip: [0, 1],
  swapcase: [0, 0],
  title: [0, 0],
  upper: [0, 0],
  zfill: [1, 1],
  // list and dict (count and index are shared with str)
  copy: [0, 0],
  fromkeys: [1, 2],
  get: [1, 2],
  items: [0, 0],
  keys: [0, 0],
  values: [0, 0],
  // engine objects
  next: [0, 0],
  reset: [0, 0],
  cycle: [0, Infinity],
  changed: [0, Infinity],
};

/** Methods that take keyword arguments (the others are positional-only, as in Python). */
export const KEYWORD_METHODS: ReadonlySet<string> = new Set(["format", "split", "rsplit", "splitlines", "expandtabs"]);

const IMMUTABLE =
  "templates do not change values (a value is often a step's result, shared with every step that reads it)";

/** Why a built-in is refused at load time (the message) and what to write instead (the hint). */
export interface Refusal {
  message: string;
  hint: string;
}

const refuse = (message: string, hint: string): Refusal => ({ message, hint });

/** Python methods refused at load time. */
export const REFUSED_METHODS: Readonly<Record<string, Refusal>> = {
  encode: refuse(
    "`.encode()` is not supported: templates have no bytes",
    "text is already Unicode: use the string itself",
  ),
  maketrans: refuse(
    "`.maketrans()` is not supported: its tables have int keys, which template dicts cannot hold",
    "use `.replace()` or the `replace` filter",
  ),
  translate: refuse(
    "`.translate()` is not supported: its tables have int keys, which template dicts cannot hold",
    "use `.replace()` or the `replace` filter",
  ),
  append: refuse(`\`.append()\` is not supported: ${IMMUTABLE}`, `write \`items + [x]\``),
  extend: refuse(`\`.extend()\` is not supported: ${IMMUTABLE}`, `write \`items + more\``),
  insert: refuse(
    `\`.insert()\` is not supported: ${IMMUTABLE}`,
    `build a new list with \`+\` and slices (\`items[:i] + [x] + items[i:]\`)`,
  ),
  remove: refuse(`\`.remove()\` is not supported: ${IMMUTABLE}`, `use \`items | reject('eq', x) | list\``),
  pop: refuse(
    `\`.pop()\` is not supported: ${IMMUTABLE}`,
    `read \`items[-1]\` / \`d.get(k)\`, and slice (\`items[:-1]\`) or filter for the rest`,
  ),
  popitem: refuse(`\`.popitem()\` is not supported: ${IMMUTABLE}`, `read \`(d | items | list)[-1]\``),
  clear: refuse(`\`.clear()\` is not supported: ${IMMUTABLE}`, `write \`[]\` or \`{}\``),
  sort: refuse(`\`.sort()\` is not supported: ${IMMUTABLE}`, `use the \`sort\` filter (\`items | sort\`)`),
  reverse: refuse(`\`.reverse()\` is not supported: ${IMMUTABLE}`, `use the \`reverse\` filter or \`items[::-1]\``),
  update: refuse(`\`.update()\` is not supported: ${IMMUTABLE}`, `write \`dict(d, key=value)\``),
  setdefault: refuse(`\`.setdefault()\` is not supported: ${IMMUTABLE}`, `read \`d.get(key, default)\``),
};
