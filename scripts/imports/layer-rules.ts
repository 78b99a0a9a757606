/**
 * The layer rules of ARCHITECTURE.md, read from its folder table: the first column names a
 * folder (`src/engine/`, or `src/main.ts`), the last says what it may import, as backticked
 * folder names (`steps/` `model/`) or `—` for nothing. The document is the one statement of
 * the rules; `bun run imports` holds the code to it.
 */
import type { FolderImport } from "./import-graph.ts";

/** Folder → the folders it may import. */
export type LayerRules = Map<string, Set<string>>;

/** The rules of the table in `markdown`; throws when there is no such table. */
export function readLayerRules(markdown: string): LayerRules {
  const rules: LayerRules = new Map();
  for (const line of markdown.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    if (cells.length < 4 || !/^`src\/[^`]+`$/.test(cells[1]!)) continue;
    const folder = cells[1]!.slice("`src/".length, -1).replace(/\/$/, "");
    const allowed = [...cells[cells.length - 2]!.matchAll(/`([a-z-]+)\/`/g)].map((m) => m[1]!);
    rules.set(folder, new Set(allowed));
  }
  if (rules.size === 0)
    throw new Error("ARCHITECTURE.md has no folder table (rows of `src/<folder>/` | what it holds | may import)");
  return rules;
}

/** A cycle among the rules themselves (`a → b → a`), if the table allows one. */
export function cycleInRules(rules: LayerRules): string[] | undefined {
  const edges = new Map([...rules].map(([folder, allowed]) => [folder, [...allowed]]));
  return findCycle(edges);
}

/** One cycle of the graph `edges` (a path that ends where it starts), or undefined. */
export function findCycle(edges: Map<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...edges.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const shown = (folder: string) => (folder.endsWith(".ts") ? `src/${folder}` : `${folder}/`);

/**
 * What breaks the rules, one line each: an import the table does not allow (file:line, what
 * it imports, what the folder may import), a folder the table does not name, and the cycles
 * between top folders (each with the imports that close it).
 */
export function layerProblems(
  imports: readonly FolderImport[],
  rules: LayerRules,
  folders: readonly string[],
): string[] {
  const problems: string[] = [];
  const rulesCycle = cycleInRules(rules);
  if (rulesCycle)
    problems.push(`ARCHITECTURE.md: the "may import" column allows a cycle: ${rulesCycle.map(shown).join(" → ")}`);
  for (const folder of folders) {
    if (!rules.has(folder))
      problems.push(
        `src/${folder}${folder.endsWith(".ts") ? "" : "/"} is not in ARCHITECTURE.md's folder table: add a row saying what it holds and what it may import`,
      );
  }
  for (const edge of imports) {
    const allowed = rules.get(edge.from);
    if (!allowed || allowed.has(edge.to)) continue;
    const may = allowed.size > 0 ? [...allowed].sort().map(shown).join(" ") : "nothing";
    problems.push(
      `${edge.file}:${edge.line}: imports ${edge.target}${edge.typeOnly ? " (type-only)" : ""}: ${shown(edge.from)} may import ${may} (ARCHITECTURE.md), not ${shown(edge.to)}`,
    );
  }
  const byPair = new Map<string, FolderImport>();
  for (const edge of imports) if (!byPair.has(`${edge.from} ${edge.to}`)) byPair.set(`${edge.from} ${edge.to}`, edge);
  const edges = new Map<string, string[]>();
  for (const edge of byPair.values()) edges.set(edge.from, [...(edges.get(edge.from) ?? []), edge.to]);
  const seen = new Set<string>();
  // Each cycle found is reported, then broken at its first import so that the next one shows.
  for (let cycle = findCycle(edges); cycle; cycle = findCycle(edges)) {
    const key = [...cycle.slice(0, -1)].sort().join(" ");
    const steps = cycle.slice(0, -1).map((folder, k) => byPair.get(`${folder} ${cycle[k + 1]}`)!);
    if (!seen.has(key))
      problems.push(
        `cycle between top folders: ${cycle.map(shown).join(" → ")} (${steps.map((s) => `${s.file}:${s.line}`).join(", ")})`,
      );
    seen.add(key);
    const [first] = steps;
    edges.set(
      first!.from,
      edges.get(first!.from)!.filter((to) => to !== first!.to),
    );
  }
  return problems;
}
