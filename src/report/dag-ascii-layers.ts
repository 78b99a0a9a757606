import type { DagNode } from "./dag-ascii.ts";

/** The input graph by node index (given order), cleaned of duplicates and unknown names. */
export interface DagGraph {
  readonly names: readonly string[];
  readonly labels: readonly (string | undefined)[];
  /** Parents of each node, in given order. */
  readonly parents: readonly (readonly number[])[];
  /** Children of each node, in given order. */
  readonly children: readonly (readonly number[])[];
}

/**
 * A step, or one segment of a lane: the pass-through of an edge that skips layers. A lane of
 * edge `source → target` has one segment in every layer strictly between the two.
 */
export interface LayeredItem {
  readonly layer: number;
  /** Node index for a step; null for a lane segment. */
  readonly node: number | null;
  readonly source: number;
  readonly target: number;
  /** Weakly connected component of the step (of the source, for a lane). */
  readonly component: number;
}

/** The graph cut into layers, lanes included; `layers` is reordered in place by {@link orderLayers}. */
export interface LayeredGraph {
  readonly graph: DagGraph;
  /** Steps first (item id = node index), then lane segments. */
  readonly items: readonly LayeredItem[];
  /** Neighbours of each item in the layer above / below, by item id. */
  readonly up: readonly (readonly number[])[];
  readonly down: readonly (readonly number[])[];
  /** Item ids per layer, left to right. */
  readonly layers: number[][];
  /** True when skip edges were left out (over the lane budget): fit for ordering, not for drawing. */
  readonly lanesOmitted: boolean;
}

/** Indexes nodes and edges; see {@link drawDag} for what is ignored. */
export function buildGraph(nodes: readonly DagNode[], edges: ReadonlyArray<readonly [string, string]>): DagGraph {
  const index = new Map<string, number>();
  const names: string[] = [];
  const labels: (string | undefined)[] = [];
  for (const node of nodes) {
    if (index.has(node.name)) continue;
    index.set(node.name, names.length);
    names.push(node.name);
    labels.push(node.label === "" ? undefined : node.label);
  }
  const parents: Set<number>[] = names.map(() => new Set<number>());
  for (const [from, to] of edges) {
    const a = index.get(from);
    const b = index.get(to);
    if (a === undefined || b === undefined || a === b) continue;
    parents[b]!.add(a);
  }
  const sortedParents = parents.map((set) => [...set].sort((x, y) => x - y));
  const children: number[][] = names.map(() => []);
  sortedParents.forEach((ps, child) => ps.forEach((p) => children[p]!.push(child)));
  return { names, labels, parents: sortedParents, children };
}

/** Layer of each node: the longest path from a root (roots are layer 0). Throws on a cycle. */
export function longestPathLayers(graph: DagGraph): number[] {
  const n = graph.names.length;
  const pending = graph.parents.map((ps) => ps.length);
  const layer = new Array<number>(n).fill(0);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const child of graph.children[node]!) {
      layer[child] = Math.max(layer[child]!, layer[node]! + 1);
      if (--pending[child]! === 0) queue.push(child);
    }
  }
  if (queue.length !== n) throw new Error("drawDag: the graph has a cycle");
  return layer;
}

/** Weakly connected component of each node, numbered in order of their first node. */
export function componentsOf(graph: DagGraph): number[] {
  const root = graph.names.map((_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) i = root[i] = root[root[i]!]!;
    return i;
  };
  graph.parents.forEach((ps, child) => {
    for (const p of ps) {
      const [a, b] = [find(p), find(child)];
      // The smaller index wins so a component is numbered by its first step.
      if (a !== b) root[Math.max(a, b)] = Math.min(a, b);
    }
  });
  const numbering = new Map<number, number>();
  return graph.names.map((_, i) => {
    const r = find(i);
    if (!numbering.has(r)) numbering.set(r, numbering.size);
    return numbering.get(r)!;
  });
}

/** One graph per weakly connected component, in order of their first node; node order is kept. */
export function splitComponents(graph: DagGraph): DagGraph[] {
  const componentOf = componentsOf(graph);
  const count = Math.max(-1, ...componentOf) + 1;
  return Array.from({ length: count }, (_, c) => {
    const members = graph.names.map((_, i) => i).filter((i) => componentOf[i] === c);
    const local = new Map(members.map((node, i) => [node, i]));
    const remap = (list: readonly number[]) => list.map((n) => local.get(n)!);
    return {
      names: members.map((n) => graph.names[n]!),
      labels: members.map((n) => graph.labels[n]),
      parents: members.map((n) => remap(graph.parents[n]!)),
      children: members.map((n) => remap(graph.children[n]!)),
    };
  });
}

/**
 * Cuts the graph into layers and threads a lane through every layer that an edge skips.
 * When that would take more than `laneBudget` lane segments (default: no limit), no lane is
 * made and skip edges are left out of `up`/`down`: only the order of the steps is wanted then.
 */
export function buildLayered(graph: DagGraph, laneBudget = Infinity): LayeredGraph {
  const layerOf = longestPathLayers(graph);
  let needed = 0;
  graph.children.forEach((cs, source) => cs.forEach((target) => (needed += layerOf[target]! - layerOf[source]! - 1)));
  const lanes = needed <= laneBudget;
  const componentOf = componentsOf(graph);
  const items: LayeredItem[] = graph.names.map((_, i) => ({ layer: layerOf[i]!, node: i, source: i, target: i, component: componentOf[i]! }));
  const up: number[][] = items.map(() => []);
  const down: number[][] = items.map(() => []);
  const link = (a: number, b: number) => {
    down[a]!.push(b);
    up[b]!.push(a);
  };
  graph.children.forEach((cs, source) => {
    for (const target of cs) {
      if (!lanes && layerOf[target]! - layerOf[source]! > 1) continue;
      let previous = source;
      for (let layer = layerOf[source]! + 1; layer < layerOf[target]!; layer++) {
        const id = items.length;
        items.push({ layer, node: null, source, target, component: componentOf[source]! });
        up.push([]);
        down.push([]);
        link(previous, id);
        previous = id;
      }
      link(previous, target);
    }
  });
  const depth = Math.max(...layerOf) + 1;
  const layers: number[][] = Array.from({ length: depth }, () => []);
  items.forEach((item, id) => layers[item.layer]!.push(id));
  return { graph, items, up, down, layers, lanesOmitted: !lanes };
}
