/**
 * `aiorch trace RUN_ID` as text (the timeline: bars, details, -v, long values, flow trees,
 * masked secrets, the terminal's width), through the real CLI against a history seeded
 * with `HistoryStore`. The JSON form: commands-trace-json.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { aiorchShellCommand } from "../helpers/cli.ts";
import {
  CANCELLED_RUN,
  CRASHED_RUN,
  FAILED_RUN,
  LIVE_RUN,
  RESUMED_RUN,
  aiorch,
  seedAll,
  succeeds,
  tempHome,
  withStore,
  withoutPid,
} from "./commands-seed.ts";
import { itemRow, removeTempDirs, stepRow } from "./helpers.ts";

afterAll(removeTempDirs);

let home: string;
beforeAll(async () => {
  home = tempHome("trace");
  await seedAll(home, { live: true });
});

const ok = (args: string[], env: Record<string, string> = {}) => succeeds(home, args, env);

const FAILED_TRACE = [
  "run       20240305-093000-aaaa",
  "pipeline  report",
  "status    failed",
  "started   2024-03-05 09:30:00",
  "took      3.3s",
  "cost      $0.0123",
  "",
  "   STEP     TRIES   START   TOOK  0                                   3.3s",
  "✓  fetch        1    +5ms  120ms  █",
  "     input   curl -s https://example.org/owls",
  "     output  owl data",
  "✓  analyse      1  +130ms   2.1s   ██████████████████████████",
  '     output  {"words":42}',
  "✓    ask        1  +140ms     1s   ████████████",
  "       llm     gpt-4o-mini, 120 prompt + 30 completion tokens, $0.0123, cache hit",
  "       input   Summarise: owl data",
  "       output  Owls are birds.",
  "✓    count      1  +1.15s     1s               █████████████",
  "       input   result = len(text.split())",
  "       output  42",
  "✗  each         1   +2.3s  900ms                             ███████████",
  "     items   4/6 ok, 2 failed",
  "             [1] ValueError: bad item 1 (+1 line; -v shows them)",
  "             [4] ValueError: bad item 4 (+1 line; -v shows them)",
  "     error   2 of 6 items failed",
  "     input   result = item * 2",
  "✗  upload       3   +3.2s  100ms                                        ██",
  "     error   exit 7: connection refused (+2 lines; -v shows them)",
  "     input   curl -T out.txt https://example.org",
  "-  publish      -       -      -",
  "     reason  upstream failed",
  "",
].join("\n");

describe("aiorch trace RUN_ID", () => {
  test("a timeline: header, then per step symbol, name (flow children indented), attempts, offset, duration, a bar on the run's 40-column scale, and its details", () => {
    expect(ok(["trace", FAILED_RUN])).toBe(FAILED_TRACE);
  });

  test("every bar sits on one 40-column timeline when the output is not a terminal", () => {
    const lines = ok(["trace", FAILED_RUN]).split("\n");
    const header = lines.find((line) => line.includes("STEP"))!;
    const column = header.indexOf("  0 ") + 2;
    expect(header.length - column).toBe(40);
    const bars = lines.filter((line) => /^[✓✗]/.test(line)).map((line) => line.slice(column));
    for (const bar of bars) expect(bar.length).toBeLessThanOrEqual(40);
    expect(bars.map((bar) => bar.length)).toContain(40);
    // analyse (130 ms to 2230 ms of 3300) covers ask (140–1140) and count (1150–2150).
    const span = (bar: string) => [bar.search(/█/), bar.lastIndexOf("█")];
    const [analyse, ask, count] = [bars[1]!, bars[2]!, bars[3]!].map(span);
    expect(ask![0]).toBeGreaterThanOrEqual(analyse![0]!);
    expect(count![1]).toBeLessThanOrEqual(analyse![1]!);
    expect(count![0]).toBeGreaterThan(ask![1]!);
  });

  test("-v shows inputs, outputs and errors whole (failed items too)", () => {
    const text = ok(["trace", FAILED_RUN, "-v"]);
    expect(text).toContain(["     output  {", '               "words": 42', "             }"].join("\n"));
    expect(text).toContain(
      [
        "             [1] ValueError: bad item 1",
        "                   line 2 of the traceback",
        "             [4] ValueError: bad item 4",
      ].join("\n"),
    );
    expect(text).toContain(
      [
        "     error   exit 7: connection refused",
        "             curl: (7) Failed to connect",
        "             retry later",
      ].join("\n"),
    );
    expect(text).not.toContain("-v shows them");
  });

  test("long inputs and outputs are cut to one line of ~100 characters without -v", () => {
    const long = tempHome("trace-long");
    withStore(long, (store) => {
      store.startRun({
        id: "long-run",
        pipeline: "long",
        file: "/work/long.yaml",
        inputs: {},
        pid: 1,
        startedAt: 1_000,
      });
      store.recordStep(
        stepRow("long-run", "talk", {
          startedAt: 1_000,
          durationMs: 10,
          input: `echo ${"a".repeat(300)}\necho second line`,
          output: { text: "b".repeat(300) },
        }),
      );
      store.flush();
      store.finishRun("long-run", "success", 0, 1_010);
    });
    const lines = aiorch(long, ["trace", "long-run"]).stdout.split("\n");
    const input = lines.find((l) => l.includes("input"))!;
    const output = lines.find((l) => l.includes("output"))!;
    expect(input).toBe(`     input   echo ${"a".repeat(94)}…`);
    expect(output).toBe(`     output  {"text":"${"b".repeat(90)}…`);
    const verbose = aiorch(long, ["trace", "long-run", "-v"]).stdout;
    expect(verbose).toContain(`     input   echo ${"a".repeat(300)}\n             echo second line\n`);
    expect(verbose).toContain(`"text": "${"b".repeat(300)}"`);
  });

  test("a resumed run: reused steps (↺, with the run they came from), foreach counts, an empty output", () => {
    const text = ok(["trace", RESUMED_RUN]);
    expect(text).toContain("resumed   from run 20240305-093000-aaaa\n");
    expect(text).toContain("✓  each         1   +10ms  400ms  ████████████████████████████████\n     items   6/6 ok\n");
    expect(text).toContain("     output  (empty)\n");
    expect(text).toContain(
      "↺  fetch        -       -      -\n     reason  reused from run 20240305-093000-aaaa\n     output  owl data\n",
    );
  });

  test("a crashed run: the step it was in shows `?`, interrupted, with the items that got done", () => {
    expect(withoutPid(ok(["trace", CRASHED_RUN]))).toBe(
      [
        "run       20240307-093000-cccc",
        "pipeline  nightly",
        "status    crashed",
        "started   2024-03-07 09:30:00",
        "took      - (crashed: its process, pid N, is gone)",
        "",
        "   STEP  TRIES   START  TOOK  0                                  100ms",
        "✓  prep      1   +10ms  90ms      ████████████████████████████████████",
        "     input   echo prep",
        "     output  prep",
        "?  loop      -  +100ms     …                                         ░",
        "     status  interrupted: still running when the run stopped",
        "     items   4/10 ok, 6 not run",
        "",
      ].join("\n"),
    );
  });

  test("a cancelled `run --step` run: the cancelled step and the one not selected", () => {
    expect(ok(["trace", CANCELLED_RUN])).toContain(
      [
        "■  wait      1   +5ms    2s  ████████████████████████████████████████",
        "     error   cancelled",
        "     input   sleep 60",
        "-  prep      -      -     -",
        "     reason  not selected",
      ].join("\n"),
    );
  });

  test("a run in progress without steps yet", () => {
    const text = ok(["trace", LIVE_RUN]);
    expect(text).toMatch(/\ntook {6}\d+(\.\d+)?s so far \(pid \d+\)\n/);
    expect(text.endsWith("\nno steps recorded\n")).toBe(true);
  });

  test("only the first 5 failed items are listed, with how many more there are", () => {
    const many = tempHome("trace-items");
    withStore(many, (store) => {
      store.startRun({
        id: "many-items",
        pipeline: "fan",
        file: "/work/fan.yaml",
        inputs: {},
        pid: 1,
        startedAt: 1_000,
      });
      store.recordStep(
        stepRow("many-items", "each", {
          status: "failed",
          startedAt: 1_000,
          durationMs: 50,
          input: null,
          output: undefined,
          error: "8 of 20 items failed",
          itemsTotal: 20,
          itemsDone: 12,
          itemsFailed: 8,
        }),
      );
      for (let i = 0; i < 20; i++)
        store.recordItem(
          itemRow(
            "many-items",
            "each",
            i,
            i % 5 < 2 ? { status: "failed", error: `boom ${i}`, output: undefined } : {},
          ),
        );
      store.flush();
      store.finishRun("many-items", "failed", 0, 1_050);
    });
    const text = aiorch(many, ["trace", "many-items"]).stdout;
    expect(text).toContain(
      [
        "     items   12/20 ok, 8 failed",
        "             [0] boom 0",
        "             [1] boom 1",
        "             [5] boom 5",
        "             [6] boom 6",
        "             [10] boom 10",
        "             … 3 more failed (-v shows them all)",
      ].join("\n"),
    );
    expect(aiorch(many, ["trace", "many-items", "-v"]).stdout).toContain("             [16] boom 16\n");
  });

  test("flow children sit under their parent even when another step started in between; foreach flow paths (`flow[2]/child`) too", () => {
    const tree = tempHome("trace-tree");
    withStore(tree, (store) => {
      store.startRun({ id: "tree-run", pipeline: "tree", file: "/work/tree.yaml", inputs: {}, pid: 1, startedAt: 0 });
      store.recordStep(
        stepRow("tree-run", "outer", {
          primitive: "flow",
          startedAt: 0,
          durationMs: 100,
          input: null,
          output: undefined,
        }),
      );
      store.recordStep(stepRow("tree-run", "side", { startedAt: 5, durationMs: 10, input: null, output: undefined }));
      store.recordStep(
        stepRow("tree-run", "outer/inner", {
          primitive: "flow",
          startedAt: 10,
          durationMs: 80,
          input: null,
          output: undefined,
        }),
      );
      store.recordStep(
        stepRow("tree-run", "outer/inner/leaf", { startedAt: 20, durationMs: 10, input: null, output: undefined }),
      );
      store.recordStep(
        stepRow("tree-run", "fan", {
          primitive: "flow",
          startedAt: 30,
          durationMs: 50,
          input: null,
          output: undefined,
          itemsTotal: 3,
          itemsDone: 3,
          itemsFailed: 0,
        }),
      );
      store.recordStep(
        stepRow("tree-run", "fan[2]/child", { startedAt: 40, durationMs: 5, input: null, output: undefined }),
      );
      store.flush();
      store.finishRun("tree-run", "success", 0, 100);
    });
    const names = aiorch(tree, ["trace", "tree-run"])
      .stdout.split("\n")
      .filter((l) => l.startsWith("✓"))
      .map((l) => l.slice(3, 3 + 14).trimEnd());
    expect(names).toEqual(["outer", "  inner", "    leaf", "side", "fan", "  [2]/child"]);
  });

  test("a secret of the environment recorded before it was one is masked on the screen", () => {
    const leaky = tempHome("trace-secret");
    withStore(leaky, (store) => {
      store.startRun({
        id: "leaky-run",
        pipeline: "leaky",
        file: "/work/leaky.yaml",
        inputs: { token: "s3cr3t-value" },
        pid: 1,
        startedAt: 0,
      });
      store.recordStep(
        stepRow("leaky-run", "call", {
          startedAt: 0,
          durationMs: 5,
          input: "curl -H 'X-Token: s3cr3t-value' https://example.org",
          output: "ok s3cr3t-value",
        }),
      );
      store.flush();
      store.finishRun("leaky-run", "success", 0, 5);
    });
    for (const args of [
      ["trace", "leaky-run"],
      ["trace", "leaky-run", "--format", "json"],
      ["history", "leaky-run"],
    ]) {
      const shown = aiorch(leaky, args, { SERVICE_TOKEN: "s3cr3t-value" }).stdout;
      expect(shown).toContain("***");
      expect(shown).not.toContain("s3cr3t-value");
    }
    expect(aiorch(leaky, ["trace", "leaky-run"]).stdout).toContain("s3cr3t-value");
  });
});

/** `script` runs a command on a pseudo-terminal of a chosen width. */
const hasScript = Bun.spawnSync(["sh", "-c", "command -v script"]).exitCode === 0;

describe.skipIf(!hasScript)("trace on a terminal", () => {
  function onTerminal(columns: number): string[] {
    const command = `stty cols ${columns}; exec ${aiorchShellCommand()} trace ${FAILED_RUN}`;
    const result = Bun.spawnSync(["script", "-qec", command, "/dev/null"], {
      env: { ...process.env, AIORCH_HOME: home, TZ: "UTC", NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(result.exitCode).toBe(0);
    return result.stdout.toString().replace(/\r/g, "").split("\n");
  }

  test("the bars take the width of the terminal (but its last column), at least 10 columns", () => {
    for (const columns of [100, 160]) {
      const lines = onTerminal(columns);
      const header = lines.find((line) => line.includes("STEP"))!;
      expect(header.length).toBe(columns - 1);
      expect(header).toEndWith(" 3.3s");
      expect(Math.max(...lines.filter((l) => /^[✓✗]/.test(l)).map((l) => l.length))).toBe(columns - 1);
    }
    const narrow = onTerminal(30).find((line) => line.includes("STEP"))!;
    expect(narrow.slice(narrow.indexOf("  0 ") + 2)).toHaveLength(10);
  });
});
