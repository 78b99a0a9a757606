/** One problem found in a pipeline, pinned to a place in a file. */
export interface Diagnostic {
  severity: "error" | "warning";
  file: string;
  /** 1-based; 0 when the problem has no position (e.g. an unreadable file). */
  line: number;
  col: number;
  step?: string;
  field?: string;
  message: string;
  /** How to fix it, one line. */
  hint?: string;
  /** The text of `line` in `file`, for the caret snippet. */
  sourceLine?: string;
}

export interface FormatOptions {
  color?: boolean;
}

const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/**
 * `file:line:col: error: message`, the source line with a caret under the column,
 * and the hint. Tabs in the source line are kept so the caret lines up.
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const color = options.color ?? false;
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  const label = d.severity === "error" ? paint(color, "31;1", "error") : paint(color, "33;1", "warning");
  const lines = [`${paint(color, "1", where)}: ${label}: ${d.message}`];
  if (d.sourceLine !== undefined && d.line > 0) {
    const gutter = String(d.line);
    const pad = " ".repeat(gutter.length);
    const lead = d.sourceLine.slice(0, Math.max(0, d.col - 1)).replace(/[^\t]/g, " ");
    lines.push(` ${gutter} | ${d.sourceLine}`);
    lines.push(` ${pad} | ${lead}${paint(color, "32;1", "^")}`);
  }
  if (d.hint) lines.push(`  ${paint(color, "36", "hint")}: ${d.hint}`);
  return lines.join("\n");
}

/** Every diagnostic, errors first then warnings, each in file/line order, and a count line. */
export function formatDiagnostics(diagnostics: Diagnostic[], options: FormatOptions = {}): string {
  const sorted = sortDiagnostics(diagnostics);
  const errors = sorted.filter((d) => d.severity === "error").length;
  const warnings = sorted.length - errors;
  const parts = sorted.map((d) => formatDiagnostic(d, options));
  const counts = [
    errors ? `${errors} error${errors > 1 ? "s" : ""}` : "",
    warnings ? `${warnings} warning${warnings > 1 ? "s" : ""}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  if (counts) parts.push(counts);
  return parts.join("\n\n");
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic) => (d.severity === "error" ? 0 : 1);
  return [...diagnostics].sort(
    (a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  );
}

export const hasErrors = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.severity === "error");
