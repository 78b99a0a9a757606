/**
 * `aiorch history RUN_ID` (one run's summary) and `aiorch trace RUN_ID` (the timeline),
 * through the real CLI against a history seeded with `HistoryStore`.
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
  tempHome,
  withStore,
  FAILED_RUN_JSON,
} from "./commands-seed.ts";
import { itemRow, removeTempDirs, stepRow } from "./helpers.ts";

afterAll(removeTempDirs);

let home: string;
beforeAll(async () => {
  home = tempHome("show");
  await seedAll(home, { live: true });
});

/** stdout of a command that must succeed without a word on stderr. */
function ok(args: string[], env: Record<string, string> = {}): string {
  const result = aiorch(home, args, env);
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

/** The crashed run's pid is a real (dead) one: the same in every line that shows it. */
const withoutPid = (text: string) => text.replace(/pid \d+/g, "pid N");

describe("aiorch history RUN_ID", () => {
  test("a failed run: file, inputs, status, times, cost, step counts, the failed steps with their errors, and what to do next", () => {
    expect(ok(["history", FAILED_RUN])).toBe(
      [
        "run       20240305-093000-aaaa",
        "pipeline  report",
        "file      /work/report.yaml",
        "status    failed",
        "started   2024-03-05 09:30:00",
        "finished  2024-03-05 09:30:03 (took 3.3s)",
        "cost      $0.0123",
        'inputs    topic = "owls"',
        "          n = 3",
        "steps     2 ok, 2 failed, 1 skipped; 2 more inside flows",
        "",
        "failed steps",
        "  ✗ each",
        "      2 of 6 items failed",
        "  ✗ upload (3 attempts)",
        "      exit 7: connection refused",
        "      curl: (7) Failed to connect",
        "      retry later",
        "",
        "aiorch trace 20240305-093000-aaaa   every step: timing, input, output, errors",
        "aiorch resume 20240305-093000-aaaa  runs again what did not succeed",
        "",
      ].join("\n"),
    );
  });

  test("a prefix of 4+ characters finds the run; a resumed run names its origin and is not resumable", () => {
    const text = ok(["history", "20240306"]);
    expect(text).toContain("run       20240306-093000-bbbb\n");
    expect(text).toContain("status    success\n");
    expect(text).toContain("resumed   from run 20240305-093000-aaaa\n");
    expect(text).toContain("steps     5 ok (2 reused)\n");
    expect(text).not.toContain("failed steps");
    expect(text).not.toContain("aiorch resume");
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "aiorch trace 20240306-093000-bbbb   every step: timing, input, output, errors",
    );
  });

  test("a crashed run says its process is gone, lists the steps it was in the middle of, and can be resumed", () => {
    expect(withoutPid(ok(["history", CRASHED_RUN]))).toBe(
      [
        "run       20240307-093000-cccc",
        "pipeline  nightly",
        "file      /work/nightly.yaml",
        "status    crashed (its process, pid N, is gone: it stopped without finishing)",
        "started   2024-03-07 09:30:00",
        "finished  -",
        "inputs    (none)",
        "steps     1 ok, 1 interrupted",
        "",
        "still running when the run stopped",
        "  ? loop",
        "",
        "aiorch trace 20240307-093000-cccc   every step: timing, input, output, errors",
        "aiorch resume 20240307-093000-cccc  runs again what did not succeed",
        "",
      ].join("\n"),
    );
    expect(ok(["history", CANCELLED_RUN])).toContain(
      `steps     1 cancelled, 1 skipped\n\naiorch trace ${CANCELLED_RUN}   every step: timing, input, output, errors\naiorch resume ${CANCELLED_RUN}  runs again`,
    );
    const live = ok(["history", LIVE_RUN]);
    expect(live).toContain(`status    running (pid ${process.pid})\n`);
    expect(live).toMatch(/\nfinished {2}- \(running for \d+(\.\d+)?s\)\n/);
    expect(live).not.toContain("aiorch resume");
  });

  test("--format json: the run, whether it can be resumed, step counts, and every step as the trace has it", () => {
    const doc = JSON.parse(ok(["history", FAILED_RUN, "--format", "json"])) as Record<string, unknown> & {
      steps: Record<string, unknown>[];
    };
    const { steps, ...run } = doc;
    expect(run).toEqual({
      ...FAILED_RUN_JSON,
      step_counts: {
        total: 5,
        succeeded: 2,
        reused: 0,
        cached: 0,
        failed: 2,
        cancelled: 0,
        skipped: 1,
        running: 0,
        interrupted: 0,
      },
    });
    expect(
      steps
        .filter((step) => step.status === "failed")
        .map((step) => [step.name, step.attempts, step.started_at, step.ended_at, step.error]),
    ).toEqual([
      ["each", 1, "2024-03-05T09:30:02.300Z", "2024-03-05T09:30:03.200Z", "2 of 6 items failed"],
      [
        "upload",
        3,
        "2024-03-05T09:30:03.200Z",
        "2024-03-05T09:30:03.300Z",
        "exit 7: connection refused\ncurl: (7) Failed to connect\nretry later",
      ],
    ]);
    // The same step objects as `trace --format json`, without the trace's detail.
    const trace = JSON.parse(ok(["trace", FAILED_RUN, "--format", "json"])) as { steps: Record<string, unknown>[] };
    expect(steps).toEqual(
      trace.steps.map(({ depth: _d, offset_ms: _o, input: _i, output: _out, log: _l, ...step }) => step),
    );
    const crashed = JSON.parse(ok(["history", CRASHED_RUN, "--format", "json"])) as {
      status: string;
      resumable: boolean;
      steps: { name: string; status: string }[];
    };
    expect(crashed).toMatchObject({ status: "crashed", resumable: true });
    expect(crashed.steps.filter((step) => step.status === "interrupted").map((step) => step.name)).toEqual(["loop"]);
    expect(JSON.parse(ok(["history", RESUMED_RUN, "--format", "json"]))).toMatchObject({
      resumable: false,
      resumed_from: FAILED_RUN,
      step_counts: { succeeded: 5, reused: 2 },
    });
  });
});

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

  test("--format json: the run, then every step in tree order with its fields and item summary; -v adds every item", () => {
    const doc = JSON.parse(ok(["trace", FAILED_RUN, "--format", "json"])) as Record<string, unknown> & {
      steps: Record<string, unknown>[];
    };
    expect(doc).toMatchObject({
      run_id: FAILED_RUN,
      status: "failed",
      duration_ms: 3300,
      cost: 0.0123,
      resumed_from: null,
      step_counts: { total: 5, failed: 2 },
    });
    expect(doc.steps.map((s) => [s.name, s.depth, s.status])).toEqual([
      ["fetch", 0, "success"],
      ["analyse", 0, "success"],
      ["analyse/ask", 1, "success"],
      ["analyse/count", 1, "success"],
      ["each", 0, "failed"],
      ["upload", 0, "failed"],
      ["publish", 0, "skipped"],
    ]);
    expect(doc.steps[2]).toEqual({
      name: "analyse/ask",
      primitive: "prompt",
      status: "success",
      reused: false,
      attempts: 1,
      started_at: "2024-03-05T09:30:00.140Z",
      ended_at: "2024-03-05T09:30:01.140Z",
      duration_ms: 1000,
      error: null,
      stdout_tail: null,
      stderr_tail: null,
      failed_attempts: [],
      warnings: [],
      reason: null,
      model: "gpt-4o-mini",
      prompt_tokens: 120,
      completion_tokens: 30,
      cost: 0.0123,
      cached: true,
      cache_hits: null,
      llm_requests: null,
      reasks: null,
      items: null,
      failed_items: [],
      depth: 1,
      offset_ms: 140,
      input: "Summarise: owl data",
      output: "Owls are birds.",
      log: null,
    });
    expect(doc.steps[4]).toMatchObject({
      items: { total: 6, succeeded: 4, failed: 2, cancelled: 0, not_run: 0, cached: 0 },
      failed_items: [
        {
          index: 1,
          error: "ValueError: bad item 1\n  line 2 of the traceback",
          input: null,
          stdout_tail: null,
          stderr_tail: null,
        },
        {
          index: 4,
          error: "ValueError: bad item 4\n  line 2 of the traceback",
          input: null,
          stdout_tail: null,
          stderr_tail: null,
        },
      ],
    });
    expect(doc.steps[4]).not.toHaveProperty("all_items");
    expect(doc.steps[6]).toMatchObject({
      started_at: null,
      ended_at: null,
      offset_ms: null,
      duration_ms: 0,
      reason: "upstream failed",
    });

    const verbose = JSON.parse(ok(["trace", FAILED_RUN, "--format", "json", "-v"])) as {
      steps: { all_items?: unknown[] }[];
    };
    const list = verbose.steps[4]!.all_items!;
    expect(list).toHaveLength(6);
    expect(list[0]).toEqual({
      index: 0,
      status: "success",
      cached: false,
      input: null,
      output: 0,
      error: null,
      failed_attempts: [],
      duration_ms: 1,
    });
    expect(list[1]).toEqual({
      index: 1,
      status: "failed",
      cached: false,
      input: null,
      output: null,
      error: "ValueError: bad item 1\n  line 2 of the traceback",
      failed_attempts: [],
      duration_ms: 1,
    });

    const crashed = JSON.parse(ok(["trace", CRASHED_RUN, "--format", "json"])) as Record<string, unknown> & {
      steps: Record<string, unknown>[];
    };
    expect(crashed).toMatchObject({
      status: "crashed",
      ended_at: null,
      duration_ms: null,
      step_counts: { running: 0, interrupted: 1 },
    });
    expect(crashed.steps[1]).toMatchObject({
      name: "loop",
      status: "interrupted",
      ended_at: null,
      duration_ms: null,
      items: { total: 10, succeeded: 4, failed: 0, cancelled: 0, not_run: 6 },
      failed_items: [],
    });
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
