/**
 * Word wrapping for help text: lines break at spaces only, so a word, a flag or a path is
 * never split; a word longer than the room it has stays whole on a line of its own.
 */

/** `text` (one paragraph, its spaces collapsed) in lines of at most `width` characters. */
export function wrapWords(text: string, width: number): string[] {
  const words = text.split(/\s+/).filter((w) => w !== "");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * `text` wrapped to `width` with every line starting with `indent`; each `\n`-separated
 * line of `text` is its own paragraph, and the spaces it starts with are kept for its
 * continuation lines too (a hanging indent).
 */
export function wrapParagraphs(text: string, width: number, indent = ""): string[] {
  return text.split("\n").flatMap((paragraph) => {
    if (paragraph.trim() === "") return [""];
    const own = indent + (/^ */.exec(paragraph)?.[0] ?? "");
    return wrapWords(paragraph, Math.max(1, width - own.length)).map((line) => own + line);
  });
}

/**
 * Two columns: each `label` at `indent`, its text wrapped beside it at a common column (the
 * longest label's end, at most `maxLabel` wide). A longer label takes its own line, its text
 * starting on the next. When that leaves the text less than `minText` characters, every text
 * goes under its label instead, further indented.
 */
export function twoColumns(
  rows: readonly { label: string; text: string }[],
  width: number,
  options: { indent?: number; maxLabel?: number; minText?: number } = {},
): string[] {
  const indent = " ".repeat(options.indent ?? 2);
  const minText = options.minText ?? 24;
  const labelWidth = Math.min(
    Math.max(0, ...rows.map((r) => r.label.length)),
    options.maxLabel ?? Math.floor(width * 0.4),
  );
  const column = indent.length + labelWidth + 2;
  const lines: string[] = [];
  if (width - column < minText) {
    for (const { label, text } of rows)
      lines.push(indent + label, ...(text ? wrapParagraphs(text, width, `${indent}    `) : []));
    return lines;
  }
  for (const { label, text } of rows) {
    const wrapped = text ? wrapParagraphs(text, width - column) : [];
    const pad = " ".repeat(column);
    if (label.length > labelWidth) lines.push(indent + label, ...wrapped.map((l) => pad + l));
    else {
      const [first = "", ...more] = wrapped;
      lines.push(`${indent}${label.padEnd(labelWidth)}  ${first}`.trimEnd(), ...more.map((l) => pad + l));
    }
  }
  return lines;
}
