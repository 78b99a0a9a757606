import { describe, expect, test } from "bun:test";
import { ancestorsOf, buildDag, findCycles, layersOf, topologicalOrder } from "./dag.ts";

const dag = (spec: Record<string, string[]>) =>
  buildDag(Object.entries(spec).map(([name, depends]) => ({ name, depends })));

describe("dag", () => {
  test("diamond: layers, ancestors, order", () => {
    const g = dag({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] });
    expect(layersOf(g)).toEqual([["a"], ["b", "c"], ["d"]]);
    expect([...ancestorsOf(g).get("d")!].sort()).toEqual(["a", "b", "c"]);
    expect(topologicalOrder(g)).toEqual(["a", "b", "c", "d"]);
    expect(findCycles(g)).toEqual([]);
  });

  test("reaches answers as the ancestor set does, also off the walk's pruned paths and on a cycle", () => {
    const g = dag({ a: [], b: ["a"], c: ["a"], d: ["b"], e: ["d", "c"], f: ["c"], x: ["y"], y: ["x"] });
    const index = ancestorsOf(g);
    for (const name of g.names) {
      for (const other of [...g.names, "unknown"])
        expect(index.reaches(name, other)).toBe(index.get(name)?.has(other) ?? false);
      expect(index.acyclic(name)).toBe(index.get(name) !== undefined);
    }
  });

  test("layer is the longest path, not the shortest", () => {
    const g = dag({ a: [], b: ["a"], c: ["b"], d: ["a", "c"] });
    expect(layersOf(g)).toEqual([["a"], ["b"], ["c"], ["d"]]);
  });

  test("cycle path follows depends and closes on its start", () => {
    const g = dag({ a: ["c"], b: ["a"], c: ["b"], d: [] });
    expect(findCycles(g)).toEqual([["a", "c", "b", "a"]]);
  });

  test("self loop and two separate cycles", () => {
    const g = dag({ s: ["s"], x: ["y"], y: ["x"], z: [] });
    expect(findCycles(g)).toEqual([
      ["s", "s"],
      ["x", "y", "x"],
    ]);
  });

  test("unknown dependencies are ignored by the graph", () => {
    const g = dag({ a: ["nope"] });
    expect(g.parents.get("a")).toEqual([]);
  });

  test("a 10,000-step chain does not overflow the stack", () => {
    const spec: Record<string, string[]> = {};
    for (let i = 0; i < 10_000; i++) spec[`s${i}`] = i ? [`s${i - 1}`] : [];
    const g = dag(spec);
    expect(findCycles(g)).toEqual([]);
    expect(layersOf(g).length).toBe(10_000);
  });
});
