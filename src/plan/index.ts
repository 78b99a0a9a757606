export { buildDag, findCycles, ancestorsOf, topologicalOrder, layersOf, type Dag, type DagNodeInput } from "./dag.ts";
