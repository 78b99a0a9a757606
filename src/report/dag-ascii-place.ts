import type { LayeredGraph } from "./dag-ascii-layers.ts";

/** Spaces kept between two steps of a layer; next to a lane one space is enough. */
const GAP = 2;
const LANE_GAP = 1;
const PASSES = 4;
/** Items with no neighbour on the side being aligned barely pull, so they stay where they are. */
const FREE_WEIGHT = 0.01;

/** Column of an item's connector: the middle of its text (left of middle when even). */
export function connectorOffset(width: number): number {
  return Math.floor((width - 1) / 2);
}

/**
 * Edge weights as in the usual layered-layout practice: straight lanes matter most, then
 * edges touching a lane, then step-to-step edges.
 */
function weight(layered: LayeredGraph, a: number, b: number): number {
  const lanes = (layered.items[a]!.node === null ? 1 : 0) + (layered.items[b]!.node === null ? 1 : 0);
  return lanes === 2 ? 8 : lanes === 1 ? 2 : 1;
}

interface Block {
  weight: number;
  weighted: number;
  count: number;
}

/**
 * Weighted isotonic regression (pool adjacent violators): the non-decreasing sequence closest
 * to `targets`. A non-decreasing shift of packed positions is exactly "keep the order, never overlap".
 */
function isotonic(targets: readonly number[], weights: readonly number[]): number[] {
  const blocks: Block[] = [];
  targets.forEach((t, i) => {
    blocks.push({ weight: weights[i]!, weighted: weights[i]! * t, count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      if (previous.weighted / previous.weight <= last.weighted / last.weight) break;
      blocks.pop();
      previous.weight += last.weight;
      previous.weighted += last.weighted;
      previous.count += last.count;
    }
  });
  return blocks.flatMap((b) => new Array<number>(b.count).fill(Math.round(b.weighted / b.weight)));
}

/**
 * Moves items so that no connector lands one column beside the one it joins: `+` next to `+`
 * on a bus is hard to read. Prefers lining the two up, else moving them one column further
 * apart, within the room left by the neighbours. Returns whether anything moved.
 */
function unjog(
  layered: LayeredGraph,
  widths: readonly number[],
  left: number[],
  gap: (a: number, b: number) => number,
): boolean {
  const slot = new Map<number, { layer: readonly number[]; index: number }>();
  for (const layer of layered.layers) layer.forEach((id, index) => slot.set(id, { layer, index }));
  const center = (id: number) => left[id]! + connectorOffset(widths[id]!);
  const fits = (id: number, to: number) => {
    const { layer, index } = slot.get(id)!;
    const before = layer[index - 1];
    const after = layer[index + 1];
    if (before !== undefined && left[before]! + widths[before]! + gap(before, id) > to) return false;
    return after === undefined || to + widths[id]! + gap(id, after) <= left[after]!;
  };
  const tryMove = (id: number, by: number) => {
    if (!fits(id, left[id]! + by)) return false;
    left[id] = left[id]! + by;
    return true;
  };
  let moved = false;
  for (const layer of layered.layers) {
    for (const parent of layer) {
      for (const child of layered.down[parent]!) {
        const d = center(child) - center(parent);
        if (Math.abs(d) !== 1) continue;
        moved = tryMove(child, -d) || tryMove(parent, d) || tryMove(child, d) || tryMove(parent, -d) || moved;
      }
    }
  }
  return moved;
}

/**
 * Left column of every item (by item id), from the layer order and the text widths. Each item
 * is pulled towards the weighted mean connector column of its neighbours, alternately those
 * above and those below, without changing the order or letting items come closer than {@link GAP}.
 * The leftmost item ends at column 0.
 */
export function placeItems(layered: LayeredGraph, widths: readonly number[]): number[] {
  const left = new Array<number>(widths.length).fill(0);
  const center = (id: number) => left[id]! + connectorOffset(widths[id]!);
  const gap = (a: number, b: number) =>
    layered.items[a]!.node === null || layered.items[b]!.node === null ? LANE_GAP : GAP;
  const packed = (layer: readonly number[]) => {
    let x = 0;
    return layer.map((id, i) => {
      if (i > 0) x += widths[layer[i - 1]!]! + gap(layer[i - 1]!, id);
      return x;
    });
  };
  for (const layer of layered.layers) packed(layer).forEach((x, i) => (left[layer[i]!] = x));

  const align = (layer: readonly number[], neighbours: readonly (readonly number[])[]) => {
    const base = packed(layer);
    const targets: number[] = [];
    const weights: number[] = [];
    layer.forEach((id, i) => {
      const ns = neighbours[id]!;
      if (ns.length === 0) {
        targets.push(left[id]! - base[i]!);
        weights.push(FREE_WEIGHT);
        return;
      }
      let total = 0;
      let sum = 0;
      for (const n of ns) {
        const w = weight(layered, id, n);
        total += w;
        sum += w * center(n);
      }
      targets.push(sum / total - connectorOffset(widths[id]!) - base[i]!);
      weights.push(total);
    });
    isotonic(targets, weights).forEach((shift, i) => (left[layer[i]!] = base[i]! + shift));
  };

  const { layers } = layered;
  const downward = () => {
    for (let k = 1; k < layers.length; k++) align(layers[k]!, layered.up);
  };
  for (let pass = 0; pass < PASSES; pass++) {
    downward();
    for (let k = layers.length - 2; k >= 0; k--) align(layers[k]!, layered.down);
  }
  downward();
  for (let round = 0; round < 3 && unjog(layered, widths, left, gap); round++);

  const min = Math.min(...left);
  return left.map((x) => x - min);
}
