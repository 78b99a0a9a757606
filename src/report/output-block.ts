/**
 * What a failed attempt printed, as the run view, `trace` and the reports show it: the end
 * of its stdout and of its stderr, each under its own heading, indented.
 */
import type { OutputTails } from "../errors/step-failure.ts";

/** Lines of each stream shown under a failed step without `-v` (the history keeps more). */
export const SHOWN_TAIL_LINES = 10;

/**
 * `stdout (last 2 lines):` and its lines, then the same for stderr; a stream that printed
 * nothing is left out. `maxLines` cuts each stream to its last lines and says so.
 */
export function outputBlock(output: OutputTails | undefined, maxLines = Number.POSITIVE_INFINITY): string[] {
  if (!output) return [];
  const lines: string[] = [];
  for (const stream of ["stdout", "stderr"] as const) {
    const text = output[stream];
    if (!text) continue;
    const all = text.split("\n");
    const shown = all.length > maxLines ? all.slice(-maxLines) : all;
    const label =
      shown.length < all.length ? `${stream} (last ${shown.length} of ${all.length} lines kept):` : `${stream}:`;
    lines.push(label, ...shown.map((line) => `  ${line}`));
  }
  return lines;
}

/** The last line an attempt printed (stderr first: it usually says why), for one-line reports. */
export function lastOutputLine(output: OutputTails | undefined): string | undefined {
  if (!output) return undefined;
  for (const text of [output.stderr, output.stdout]) {
    const line = text
      .split("\n")
      .reverse()
      .find((l) => l.trim() !== "");
    if (line) return line.trim();
  }
  return undefined;
}

/**
 * A failure as one text, for reports that hold text (JUnit, GitHub annotations): the error,
 * then what the attempt printed (each stream's last `maxLines` lines), then the detail (a
 * traceback) unless the error holds it already.
 */
export function failureText(
  error: string,
  output: OutputTails | undefined,
  detail: string | undefined,
  maxLines: number,
): string {
  const parts = [error, ...outputBlock(output, maxLines)];
  if (detail && !error.includes(detail.trim())) parts.push(...detail.replace(/\s+$/, "").split("\n").slice(-maxLines));
  return parts.join("\n");
}

/** An error on one line, with the last line the attempt printed (usually the reason): `command … exited with code 3 … disk full`. */
export function errorWithReason(headline: string, output: OutputTails | undefined): string {
  const last = lastOutputLine(output);
  return last ? `${headline} … ${last}` : headline;
}
