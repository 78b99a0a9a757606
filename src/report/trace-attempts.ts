/**
 * The failed attempts in `aiorch trace`: under a step (or a failed foreach item), each
 * attempt's error and the end of what it printed. Without `-v` each stream shows its last
 * {@link SHOWN_TAIL_LINES} lines; with `-v`, all the history kept.
 */
import type { RecordedAttempt } from "../history/index.ts";
import { outputBlock, SHOWN_TAIL_LINES } from "./output-block.ts";

/** A labelled block of a step's details: `printed` (one attempt's output) or `attempts` (several). */
export interface AttemptsDetail {
  label: "printed" | "tries";
  text: string;
}

/**
 * What the failed attempts printed. One failed attempt, the one whose error the step shows
 * already: its output only (`printed`). Several (retries): each attempt's error line and
 * its output (`tries`). Undefined when there is nothing to show.
 */
export function attemptsDetail(
  attempts: readonly RecordedAttempt[] | null | undefined,
  verbose: boolean,
  shownError?: string | null,
): AttemptsDetail | undefined {
  if (!attempts || attempts.length === 0) return undefined;
  const maxLines = verbose ? Number.POSITIVE_INFINITY : SHOWN_TAIL_LINES;
  const only = attempts.length === 1 ? attempts[0]! : undefined;
  if (only && typeof shownError === "string" && shownError.includes(only.error)) {
    const block = outputBlock(only.output, maxLines);
    return block.length > 0 ? { label: "printed", text: block.join("\n") } : undefined;
  }
  const lines: string[] = [];
  for (const attempt of attempts) {
    const [first = "", ...rest] = attempt.error.split("\n");
    lines.push(`#${attempt.attempt} ${first}`);
    if (verbose) lines.push(...rest.map((line) => `  ${line}`));
    lines.push(...outputBlock(attempt.output, maxLines).map((line) => `  ${line}`));
  }
  return { label: "tries", text: lines.join("\n") };
}
