import { describe, expect, test } from "bun:test";
import { drawDag, type DagNode } from "./dag-ascii.ts";
import { normalizeEdges, readDag, type ReadBack } from "./dag-ascii-reader.test-helper.ts";

type Edge = [string, string];

const steps = (...spec: string[]): DagNode[] =>
  spec.map((s) => {
    const [name, label] = s.split(":");
    return label === undefined ? { name: name! } : { name: name!, label };
  });

/** Asserts the text is ASCII, within `width`, and reads back to exactly these steps and edges. */
function expectFaithful(nodes: DagNode[], edges: Edge[], width = 100): { text: string; read: ReadBack } {
  const text = drawDag(nodes, edges, { width });
  for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(width);
  expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
  const read = readDag(text);
  expect([...read.nodes].sort()).toEqual(nodes.map((n) => n.name).sort());
  expect(read.edges).toEqual(normalizeEdges(edges));
  return { text, read };
}

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** 35 steps: `ingest`, eleven chained diamonds, two skip edges between merges, and `publish` that also waits for `ingest`. */
function diamondPipeline(): { nodes: DagNode[]; edges: Edge[] } {
  const nodes: DagNode[] = [{ name: "ingest", label: "run" }];
  const edges: Edge[] = [];
  let head = "ingest";
  for (let i = 1; i <= 11; i++) {
    const [a, b, m] = [`extract_${i}`, `enrich_${i}`, `merge_${i}`];
    nodes.push(
      { name: a, label: "python" },
      { name: b, label: i % 3 === 0 ? "prompt gpt-4o-mini" : "run" },
      { name: m, label: "python" },
    );
    edges.push([head, a], [head, b], [a, m], [b, m]);
    if (i % 4 === 0) edges.push([`merge_${i - 2}`, m]);
    head = m;
  }
  nodes.push({ name: "publish", label: "run" });
  edges.push([head, "publish"], ["ingest", "publish"]);
  return { nodes, edges };
}

describe("drawDag: small pipelines are drawn", () => {
  test("chain", () => {
    const nodes = steps("fetch:run", "parse:python", "report:prompt gpt-4o-mini");
    const { text } = expectFaithful(nodes, [
      ["fetch", "parse"],
      ["parse", "report"],
    ]);
    expect(text).toBe(
      [
        "        [fetch (run)]",
        "              |",
        "              v",
        "       [parse (python)]",
        "              |",
        "              v",
        "[report (prompt gpt-4o-mini)]",
      ].join("\n"),
    );
  });

  test("diamond", () => {
    const nodes = steps("fetch:run", "parse:python", "stats:python", "report:run");
    const edges: Edge[] = [
      ["fetch", "parse"],
      ["fetch", "stats"],
      ["parse", "report"],
      ["stats", "report"],
    ];
    expect(expectFaithful(nodes, edges).text).toBe(
      [
        "          [fetch (run)]",
        "                |",
        "       +--------+--------+",
        "       v                 v",
        "[parse (python)]  [stats (python)]",
        "       |                 |",
        "       +--------+--------+",
        "                v",
        "          [report (run)]",
      ].join("\n"),
    );
  });

  test("fan-out / fan-in", () => {
    const nodes = steps("fetch:run", "clean:python", "embed:prompt gpt-4o-mini", "count:python", "report:run");
    const edges: Edge[] = [
      ["fetch", "clean"],
      ["fetch", "embed"],
      ["fetch", "count"],
      ["clean", "report"],
      ["embed", "report"],
      ["count", "report"],
    ];
    expect(expectFaithful(nodes, edges).text).toBe(
      [
        "                         [fetch (run)]",
        "                               |",
        "       +-----------------------+-----------------------+",
        "       v                       v                       v",
        "[clean (python)]  [embed (prompt gpt-4o-mini)]  [count (python)]",
        "       |                       |                       |",
        "       +-----------------------+-----------------------+",
        "                               v",
        "                         [report (run)]",
      ].join("\n"),
    );
  });

  test("a single step, and no steps", () => {
    expect(expectFaithful(steps("only:run"), []).text).toBe("[only (run)]");
    expect(drawDag([], [])).toBe("(no steps)");
  });

  test("disconnected components sit side by side", () => {
    const { text } = expectFaithful(steps("a", "b", "x", "y", "lonely"), [
      ["a", "b"],
      ["x", "y"],
    ]);
    expect(text).toBe(["[a]    [x]    [lonely]", " |      |", " v      v", "[b]    [y]"].join("\n"));
  });

  test("a skip edge runs as a lane beside the steps it skips", () => {
    const nodes = steps("a", "b", "c", "d", "e", "f", "z");
    const edges: Edge[] = [
      ["a", "b"],
      ["b", "c"],
      ["c", "d"],
      ["d", "e"],
      ["e", "f"],
      ["f", "z"],
      ["a", "z"],
    ];
    const { text } = expectFaithful(nodes, edges);
    expect(text.split("\n").slice(0, 5)).toEqual(["   [a]", "    |", " +--+", " v  |", "[b] |"]);
    expect(text.split("\n").slice(-4)).toEqual([" |  |", " +--+", "    v", "   [z]"]);
  });

  test("fan-in of 10", () => {
    const parents = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const { read } = expectFaithful(
      [...steps(...parents), ...steps("join:python")],
      parents.map((p): Edge => [p, "join"]),
    );
    expect(read.mode).toBe("drawing");
  });
});

describe("drawDag: the explicit list when a drawing would be ambiguous or too wide", () => {
  test("crossing dependencies are listed with their parents", () => {
    const nodes = steps("load_users:run", "load_orders:run", "user_report:python", "order_report:prompt gpt-4o-mini");
    const edges: Edge[] = [
      ["load_users", "user_report"],
      ["load_users", "order_report"],
      ["load_orders", "order_report"],
    ];
    expect(expectFaithful(nodes, edges).text).toBe(
      [
        "layer 0  load_users [run]",
        "         load_orders [run]",
        "layer 1  user_report [python]               <- load_users",
        "         order_report [prompt gpt-4o-mini]  <- load_users, load_orders",
      ].join("\n"),
    );
  });

  test("a wide fan-out wraps its fan-in parents", () => {
    const middle = Array.from({ length: 10 }, (_, i) => `summarize_${String(i + 1).padStart(2, "0")}`);
    const nodes = [
      ...steps("load_docs:run"),
      ...middle.map((name) => ({ name, label: "prompt gpt-4o-mini" })),
      ...steps("merge:python"),
    ];
    const edges = [...middle.map((m): Edge => ["load_docs", m]), ...middle.map((m): Edge => [m, "merge"])];
    const { text } = expectFaithful(nodes, edges);
    expect(text.split("\n").slice(-4)).toEqual([
      "layer 2  merge [python]                     <- summarize_01, summarize_02, summarize_03,",
      "                                               summarize_04, summarize_05, summarize_06,",
      "                                               summarize_07, summarize_08, summarize_09,",
      "                                               summarize_10",
    ]);
  });

  test("names of 40 characters fit the width; labels are shortened, names never", () => {
    const long = (c: string) => c.repeat(40);
    const nodes = [
      { name: long("a"), label: "prompt gpt-4o-mini" },
      { name: long("b"), label: "python" },
      { name: long("c"), label: "run" },
      { name: "d" },
    ];
    const edges: Edge[] = [
      [long("a"), long("c")],
      [long("b"), long("c")],
      [long("a"), "d"],
      [long("b"), "d"],
    ];
    expectFaithful(nodes, edges, 100);
    const { text } = expectFaithful(nodes, edges, 60);
    expect(text).toContain(`${long("a")} [promp...]`);
  });
});

describe("drawDag: a 35-step pipeline with diamonds", () => {
  const { nodes, edges } = diamondPipeline();

  test("has 35 steps", () => expect(nodes.length).toBe(35));

  for (const width of [100, 80, 60, 40]) {
    test(`every edge is recoverable within width ${width}`, () => {
      const { read } = expectFaithful(nodes, edges, width);
      expect(read.mode).toBe(width >= 80 ? "drawing" : "list");
    });
  }

  test("is deterministic, whatever the order of the edges", () => {
    const first = drawDag(nodes, edges);
    expect(drawDag(structuredClone(nodes), structuredClone(edges))).toBe(first);
    expect(drawDag(nodes, [...edges].reverse())).toBe(first);
  });
});

describe("drawDag: random graphs", () => {
  const labels = ["run", "python", "prompt gpt-4o-mini", "foreach"];
  test("every edge of 400 random graphs is recoverable within the width", () => {
    const modes = { drawing: 0, list: 0 };
    for (let seed = 1; seed <= 400; seed++) {
      const random = lcg(seed);
      const n = 1 + Math.floor(random() * 40);
      const density = random() * 0.5;
      const names = Array.from({ length: n }, (_, i) =>
        random() < 0.1 ? `step_${i}_${"x".repeat(Math.floor(random() * 30))}` : `s${i}`,
      );
      const edges: Edge[] = [];
      for (let i = 0; i < n; i++)
        for (let j = 0; j < i; j++)
          if (random() < density / Math.max(1, (i - j) * 0.7)) edges.push([names[j]!, names[i]!]);
      const nodes = names.map(
        (name): DagNode => (random() < 0.5 ? { name, label: labels[Math.floor(random() * labels.length)]! } : { name }),
      );
      // The given order need not be topological.
      for (let i = nodes.length - 1; i > 0; i--) {
        const k = Math.floor(random() * (i + 1));
        [nodes[i], nodes[k]] = [nodes[k]!, nodes[i]!];
      }
      const width = [60, 80, 100, 140][seed % 4]!;
      modes[expectFaithful(nodes, edges, width).read.mode]++;
    }
    expect(modes.drawing).toBeGreaterThan(50);
    expect(modes.list).toBeGreaterThan(50);
  });
});

describe("drawDag: input hygiene", () => {
  test("duplicate edges, self-loops and unknown names are ignored", () => {
    const nodes = steps("a", "b");
    expect(
      drawDag(nodes, [
        ["a", "b"],
        ["a", "b"],
        ["b", "b"],
        ["a", "ghost"],
      ]),
    ).toBe(drawDag(nodes, [["a", "b"]]));
  });

  test("a cycle throws", () => {
    expect(() =>
      drawDag(steps("a", "b"), [
        ["a", "b"],
        ["b", "a"],
      ]),
    ).toThrow("cycle");
  });
});
