import type { LayeredGraph } from "./dag-ascii-layers.ts";

/** Marks the start of a parent list: "report <- parse, stats" reads "report depends on parse and stats". */
const ARROW = "<- ";

/**
 * Text of a step in the list: `name [label]`. When that is longer than `room` the label is
 * shortened with "..." (or left out); the name is never cut, since it is what parents refer to.
 */
export function listText(name: string, label: string | undefined, room = Infinity): string {
  if (label === undefined) return name;
  const full = `${name} [${label}]`;
  if (full.length <= room) return full;
  const keep = room - name.length - "  [...]".length + 1;
  return keep >= 1 ? `${name} [${label.slice(0, keep)}...]` : name;
}

/**
 * Packs names into lines of at most `room` characters, separated by ", ", each full line ending
 * with "," so a reader sees the list goes on. A single name longer than `room` gets a line of its own.
 */
function wrapNames(names: readonly string[], room: number): string[] {
  const lines: string[] = [];
  let current = "";
  names.forEach((name, i) => {
    const piece = i < names.length - 1 ? `${name},` : name;
    if (current === "") current = piece;
    else if (current.length + 1 + piece.length <= room) current += ` ${piece}`;
    else {
      lines.push(current);
      current = piece;
    }
  });
  if (current !== "") lines.push(current);
  return lines;
}

/**
 * The explicit rendering: one line per step, grouped by layer, each followed by `<-` and the
 * steps it depends on (in the order they are listed). Parent lists wrap to stay within `width`;
 * a step text too long for its column moves its parents to the next line.
 */
export function renderList(layered: LayeredGraph, width: number): string {
  const { graph, layers, items } = layered;
  const steps = layers.map((layer) => layer.filter((id) => items[id]!.node !== null));
  const listed = steps.flat();
  const rank = new Map(listed.map((node, i) => [node, i]));
  const prefixWidth = `layer ${layers.length - 1}`.length + 2;
  const texts = graph.names.map((name, i) => listText(name, graph.labels[i], width - prefixWidth));

  const longestText = Math.max(...listed.map((n) => texts[n]!.length));
  const longestParent = Math.max(
    0,
    ...listed.filter((n) => graph.children[n]!.length > 0).map((n) => graph.names[n]!.length),
  );
  // Where "<-" starts: after the longest text when it fits, else as far right as the longest
  // parent name (plus "<- " and ",") allows, but never before the step column.
  const wanted = prefixWidth + longestText + 2;
  const parentColumn = Math.max(prefixWidth + 2, Math.min(wanted, width - ARROW.length - longestParent - 1));
  const room = Math.max(1, width - parentColumn - ARROW.length);

  const out: string[] = [];
  steps.forEach((layer, k) => {
    layer.forEach((node, i) => {
      const head = (i === 0 ? `layer ${k}` : "").padEnd(prefixWidth) + texts[node]!;
      const parents = [...graph.parents[node]!].sort((a, b) => rank.get(a)! - rank.get(b)!);
      if (parents.length === 0) {
        out.push(head.trimEnd());
        return;
      }
      const wrapped = wrapNames(
        parents.map((p) => graph.names[p]!),
        room,
      );
      const first = `${ARROW}${wrapped[0]!}`;
      if (head.length + 2 <= parentColumn) out.push(head.padEnd(parentColumn) + first);
      else out.push(head, " ".repeat(parentColumn) + first);
      for (const rest of wrapped.slice(1)) out.push(" ".repeat(parentColumn + ARROW.length) + rest);
    });
  });
  return out.join("\n");
}
