import { buildGraph, buildLayered, splitComponents, type DagGraph } from "./dag-ascii-layers.ts";
import { orderLayers } from "./dag-ascii-order.ts";
import { renderList } from "./dag-ascii-list.ts";
import { packDrawings, renderDrawing } from "./dag-ascii-draw.ts";

/** One step of the graph to draw. */
export interface DagNode {
  name: string;
  /** Short annotation shown after the name, such as "python" or "prompt gpt-4o-mini". */
  label?: string;
}

/** Options of {@link drawDag}. */
export interface DagDrawOptions {
  /** Maximum line width in characters; default 100. */
  width?: number;
}

const DEFAULT_WIDTH = 100;
/** Above this many items (steps plus pass-through lanes) a drawing is never attempted: it would not be read. */
const MAX_DRAWN_ITEMS = 240;
/** The list only uses lanes to order steps; past this many, ordering by direct edges is enough and stays fast. */
const LIST_LANE_BUDGET = 2000;

/** A drawing of every connected component, packed; null as soon as one cannot be drawn clearly. */
function drawComponents(graph: DagGraph, width: number): string | null {
  const drawings: string[] = [];
  let items = 0;
  for (const part of splitComponents(graph)) {
    const layered = buildLayered(part, MAX_DRAWN_ITEMS);
    items += layered.items.length;
    if (layered.lanesOmitted || items > MAX_DRAWN_ITEMS) return null;
    orderLayers(layered);
    const drawing = renderDrawing(layered, width);
    if (drawing === null) return null;
    drawings.push(drawing);
  }
  return packDrawings(drawings, width);
}

/**
 * Draws the DAG as plain ASCII text (lines joined with `\n`, no trailing newline).
 *
 * Edges are `[from, to]`: `to` depends on `from`. Layers are the longest path from a root;
 * within a layer the given node order breaks ties, so the output is deterministic.
 *
 * Two renderings, the first that applies wins:
 * 1. a top-down drawing with connectors, one per connected component, packed side by side;
 *    used only when every line fits `width` and the drawing has no crossing and no shared
 *    junction (every bus joins one parent to its children or one child to its parents), so
 *    each edge can be followed without guessing;
 * 2. otherwise a layered list where every step names its parents after `<-`, wrapped to
 *    `width` (a step name longer than the line is never cut; its label may be).
 *
 * The input must be acyclic (a cycle throws). Duplicate edges, self-loops and edges naming
 * unknown steps are ignored; a repeated node name keeps its first occurrence.
 */
export function drawDag(nodes: DagNode[], edges: Array<[string, string]>, options: DagDrawOptions = {}): string {
  const width = Math.max(1, Math.floor(options.width ?? DEFAULT_WIDTH));
  const graph = buildGraph(nodes, edges);
  if (graph.names.length === 0) return "(no steps)";
  const drawing = drawComponents(graph, width);
  if (drawing !== null) return drawing;
  const layered = buildLayered(graph, LIST_LANE_BUDGET);
  orderLayers(layered);
  return renderList(layered, width);
}
