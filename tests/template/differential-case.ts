/** One template rendered by our engine and by Jinja2 (see differential.test.ts). */
export interface DiffCase {
  template: string;
  context?: Record<string, unknown>;
  /** Compare native values as JSON (our `evaluate` vs Jinja's value); the template is one `{{ expr }}`. */
  json?: boolean;
  /** A deliberate difference (SPEC docs/templates.md#undefined-names/docs/templates.md#how-values-are-rendered only): what we produce instead, and why. */
  divergence?: { reason: string; ours: string | { error: true } };
}

/** The context every case sees (a case's own context is merged over it). No integral floats: JSON would lose them. */
export const BASE_CONTEXT: Record<string, unknown> = {
  name: "World",
  n: 7,
  f: 2.5,
  neg: -3,
  s: "  Hello World  ",
  words: "the quick brown fox",
  items: [3, 1, 2],
  names: ["bob", "Alice", "carol"],
  mixed: ["B", "a", "C"],
  nums: [1.5, 2.25, 3],
  users: [
    { name: "ann", age: 31, active: true, role: "admin" },
    { name: "bob", age: 25, active: false, role: "dev" },
    { name: "cid", age: 40, active: true, role: "dev" },
  ],
  d: { b: 2, a: 1, c: 3 },
  nested: { inner: { value: 42, list: [1, 2, 3] } },
  empty: [],
  emptyd: {},
  nothing: null,
  yes: true,
  no: false,
  zero: 0,
  text: "line1\nline2\n\nline4",
};

/** A text case: the rendered texts must be equal (or both fail). */
export const text = (template: string, context?: Record<string, unknown>): DiffCase => ({
  template,
  ...(context ? { context } : {}),
});

/** A value case: `{{ expr }}` whose native value is compared as JSON. */
export const value = (expr: string, context?: Record<string, unknown>): DiffCase => ({
  template: `{{ ${expr} }}`,
  json: true,
  ...(context ? { context } : {}),
});

/** A case where we differ from Jinja by design. */
export const diverges = (template: string, ours: string | { error: true }, reason: string): DiffCase => ({
  template,
  divergence: { reason, ours },
});
