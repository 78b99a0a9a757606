/**
 * `visualize --format dot`: a Graphviz `digraph` (`aiorch visualize --format dot | dot
 * -Tsvg > dag.svg`). Every name is a quoted ID, so `-` and `.` need nothing special; edges
 * go dependency → step. A foreach step is a `box3d`, a conditional one a dashed box, and a
 * handler is joined to the steps it answers for by a dashed `on failure` edge.
 */
import { stepDetails, type DagDescription, type DagStep } from "./dag-description.ts";

/**
 * A DOT quoted string: `"` and `\` escaped (a backslash starts an escape such as `\n` in
 * a label), a line break written as `\n` so it stays one statement.
 */
export function dotQuote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\r?\n|\r/g, "\\n")}"`;
}

function node(step: DagStep, handler: boolean): string {
  const attributes = [`label=${dotQuote(`${step.name}\n${stepDetails(step)}`)}`];
  if (step.foreach !== undefined) attributes.push("shape=box3d");
  if (step.condition !== undefined) attributes.push('style="rounded,dashed"');
  else if (handler) attributes.push("style=rounded");
  return `  ${dotQuote(step.name)} [${attributes.join(", ")}];`;
}

/** The digraph (lines joined with `\n`, no trailing newline). */
export function renderDot(dag: DagDescription): string {
  const lines = [`digraph ${dotQuote(dag.pipeline)} {`, "  rankdir=TB;", '  node [shape=box, fontname="Helvetica"];'];
  for (const step of dag.steps) lines.push(node(step, false));
  for (const handler of dag.handlers) lines.push(node(handler.step, true));
  for (const [from, to] of dag.edges) lines.push(`  ${dotQuote(from)} -> ${dotQuote(to)};`);
  for (const handler of dag.handlers) {
    for (const owner of handler.for)
      lines.push(`  ${dotQuote(owner)} -> ${dotQuote(handler.step.name)} [style=dashed, label="on failure"];`);
  }
  lines.push("}");
  return lines.join("\n");
}
