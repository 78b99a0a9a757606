export { buildDag, findCycles, ancestorsOf, topologicalOrder, layersOf, AncestorIndex, type AncestorLookup, type Dag, type DagNodeInput } from "./dag.ts";
