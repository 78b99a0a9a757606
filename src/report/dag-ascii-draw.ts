import type { LayeredGraph } from "./dag-ascii-layers.ts";
import { connectorOffset, placeItems } from "./dag-ascii-place.ts";

/** More parallel lanes than this in one layer are hard to follow: list instead. */
const MAX_LANES_PER_LAYER = 4;
/** More stacked buses than this between two layers read as a tangle: list instead. */
const MAX_BUS_ROWS = 3;

/**
 * The edges between two adjacent layers that share connectors: one parent and its children,
 * or one child and its parents (anything else would be ambiguous and is refused).
 */
interface Bus {
  parents: number[];
  children: Array<{ column: number; arrow: boolean }>;
  min: number;
  max: number;
  row: number;
}

/** Text of a step in a drawing: `[name (label)]`. */
export function boxText(name: string, label: string | undefined): string {
  return label === undefined ? `[${name}]` : `[${name} (${label})]`;
}

function near(bus: Bus, column: number): boolean {
  return column >= bus.min - 1 && column <= bus.max + 1;
}

function overlaps(a: Bus, b: Bus): boolean {
  return a.min <= b.max + 1 && b.min <= a.max + 1;
}

/**
 * Whether `a` may sit on a higher row than `b` without touching it: `b`'s parents come down
 * past `a`'s row and `a`'s children go down past `b`'s row, so neither may pass near the other bus.
 */
function canBeAbove(a: Bus, b: Bus): boolean {
  return !b.parents.some((c) => near(a, c)) && !a.children.some((c) => near(b, c.column));
}

/** The buses between layer `k` and `k + 1`, each on its own row where they overlap; null if impossible. */
function busesBetween(layered: LayeredGraph, k: number, column: readonly number[]): Bus[] | null {
  const layer = layered.layers[k]!;
  const root = new Map<number, number>();
  const find = (id: number): number => {
    let r = id;
    while (root.has(r) && root.get(r) !== r) r = root.get(r)!;
    return r;
  };
  for (const id of layer) {
    root.set(id, find(id));
    for (const child of layered.down[id]!) {
      if (!root.has(child)) root.set(child, child);
      const [a, b] = [find(id), find(child)];
      if (a !== b) root.set(b, a);
    }
  }
  const groups = new Map<number, Bus>();
  const ensure = (id: number): Bus => {
    const r = find(id);
    let bus = groups.get(r);
    if (!bus) groups.set(r, (bus = { parents: [], children: [], min: Infinity, max: -Infinity, row: 0 }));
    return bus;
  };
  for (const id of layer) {
    if (layered.down[id]!.length === 0) continue;
    ensure(id).parents.push(column[id]!);
    for (const child of layered.down[id]!) {
      const bus = ensure(child);
      if (!bus.children.some((c) => c.column === column[child]))
        bus.children.push({ column: column[child]!, arrow: layered.items[child]!.node !== null });
    }
  }
  const buses = [...groups.values()];
  for (const bus of buses) {
    if (bus.parents.length > 1 && bus.children.length > 1) return null;
    const all = [...new Set([...bus.parents, ...bus.children.map((c) => c.column)])].sort((a, b) => a - b);
    // Two junctions side by side ("++") no longer say which line goes where.
    if (all.some((c, i) => i > 0 && c - all[i - 1]! < 2)) return null;
    bus.min = all[0]!;
    bus.max = all[all.length - 1]!;
  }
  buses.sort((a, b) => a.min - b.min || a.max - b.max);
  return stackBuses(buses);
}

/** Gives overlapping buses distinct rows in an order where none touches another. */
function stackBuses(buses: Bus[]): Bus[] | null {
  const above: number[][] = buses.map(() => []);
  const pending = buses.map(() => 0);
  for (let i = 0; i < buses.length; i++) {
    for (let j = i + 1; j < buses.length; j++) {
      const [a, b] = [buses[i]!, buses[j]!];
      if (!overlaps(a, b)) continue;
      const ab = canBeAbove(a, b);
      const ba = canBeAbove(b, a);
      if (!ab && !ba) return null;
      if (ab && ba) continue;
      const [upper, lower] = ab ? [i, j] : [j, i];
      above[upper]!.push(lower);
      pending[lower]!++;
    }
  }
  const placed: number[] = [];
  const done = new Set<number>();
  while (placed.length < buses.length) {
    const next = buses.findIndex((_, i) => !done.has(i) && pending[i] === 0);
    if (next < 0) return null;
    const bus = buses[next]!;
    bus.row = Math.max(-1, ...placed.filter((p) => overlaps(buses[p]!, bus)).map((p) => buses[p]!.row)) + 1;
    placed.push(next);
    done.add(next);
    for (const lower of above[next]!) pending[lower]!--;
  }
  return buses;
}

class Canvas {
  readonly lines: string[][] = [];
  newLine(): number {
    this.lines.push([]);
    return this.lines.length - 1;
  }
  put(line: number, column: number, text: string): void {
    const row = this.lines[line]!;
    while (row.length < column + text.length) row.push(" ");
    for (let i = 0; i < text.length; i++) row[column + i] = text[i]!;
  }
  text(): string[] {
    return this.lines.map((l) => l.join("").trimEnd());
  }
}

function drawGap(canvas: Canvas, buses: readonly Bus[]): void {
  const rows = Math.max(0, ...buses.map((b) => b.row)) + 1;
  const straight = rows === 1 && buses.every((b) => b.min === b.max);
  const top = canvas.newLine();
  for (const bus of buses) for (const c of bus.parents) canvas.put(top, c, "|");
  for (let r = 0; r < rows && !straight; r++) {
    const line = canvas.newLine();
    for (const bus of buses) {
      if (r < bus.row) for (const c of bus.parents) canvas.put(line, c, "|");
      if (r > bus.row) for (const c of bus.children) canvas.put(line, c.column, "|");
      if (r !== bus.row) continue;
      if (bus.min === bus.max) {
        canvas.put(line, bus.min, "|");
        continue;
      }
      canvas.put(line, bus.min, "-".repeat(bus.max - bus.min + 1));
      for (const c of [...bus.parents, ...bus.children.map((x) => x.column)]) canvas.put(line, c, "+");
    }
  }
  const bottom = canvas.newLine();
  for (const bus of buses) for (const c of bus.children) canvas.put(bottom, c.column, c.arrow ? "v" : "|");
}

/**
 * The top-down drawing: steps as `[name (label)]`, connectors below a step join at `+` and
 * end in `v` above each step that depends on it; an edge that skips layers runs as a `|` lane.
 * Returns null when the drawing would be wider than `width` or could be misread.
 */
export function renderDrawing(layered: LayeredGraph, width: number): string | null {
  const { graph, items, layers } = layered;
  if (layered.lanesOmitted) return null;
  for (const layer of layers)
    if (layer.filter((id) => items[id]!.node === null).length > MAX_LANES_PER_LAYER) return null;
  const texts = items.map((item) =>
    item.node === null ? "|" : boxText(graph.names[item.node]!, graph.labels[item.node]),
  );
  const widths = texts.map((t) => t.length);
  const left = placeItems(layered, widths);
  if (items.some((_, id) => left[id]! + widths[id]! > width)) return null;
  const column = left.map((x, id) => x + connectorOffset(widths[id]!));

  const gaps: Bus[][] = [];
  for (let k = 0; k + 1 < layers.length; k++) {
    const buses = busesBetween(layered, k, column);
    if (buses === null || buses.some((b) => b.row >= MAX_BUS_ROWS)) return null;
    gaps.push(buses);
  }
  const canvas = new Canvas();
  layers.forEach((layer, k) => {
    const line = canvas.newLine();
    for (const id of layer) canvas.put(line, left[id]!, texts[id]!);
    const buses = gaps[k];
    if (buses) drawGap(canvas, buses);
  });
  const lines = canvas.text();
  return lines.some((l) => l.length > width) ? null : lines.join("\n");
}

/** Spaces between two drawings placed side by side. */
const BLOCK_GAP = 4;

/**
 * Places separate drawings (one per connected component) side by side while they fit in
 * `width`, top-aligned, starting a new shelf below a blank line when the next one does not.
 */
export function packDrawings(drawings: readonly string[], width: number): string {
  const shelves: string[][][] = [];
  let used = 0;
  for (const drawing of drawings) {
    const lines = drawing.split("\n");
    const blockWidth = Math.max(...lines.map((l) => l.length));
    const shelf = shelves[shelves.length - 1];
    if (shelf && used + BLOCK_GAP + blockWidth <= width) {
      shelf.push(lines);
      used += BLOCK_GAP + blockWidth;
    } else {
      shelves.push([lines]);
      used = blockWidth;
    }
  }
  return shelves
    .map((shelf) => {
      const height = Math.max(...shelf.map((b) => b.length));
      const widths = shelf.map((b) => Math.max(...b.map((l) => l.length)));
      return Array.from({ length: height }, (_, row) =>
        shelf
          .map((b, i) => (b[row] ?? "").padEnd(widths[i]!))
          .join(" ".repeat(BLOCK_GAP))
          .trimEnd(),
      ).join("\n");
    })
    .join("\n\n");
}
