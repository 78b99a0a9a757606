/**
 * The failed items of a foreach that kept going (`on_item_failure: continue`): the step
 * succeeded, so without this list its failures would pass unseen. The live view prints it
 * under the step's line and again at the end of the run.
 */
import type { FailedItem } from "../engine/foreach.ts";
import { errorWithReason } from "./output-block.ts";

/** Items listed one by one; the rest are counted (`aiorch trace` has them all). */
export const FAILED_ITEMS_LISTED = 10;

/** `3 of 50 items failed` (`total` unknown: `3 items failed`). */
export function failedItemsHeadline(failed: readonly FailedItem[], total: number | undefined): string {
  const noun = (total ?? failed.length) === 1 ? "item" : "items";
  return total === undefined ? `${failed.length} ${noun} failed` : `${failed.length} of ${total} ${noun} failed`;
}

/**
 * An error on one line: its first, and when that only announces what follows
 * (`stderr (last 20 lines):`), the last line of what follows — usually the reason.
 */
export function errorOneLine(error: string): string {
  const lines = error.split("\n").filter((line) => line.trim() !== "");
  const first = lines[0] ?? "";
  return first.endsWith(":") && lines.length > 1 ? `${first} … ${lines[lines.length - 1]!.trim()}` : first;
}

/**
 * The headline and one line per failed item, `[17] first line of its error`, the first
 * {@link FAILED_ITEMS_LISTED} of them, then `… 4 more`.
 */
export function failedItemsLines(path: string, failed: readonly FailedItem[], total: number | undefined): string[] {
  const shown = failed
    .slice(0, FAILED_ITEMS_LISTED)
    .map((item) => `  [${item.index}] ${errorWithReason(errorOneLine(item.error), item.output)}`);
  const more = failed.length - shown.length;
  return [`${path}: ${failedItemsHeadline(failed, total)}:`, ...shown, ...(more > 0 ? [`  … ${more} more`] : [])];
}
