/**
 * The runtime helpers of calls, globals, slices and `%` formatting (spread into `$r`,
 * see runtime.ts). Kept apart so runtime.ts stays the one list of the core helpers.
 */
import { globalName } from "./globals.ts";
import { mod } from "./operators.ts";
import { callValue, type KwArgs } from "./py-callable.ts";
import { percentFormat } from "./py-format.ts";
import { slice } from "./slices.ts";

const NO_KEYWORDS: KwArgs = Object.freeze({});

export const GLOBALS_RUNTIME = {
  /** A free name that is also a Jinja2 global: the context's value, else the global. */
  glob: globalName,
  /**
   * `fn(*args, **kwargs)`: calls any callable the engine holds (a global, a joiner, a
   * macro); `kwargs` is `R.NK` when there are none. See py-callable.ts for the convention.
   */
  callValue,
  /** No keyword arguments. */
  NK: NO_KEYWORDS,
  slice,
  /** `a % b`: printf-style formatting when `a` is a string, else the remainder. */
  mod: (a: unknown, b: unknown, site: number): unknown =>
    typeof a === "string" ? percentFormat(a, b, false, site) : mod(a, b, site),
  /** `text % (x, y)` with a tuple literal: its items are the arguments. */
  pct: (a: unknown, items: unknown[], site: number): unknown =>
    typeof a === "string" ? percentFormat(a, items, true, site) : mod(a, items, site),
};
