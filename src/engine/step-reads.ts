/**
 * The names a step reads, taken from its templates' own references (the free names each
 * template reads; not loop or `set` locals), and for a step whose body is code (python)
 * from the words of its body. Worked out once per step: a foreach asks for every item.
 */
import type { Step } from "../model/pipeline.ts";
import { executorFor, type TemplateText } from "../steps/registry.ts";
import { compileCondition, compileTemplate } from "../template/index.ts";

/** Identifiers as python and templates spell them. */
const WORDS = /[\p{L}_][\p{L}\p{N}_]*/gu;

/** The names that vary per foreach item. */
const ITEM_NAMES = ["item", "item_index"];

const textOf = (value: unknown): value is string => typeof value === "string";

/** The templated `vars` of a step, in file order. */
function templatedVars(step: Step): [string, string][] {
  return Object.entries(step.vars).filter((entry): entry is [string, string] => textOf(entry[1]));
}

/** The templates of the fields every step has, besides `vars` and `condition`: `foreach`, `save`, `cwd`. */
function commonTemplates(step: Step): TemplateText[] {
  const sources = [step.foreach?.kind === "expression" ? step.foreach.template : undefined, step.save, step.cwd].filter(
    textOf,
  );
  return sources.map((source) => ({ source, mode: "text" }));
}

/** The templates of the step's own primitive (its body, a prompt's model…), as its executor declares them. */
function primitiveTemplates(step: Step): TemplateText[] {
  return executorFor(step)?.traits.templates?.(step) ?? [];
}

/** Whether the step's body is code that may read any name it builds (python). */
export function bodyIsCode(step: Step): boolean {
  return executorFor(step)?.traits.bodyIsCode === true;
}

function addReferences(names: Set<string>, text: TemplateText): void {
  for (const reference of compileTemplate(text.source, text.mode).references) names.add(reference.name);
}

const conditionCache = new WeakMap<Step, ReadonlySet<string>>();
const allCache = new WeakMap<Step, ReadonlySet<string>>();

/** The names read to decide whether a step runs: by its `vars` and its `condition`. */
export function namesReadByCondition(step: Step): ReadonlySet<string> {
  let names = conditionCache.get(step);
  if (names) return names;
  const found = new Set<string>();
  for (const [, source] of templatedVars(step)) addReferences(found, { source, mode: "text" });
  if (step.condition?.kind === "expression")
    for (const reference of compileCondition(step.condition.source).references) found.add(reference.name);
  conditionCache.set(step, (names = found));
  return names;
}

/** Every name a step reads: its condition's, its templates', and the words of a code body. */
export function namesReadBy(step: Step): ReadonlySet<string> {
  let names = allCache.get(step);
  if (names) return names;
  const found = new Set(namesReadByCondition(step));
  for (const text of [...commonTemplates(step), ...primitiveTemplates(step)]) addReferences(found, text);
  if (bodyIsCode(step)) for (const word of step.body.match(WORDS) ?? []) found.add(word);
  allCache.set(step, (names = found));
  return names;
}

/**
 * Every text of a step, to find the results its templates may name: a result is left out of
 * the context only when no word of these names it ({@link readableAncestors}).
 */
export function stepWords(step: Step): Set<string> {
  const texts = [
    step.body,
    ...commonTemplates(step).map((t) => t.source),
    ...primitiveTemplates(step).map((t) => t.source),
    ...templatedVars(step).map(([, v]) => v),
  ];
  if (step.condition?.kind === "expression") texts.push(step.condition.source);
  return new Set(texts.join("\n").match(WORDS));
}

const perItemCache = new WeakMap<Step, string[]>();

/**
 * Names of a foreach step's `vars` that read `item`, `item_index` or such a var: they differ
 * per item. Worked out once per step (it is asked for every item).
 */
export function perItemVars(step: Step): string[] {
  let names = perItemCache.get(step);
  if (!names) perItemCache.set(step, (names = findPerItemVars(step)));
  return names;
}

function findPerItemVars(step: Step): string[] {
  if (!step.foreach) return [];
  const perItem = new Set(ITEM_NAMES);
  const templated = templatedVars(step);
  // In file order, as vars are rendered: a var can only read the ones before it.
  for (const [key, value] of templated) {
    if (compileTemplate(value).references.some((reference) => perItem.has(reference.name))) perItem.add(key);
  }
  return templated.map(([key]) => key).filter((key) => perItem.has(key));
}

/** Whether a template reads the foreach item (`out/{{ item }}.txt`). */
export function readsItem(template: string): boolean {
  return compileTemplate(template).references.some((reference) => ITEM_NAMES.includes(reference.name));
}
