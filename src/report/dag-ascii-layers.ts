import { buildDag, layersOf, type Dag } from "../plan/dag.ts";
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

/** Indexes nodes and edges (the graph itself is plan/'s {@link buildDag}); see {@link drawDag} for what is ignored. */
export function buildGraph(nodes: readonly DagNode[], edges: ReadonlyArray<readonly [string, string]>): DagGraph {
  const labelOf = new Map<string, string | undefined>();
  for (const node of nodes)
    if (!labelOf.has(node.name)) labelOf.set(node.name, node.label === "" ? undefined : node.label);
  const names = [...labelOf.keys()];
  const depends = new Map<string, string[]>(names.map((name) => [name, []]));
  for (const [from, to] of edges) if (from !== to) depends.get(to)?.push(from);
  return indexed(
    buildDag(names.map((name) => ({ name, depends: depends.get(name)! }))),
    names.map((name) => labelOf.get(name)),
  );
}

/** The graph by node index, each node's parents and children in given order. */
function indexed(dag: Dag, labels: readonly (string | undefined)[]): DagGraph {
  const index = new Map(dag.names.map((name, i) => [name, i]));
  const byIndex = (edges: ReadonlyMap<string, readonly string[]>) =>
    dag.names.map((name) =>
      edges
        .get(name)!
        .map((n) => index.get(n)!)
        .sort((x, y) => x - y),
    );
  return { names: dag.names, labels, parents: byIndex(dag.parents), children: byIndex(dag.children) };
}

/** Layer of each node: the longest path from a root (roots are layer 0), as {@link layersOf} has it. Throws on a cycle. */
function longestPathLayers(graph: DagGraph): number[] {
  const named = (edges: readonly (readonly number[])[]) =>
    new Map(graph.names.map((name, i) => [name, edges[i]!.map((n) => graph.names[n]!)]));
  const layers = layersOf({ names: graph.names, parents: named(graph.parents), children: named(graph.children) });
  const layer = new Array<number>(graph.names.length).fill(-1);
  const index = new Map(graph.names.map((name, i) => [name, i]));
  layers.forEach((names, depth) => names.forEach((name) => (layer[index.get(name)!] = depth)));
  if (layer.includes(-1)) throw new Error("drawDag: the graph has a cycle");
  return layer;
}

/** Weakly connected component of each node, numbered in order of their first node. */
function componentsOf(graph: DagGraph): number[] {
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
  const items: LayeredItem[] = graph.names.map((_, i) => ({
    layer: layerOf[i]!,
    node: i,
    source: i,
    target: i,
    component: componentOf[i]!,
  }));
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
