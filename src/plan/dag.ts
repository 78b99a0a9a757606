/**
 * The dependency graph of a pipeline: pure data, built without I/O. Edges point from a
 * step to the steps it waits for (`parents`); `children` is the reverse.
 */
export interface Dag {
  /** In declaration order. */
  readonly names: readonly string[];
  readonly parents: ReadonlyMap<string, readonly string[]>;
  readonly children: ReadonlyMap<string, readonly string[]>;
}

export interface DagNodeInput {
  name: string;
  depends: readonly string[];
}

/** Builds the graph; dependencies on unknown names are left out (validation reports them). */
export function buildDag(nodes: readonly DagNodeInput[]): Dag {
  const names = nodes.map((n) => n.name);
  const known = new Set(names);
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const node of nodes) {
    const deps = [...new Set(node.depends.filter((d) => known.has(d)))];
    parents.set(node.name, deps);
    for (const dep of deps) children.get(dep)!.push(node.name);
  }
  return { names, parents, children };
}

/**
 * One cycle per strongly connected component that has one, as a path that starts and ends
 * at the same step, following `depends` (`a → b` means a waits for b). Self-loops included.
 */
export function findCycles(dag: Dag): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  // Iterative Tarjan: pipelines can be long chains, recursion depth must not depend on them.
  for (const start of dag.names) {
    if (index.has(start)) continue;
    const work: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const deps = dag.parents.get(frame.name) ?? [];
      if (frame.next < deps.length) {
        const dep = deps[frame.next++]!;
        if (!index.has(dep)) {
          index.set(dep, counter);
          low.set(dep, counter++);
          stack.push(dep);
          onStack.add(dep);
          work.push({ name: dep, next: 0 });
        } else if (onStack.has(dep)) {
          low.set(frame.name, Math.min(low.get(frame.name)!, index.get(dep)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.name, Math.min(low.get(parent.name)!, low.get(frame.name)!));
      if (low.get(frame.name) === index.get(frame.name)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.name);
        components.push(component);
      }
    }
  }

  const order = new Map(dag.names.map((n, i) => [n, i]));
  const cycles: string[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const first = [...component].sort((a, b) => order.get(a)! - order.get(b)!)[0]!;
    if (component.length === 1 && !(dag.parents.get(first) ?? []).includes(first)) continue;
    cycles.push(cyclePath(dag, first, members));
  }
  return cycles.sort((a, b) => order.get(a[0]!)! - order.get(b[0]!)!);
}

/** Shortest path from `start` back to itself inside one component (breadth-first). */
function cyclePath(dag: Dag, start: string, members: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i]!;
    for (const dep of dag.parents.get(current) ?? []) {
      if (!members.has(dep)) continue;
      if (dep === start) {
        const path = [start];
        for (let at: string | undefined = current; at !== undefined && at !== start; at = previous.get(at))
          path.splice(1, 0, at);
        path.push(start);
        return path;
      }
      if (!previous.has(dep)) {
        previous.set(dep, current);
        queue.push(dep);
      }
    }
  }
  return [start, start];
}

/** What callers ask of the ancestors: the steps a step transitively waits for. */
export interface AncestorLookup {
  /** Undefined for a step on a cycle (or an unknown name). */
  get(name: string): ReadonlySet<string> | undefined;
  /** Whether `name` is a known step off every cycle (`get` gives it a set). */
  acyclic(name: string): boolean;
  /** Whether `name` transitively waits for `ancestor` (false on a cycle): `get(name)?.has(ancestor)` without building the set. */
  reaches(name: string, ancestor: string): boolean;
}

/**
 * How many steps' ancestor sets stay cached, and how many names they may hold together: a
 * set is made again when it is asked for after. The second bound keeps the cache linear:
 * 256 sets of a 4,000-step chain's last steps alone would hold a million names.
 */
const ANCESTOR_CACHE = 256;
const ANCESTOR_CACHE_NAMES = 65_536;

/**
 * The ancestors of each step, worked out when asked (a walk up the `depends` edges) and
 * kept for the most recent few. Materialising every step's set at once would take memory
 * quadratic in a chain's length (8 million entries for 4,000 steps); this stays linear.
 */
export class AncestorIndex implements AncestorLookup {
  /** Each step's place in topological order (steps on a cycle have none). */
  private readonly position: ReadonlyMap<string, number>;
  private readonly cache = new Map<string, ReadonlySet<string>>();
  private cachedNames = 0;
  constructor(private readonly dag: Dag) {
    this.position = new Map(topologicalOrder(dag).map((name, k) => [name, k]));
  }

  acyclic(name: string): boolean {
    return this.position.has(name);
  }

  /**
   * A walk up from `name` that leaves out every step placed before `ancestor` in
   * topological order (a step waits only for steps before it): a read of a recent step
   * costs a few steps, not the whole chain above it, and builds no set. Validation asks
   * this for every name a template reads; building each reader's whole ancestor set
   * instead made validating a 4,000-step chain quadratic in time and in garbage.
   */
  reaches(name: string, ancestor: string): boolean {
    const from = this.position.get(name);
    const target = this.position.get(ancestor);
    if (from === undefined || target === undefined || target >= from) return false;
    const hit = this.cache.get(name);
    if (hit) return hit.has(ancestor);
    const visited = new Set<string>();
    const stack = [name];
    while (stack.length) {
      for (const parent of this.dag.parents.get(stack.pop()!) ?? []) {
        if (parent === ancestor) return true;
        if (this.position.get(parent)! > target && !visited.has(parent)) {
          visited.add(parent);
          stack.push(parent);
        }
      }
    }
    return false;
  }

  get(name: string): ReadonlySet<string> | undefined {
    if (!this.position.has(name)) return undefined;
    const hit = this.cache.get(name);
    if (hit) {
      this.cache.delete(name); // most recently used last
      this.cache.set(name, hit);
      return hit;
    }
    const found = new Set<string>();
    const stack = [...(this.dag.parents.get(name) ?? [])];
    while (stack.length) {
      const parent = stack.pop()!;
      if (found.has(parent)) continue;
      found.add(parent);
      for (const p of this.dag.parents.get(parent) ?? []) if (!found.has(p)) stack.push(p);
    }
    if (found.size > ANCESTOR_CACHE_NAMES) return found;
    while (this.cache.size >= ANCESTOR_CACHE || this.cachedNames + found.size > ANCESTOR_CACHE_NAMES) {
      const [oldest, set] = this.cache.entries().next().value!;
      this.cache.delete(oldest);
      this.cachedNames -= set.size;
    }
    this.cache.set(name, found);
    this.cachedNames += found.size;
    return found;
  }
}

/** Every step each step transitively waits for (steps on a cycle have none). */
export function ancestorsOf(dag: Dag): AncestorIndex {
  return new AncestorIndex(dag);
}

/** Kahn's order, ties broken by declaration order; steps on a cycle are left out. */
export function topologicalOrder(dag: Dag): string[] {
  const remaining = new Map(dag.names.map((n) => [n, (dag.parents.get(n) ?? []).length]));
  const ready = dag.names.filter((n) => remaining.get(n) === 0);
  const order: string[] = [];
  while (ready.length) {
    const name = ready.shift()!;
    order.push(name);
    for (const child of dag.children.get(name) ?? []) {
      const left = remaining.get(child)! - 1;
      remaining.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  return order;
}

/** Layer = length of the longest dependency path from a root; layer 0 has no dependencies. */
export function layersOf(dag: Dag): string[][] {
  const depth = new Map<string, number>();
  const layers: string[][] = [];
  for (const name of topologicalOrder(dag)) {
    const d = Math.max(-1, ...(dag.parents.get(name) ?? []).map((p) => depth.get(p) ?? 0)) + 1;
    depth.set(name, d);
    (layers[d] ??= []).push(name);
  }
  return layers;
}
