import type { LayeredGraph } from "./dag-ascii-layers.ts";

const SWEEPS = 8;

/** Index of every item within its layer. */
function positions(layered: LayeredGraph): number[] {
  const pos = new Array<number>(layered.items.length).fill(0);
  for (const layer of layered.layers) layer.forEach((id, i) => (pos[id] = i));
  return pos;
}

/** Pairs of edges that cross between adjacent layers, counted as inversions with a Fenwick tree. */
function crossings(layered: LayeredGraph, pos: readonly number[]): number {
  let total = 0;
  layered.layers.forEach((layer, k) => {
    const below = layered.layers[k + 1]?.length ?? 0;
    const ends: Array<[number, number]> = [];
    for (const id of layer) for (const child of layered.down[id]!) ends.push([pos[id]!, pos[child]!]);
    // Sorted by top end, then bottom end: two edges cross when their bottom ends are inverted.
    ends.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const tree = new Array<number>(below + 1).fill(0);
    ends.forEach(([, bottom], seen) => {
      let atMost = 0;
      for (let i = bottom + 1; i > 0; i -= i & -i) atMost += tree[i]!;
      total += seen - atMost;
      for (let i = bottom + 1; i <= below; i += i & -i) tree[i]!++;
    });
  });
  return total;
}

/**
 * Sorts one layer by the mean position of its neighbours in the adjacent layer (barycenter).
 * Components never interleave; items without neighbours keep their relative place; ties keep
 * the current order, which starts as the given order, so the result is deterministic.
 */
function sortByBarycenter(
  layered: LayeredGraph,
  pos: number[],
  k: number,
  neighbours: readonly (readonly number[])[],
  adjacentLength: number,
): void {
  const layer = layered.layers[k]!;
  const scale = layer.length > 1 ? (adjacentLength - 1) / (layer.length - 1) : 0;
  const key = new Map<number, number>();
  for (const id of layer) {
    const ns = neighbours[id]!;
    key.set(id, ns.length ? ns.reduce((sum, n) => sum + pos[n]!, 0) / ns.length : pos[id]! * scale);
  }
  const component = (id: number) => layered.items[id]!.component;
  layer.sort((a, b) => component(a) - component(b) || key.get(a)! - key.get(b)! || pos[a]! - pos[b]!);
  layer.forEach((id, i) => (pos[id] = i));
}

/**
 * Reorders every layer to reduce edge crossings: one pass down from the given order, then
 * alternating sweeps up and down; the order with the fewest crossings is kept.
 */
export function orderLayers(layered: LayeredGraph): void {
  const { layers, items, up, down } = layered;
  layers[0]!.sort((a, b) => items[a]!.component - items[b]!.component || a - b);
  const pos = positions(layered);
  for (let k = 1; k < layers.length; k++) sortByBarycenter(layered, pos, k, up, layers[k - 1]!.length);
  let best = layers.map((l) => [...l]);
  let bestCrossings = crossings(layered, pos);
  for (let sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep++) {
    for (let k = layers.length - 2; k >= 0; k--) sortByBarycenter(layered, pos, k, down, layers[k + 1]!.length);
    for (let k = 1; k < layers.length; k++) sortByBarycenter(layered, pos, k, up, layers[k - 1]!.length);
    const count = crossings(layered, pos);
    if (count < bestCrossings) {
      bestCrossings = count;
      best = layers.map((l) => [...l]);
    }
  }
  best.forEach((l, k) => (layers[k] = l));
}
