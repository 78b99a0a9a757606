/**
 * Messages and hints for template syntax errors that need more than one line of code to
 * word: operators missing an operand, Jinja statements this engine does not support,
 * stray characters and tokens. Each hint says what to write instead.
 */
import { FILTER_NAMES } from "./catalog.ts";
import { IS_TESTS } from "./predicates.ts";

/** A message and the hint that goes with it. */
export interface Advice {
  message: string;
  hint: string;
}

/** A Jinja statement the engine does not support; `block` when it has an `{% end… %}` tag. */
interface Unsupported {
  block: boolean;
  hint: string;
}

const INHERITANCE =
  "template inheritance (`{% extends %}`, `{% block %}`) is not supported; write the whole text in this field";
const LOOP_CONTROL =
  "loop controls are not supported; skip items with an `{% if %}` inside the loop, or filter the list first (`selectattr`, `rejectattr`)";

/** Jinja statements that are not supported, with what to write instead. */
export const UNSUPPORTED_STATEMENTS: Readonly<Record<string, Unsupported>> = {
  autoescape: {
    block: true,
    hint: "`{% autoescape %}` is not supported, and not needed: text is never HTML-escaped, and run: values are shell-quoted for you; remove the tag",
  },
  block: { block: true, hint: INHERITANCE },
  extends: { block: false, hint: INHERITANCE },
  include: {
    block: false,
    hint: "`{% include %}` is not supported; put the text in this field, or read the file in a python: step and use its result",
  },
  import: {
    block: false,
    hint: "`{% import %}` is not supported (a template has no other files to import from); define the macro in this field with `{% macro %}`",
  },
  from: {
    block: false,
    hint: "`{% from … import %}` is not supported (a template has no other files to import from); define the macro in this field with `{% macro %}`",
  },
  break: { block: false, hint: LOOP_CONTROL },
  continue: { block: false, hint: LOOP_CONTROL },
  do: { block: false, hint: "`{% do %}` is not supported; use `{% set name = value %}`" },
};

/** A right operand that reads naturally after each operator, for the corrected form. */
const EXAMPLE_RIGHT: Readonly<Record<string, string>> = {
  "~": '"text"',
  "==": '"x"',
  "!=": '"x"',
  "<": "10",
  "<=": "10",
  ">": "10",
  ">=": "10",
  in: "items",
  "not in": "items",
  and: "other",
  or: "other",
};

/** The operand's own text when it is short enough to quote in a hint. */
const quotable = (text: string | undefined): string | undefined =>
  text !== undefined && text.length <= 24 && !text.includes("\n") ? text : undefined;

/** A binary operator (or `in`, `not in`) with nothing after it; `left` is its left operand's text. */
export function missingRight(op: string, left: string | undefined): Advice {
  const example = `${quotable(left) ?? "a"} ${op} ${EXAMPLE_RIGHT[op] ?? (op === "-" || op === "+" ? "1" : "2")}`;
  return {
    message: `\`${op}\` needs a value on its right`,
    hint: `write a value after it, e.g. \`${example}\`, or remove the \`${op}\``,
  };
}

/** `not`, a sign, `if` or `else` with nothing after it. */
export function missingOperand(word: "not" | "-" | "+" | "if" | "else"): Advice {
  if (word === "if")
    return { message: "`if` needs a condition on its right", hint: "write `value if condition else other`" };
  if (word === "else")
    return {
      message: "`else` needs a value on its right",
      hint: 'write `value if condition else other`, e.g. `name if name else "anonymous"`',
    };
  const example = word === "not" ? "not done" : `${word}1`;
  return { message: `\`${word}\` needs a value on its right`, hint: `write a value after it, e.g. \`${example}\`` };
}

/** `|` or `is` (or `is not`) with no filter or test name after it. */
export function missingName(op: "|" | "is", left: string | undefined): Advice {
  const subject = quotable(left) ?? "x";
  if (op === "|")
    return {
      message: "`|` needs a filter name on its right",
      hint: `e.g. \`${subject} | upper\`; supported filters: ${FILTER_NAMES.join(", ")}`,
    };
  return {
    message: "`is` needs a test name on its right",
    hint: `e.g. \`${subject} is defined\`; supported tests: ${Object.keys(IS_TESTS).join(", ")}`,
  };
}

/** `not` right after an operator that binds tighter (`a + not b`, `a == not b`). */
export function notAfter(op: string): Advice {
  return {
    message: `\`not\` cannot follow \`${op}\` without parentheses`,
    hint: `negate the part in parentheses: \`a ${op} (not b)\`, or the whole: \`not (a ${op} b)\``,
  };
}

/** A word like `and` where a value should start: it has nothing on its left. */
export function missingLeft(word: string): Advice {
  if (word === "if" || word === "else") {
    return {
      message: `\`${word}\` needs a value on its left`,
      hint: "an inline condition reads `value if condition else other`; for a block, use `{% if condition %}`",
    };
  }
  const example = word === "is" ? "x is defined" : word === "in" ? "x in items" : `a ${word} b`;
  return { message: `\`${word}\` needs a value on its left`, hint: `e.g. \`${example}\`` };
}

/** Nothing, or a token that cannot start one, where a value should be (`{{ }}`, `{{ | a }}`, `{{ , }}`). */
export function missingValue(token: string, atEnd: boolean): Advice {
  if (atEnd)
    return { message: `expected an expression, got ${token}`, hint: "put a name or a value here, e.g. `{{ name }}`" };
  if (token === "`|`") return { message: "`|` needs a value on its left", hint: "e.g. `name | upper`" };
  if (token === "`=`")
    return { message: "unexpected `=`", hint: "to compare, write `==`; to assign, use `{% set name = value %}`" };
  return {
    message: `unexpected ${token}`,
    hint: "a value goes here: a name, a number, a 'string', a [list] or a {dict}",
  };
}

/** Hints for mistakes inside `a[…]`. */
export const SUBSCRIPT_HINTS = {
  index: "e.g. `items[0]` or `d['key']`",
  slicing: "use the `first` or `last` filter, `items[0]`, or cut the list in a python: step",
  tuple: "index one level at a time: `a[1][2]`",
  close: "close the index with `]`",
} as const;

/** What to write instead of a character that has no meaning in an expression. */
export function unexpectedCharacterHint(c: string): string {
  if (c === "!") return "write `!=` for 'not equal', or `not x` to negate";
  if (c === "&") return "write `and` instead of `&&`";
  if (c === "$") return "names need no `$`: write `{{ name }}`";
  if (c === "?") return "write an inline condition as `value if condition else other`";
  if (c === "@" || c === "^") return "expressions use `+ - * / // % **` for arithmetic and `~` to join text";
  return "an expression is made of names, numbers, 'strings', lists, dicts and operators";
}

/** A token where the tag (or condition) should end: `{{ a b }}`, `{% if a b %}`; `closer` ends the tag. */
export function trailingTokenHint(token: string, closer?: string): string {
  if (token === "`=`") return "to compare, write `==`; to assign, use `{% set name = value %}`";
  const end = closer ? `, or end the tag with ${closer} before ${token}` : "";
  return `two values in a row: join text with \`~\` or put an operator (\`and\`, \`==\`, \`+\`…) between them${end}`;
}
