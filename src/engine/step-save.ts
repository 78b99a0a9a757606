import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Step } from "../model/pipeline.ts";
import { stringifyPyJson } from "../model/py-json.ts";
import { compileTemplate } from "../template/index.ts";
import type { FailedItem } from "./foreach.ts";
import { readsItem } from "./step-reads.ts";

function writeSaved(template: string, value: unknown, context: Record<string, unknown>, cwd: string): string {
  const path = resolve(cwd, compileTemplate(template).render(context).trim());
  mkdirSync(dirname(path), { recursive: true });
  const text =
    typeof value === "string" ? value : value instanceof Uint8Array ? value : stringifyPyJson(value, { indent: 2 });
  writeFileSync(path, text);
  return path;
}

/**
 * `save:` writes the result to a file; returns the files written. On a foreach step whose
 * path reads `item` or `item_index` (`out/{{ item }}.txt`), each item's result goes to its
 * own file; otherwise the whole list goes to one. An item that failed (`on_item_failure:
 * continue`) has no result: no file is written for it.
 */
export function save(
  step: Step,
  value: unknown,
  context: Record<string, unknown>,
  cwd: string,
  items?: readonly unknown[],
  failed: readonly FailedItem[] = [],
): string[] {
  if (!step.save) return [];
  const perItem = items && Array.isArray(value) && readsItem(step.save);
  if (!perItem) return [writeSaved(step.save, value, context, cwd)];
  const skipped = new Set(failed.map((f) => f.index));
  const written: string[] = [];
  value.forEach((itemValue, index) => {
    if (!skipped.has(index))
      written.push(
        writeSaved(
          step.save!,
          itemValue,
          { ...context, item: items[index], item_index: index, [step.name]: itemValue },
          cwd,
        ),
      );
  });
  return written;
}
