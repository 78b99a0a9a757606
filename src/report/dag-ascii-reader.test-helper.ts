/**
 * Test helper: reads the output of `drawDag` back into edges, the way a person would, and
 * throws at anything a person could not follow (a connector that leads nowhere, a stray
 * character, two stubs under one step). Tests compare what it recovers with the input.
 */

/** What a reader recovers from a rendering. */
export interface ReadBack {
  mode: "drawing" | "list";
  nodes: string[];
  /** `[from, to]`, sorted. */
  edges: Array<[string, string]>;
}

const NAME = /^[A-Za-z0-9_-]+/;

function sortEdges(edges: Array<[string, string]>): Array<[string, string]> {
  return edges.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

function readList(lines: readonly string[]): ReadBack {
  const prefix = /^layer \d+ +/.exec(lines[0]!);
  if (!prefix) throw new Error(`not a layer line: ${lines[0]}`);
  const stepColumn = prefix[0].length;
  const nodes: string[] = [];
  const edges: Array<[string, string]> = [];
  const addParents = (text: string) => {
    const current = nodes[nodes.length - 1];
    if (current === undefined) throw new Error(`parents before any step: ${text}`);
    for (const p of text
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!NAME.test(p) || NAME.exec(p)![0] !== p) throw new Error(`not a step name: "${p}"`);
      edges.push([p, current]);
    }
  };
  for (const line of lines) {
    const isStep =
      line.length > stepColumn && line[stepColumn] !== " " && /^(layer \d+)?\s*$/.test(line.slice(0, stepColumn));
    if (isStep) {
      const rest = line.slice(stepColumn);
      const name = NAME.exec(rest);
      if (!name) throw new Error(`no step name in: ${line}`);
      nodes.push(name[0]);
      const arrow = rest.indexOf("<- ");
      if (arrow >= 0) addParents(rest.slice(arrow + 3));
      continue;
    }
    const text = line.trim();
    addParents(text.startsWith("<- ") ? text.slice(3) : text);
  }
  return { mode: "list", nodes, edges: sortEdges(edges) };
}

interface Box {
  name: string;
  row: number;
  start: number;
  end: number;
}

function readDrawing(lines: readonly string[]): ReadBack {
  const at = (r: number, c: number) => lines[r]?.[c] ?? " ";
  const boxes: Box[] = [];
  const inBox = new Set<string>();
  lines.forEach((line, row) => {
    for (const m of line.matchAll(/\[([A-Za-z0-9_-]+)(?: \([^)]*\))?\]/g)) {
      boxes.push({ name: m[1]!, row, start: m.index, end: m.index + m[0].length - 1 });
      for (let c = m.index; c < m.index + m[0].length; c++) inBox.add(`${row}:${c}`);
    }
  });
  const boxAt = (r: number, c: number) => boxes.find((b) => b.row === r && b.start <= c && c <= b.end);
  const seen = new Set<string>();
  const edges: Array<[string, string]> = [];
  for (const box of boxes) {
    const stubs: number[] = [];
    for (let c = box.start; c <= box.end; c++) if (at(box.row + 1, c) === "|") stubs.push(c);
    if (stubs.length > 1) throw new Error(`${box.name} has ${stubs.length} stubs`);
    if (stubs.length === 0) continue;
    const targets = new Set<string>();
    const work: Array<[number, number]> = [[box.row + 1, stubs[0]!]];
    const visited = new Set<string>();
    while (work.length) {
      const [r, c] = work.pop()!;
      const key = `${r}:${c}`;
      if (visited.has(key)) continue;
      visited.add(key);
      seen.add(key);
      const ch = at(r, c);
      if (ch === "|") work.push([r + 1, c]);
      else if (ch === "v") {
        const child = boxAt(r + 1, c);
        if (!child) throw new Error(`arrow at ${key} points at no step`);
        targets.add(child.name);
      } else if (ch === "+") {
        let [from, to] = [c, c];
        while ("-+".includes(at(r, from - 1))) from--;
        while ("-+".includes(at(r, to + 1))) to++;
        for (let x = from; x <= to; x++) {
          seen.add(`${r}:${x}`);
          if (at(r, x) === "+" && "|v".includes(at(r + 1, x))) work.push([r + 1, x]);
        }
      } else throw new Error(`connector from ${box.name} ends at ${key} on "${ch}"`);
    }
    for (const t of targets) edges.push([box.name, t]);
  }
  lines.forEach((line, r) => {
    [...line].forEach((ch, c) => {
      if ("|+-v".includes(ch) && !inBox.has(`${r}:${c}`) && !seen.has(`${r}:${c}`))
        throw new Error(`stray "${ch}" at ${r}:${c}`);
    });
  });
  return { mode: "drawing", nodes: boxes.map((b) => b.name), edges: sortEdges(edges) };
}

/** Reads a rendering back; which of the two forms it is shows in its first line. */
export function readDag(text: string): ReadBack {
  const lines = text.split("\n");
  return lines[0]!.startsWith("layer ") ? readList(lines) : readDrawing(lines);
}

/** Sorted copy of edges, for comparing with {@link ReadBack.edges}. */
export function normalizeEdges(edges: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const unique = new Map(edges.map(([a, b]) => [`${a}\u0000${b}`, [a, b] as [string, string]]));
  return sortEdges([...unique.values()]);
}
