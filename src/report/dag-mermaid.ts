/**
 * `visualize --format mermaid`: a Mermaid `flowchart TD` to paste in a README or a pull
 * request (GitHub renders it in a ```mermaid block). Edges go dependency → step. Nodes get
 * generated ids (`s0`, `s1`, …) because a step name may be a Mermaid keyword (`end`) or
 * hold `-` (read as part of an arrow); the name is the quoted label. Shapes mark what a
 * step does besides running once: foreach is a subroutine box `[[…]]`, a condition a
 * hexagon `{{…}}` (foreach wins when a step has both; the label says both). A handler is
 * joined to the steps it answers for by a dashed `on failure` edge.
 */
import { stepDetails, type DagDescription, type DagStep } from "./dag-description.ts";

/**
 * Text inside a `"…"` label: Mermaid reads `#…;` entity codes there, and labels are HTML,
 * so `"`, `#`, `<`, `>` and `&` are written as codes; a line break would end the statement.
 */
export function mermaidText(text: string): string {
  return text.replace(/[#"<>&\n\r]/g, (c) => `#${c.charCodeAt(0)};`);
}

function node(id: string, step: DagStep): string {
  const label = `"${mermaidText(step.name)}<br/>${mermaidText(stepDetails(step))}"`;
  if (step.foreach !== undefined) return `  ${id}[[${label}]]`;
  if (step.condition !== undefined) return `  ${id}{{${label}}}`;
  return `  ${id}[${label}]`;
}

/** The flowchart (lines joined with `\n`, no trailing newline). */
export function renderMermaid(dag: DagDescription): string {
  const ids = new Map<string, string>();
  const lines = [`%% pipeline ${dag.pipeline.replace(/[\n\r]/g, " ")}`, "flowchart TD"];
  for (const step of [...dag.steps, ...dag.handlers.map((h) => h.step)]) {
    const id = `s${ids.size}`;
    ids.set(step.name, id);
    lines.push(node(id, step));
  }
  for (const [from, to] of dag.edges) lines.push(`  ${ids.get(from)} --> ${ids.get(to)}`);
  for (const handler of dag.handlers) {
    for (const owner of handler.for) lines.push(`  ${ids.get(owner)} -. on failure .-> ${ids.get(handler.step.name)}`);
  }
  return lines.join("\n");
}
