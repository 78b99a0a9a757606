/**
 * What the template language offers, in one place: the supported and refused filters,
 * tests, globals and methods. The differential suite checks these lists against Jinja2's
 * own (`jinja2.defaults`), and the docs test checks docs/templates.md against them.
 */
import { FILTER_NAMES, REFUSED_FILTERS } from "./catalog.ts";
import { GLOBALS, REFUSED_GLOBALS } from "./globals.ts";
import { METHOD_ARITY, REFUSED_METHODS, type Refusal } from "./method-catalog.ts";
import { TESTS } from "./predicates.ts";

export interface Builtins {
  filters: readonly string[];
  tests: readonly string[];
  globals: readonly string[];
  methods: readonly string[];
  /** Name → why it is refused (the load-time message) and what to write instead (its hint). */
  refused: {
    filters: Readonly<Record<string, Refusal>>;
    globals: Readonly<Record<string, Refusal>>;
    methods: Readonly<Record<string, Refusal>>;
  };
}

export const BUILTINS: Builtins = {
  filters: FILTER_NAMES,
  tests: Object.keys(TESTS).sort(),
  globals: Object.keys(GLOBALS).sort(),
  methods: Object.keys(METHOD_ARITY).sort(),
  refused: { filters: REFUSED_FILTERS, globals: REFUSED_GLOBALS, methods: REFUSED_METHODS },
};
