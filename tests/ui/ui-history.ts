/**
 * A real history for the UI tests and the benchmark, made by running real pipelines with
 * the CLI: a successful run with a prompt step (twice: the second answered by the LLM
 * cache), a failed run whose foreach failed on some items, a run killed mid-step (crashed),
 * a resume of the failed run, and a run left going until the test opens its gate.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, runCli, tempDir } from "../helpers/cli.ts";
import type { LlmServer } from "../helpers/llm-server.ts";

const MAIN = join(REPO_ROOT, "src", "main.ts");

/** What a stored output holds although it is a secret where `aiorch ui` runs: the terminal masks it, and so must the page. */
export const LATE_SECRET = "hunter2-late-secret-value";

const REPORT = `name: report
steps:
  fetch:
    run: echo "rows=3 ${LATE_SECRET}"
  ask:
    prompt: "Summarise {{ fetch }} in one word"
    model: gpt-4o-mini
    depends: [fetch]
  shape:
    python: |
      result = {"summary": inputs["ask"], "rows": 3}
    depends: [ask]
`;

const BATCH = `name: batch
steps:
  numbers:
    python: |
      result = list(range(40))
  square:
    foreach: numbers
    concurrency: 4
    python: |
      if inputs["item"] % 10 == 3:
          raise ValueError(f"bad item {inputs['item']}")
      result = inputs["item"] * inputs["item"]
    depends: [numbers]
  total:
    python: |
      result = sum(x for x in inputs["square"] if x is not None)
    depends: [square]
`;

const SLOW = `name: slow
steps:
  start:
    run: echo started
  wait:
    run: sleep 60
    depends: [start]
`;

const LIVE = `name: live
steps:
  first:
    run: echo first
  gate:
    run: while [ ! -f "$GATE" ]; do sleep 0.05; done; echo opened
    depends: [first]
  after:
    run: echo after
    depends: [gate]
`;

export interface UiHistory {
  /** The project folder (its aiorch.yaml points the prompts at the test server). */
  cwd: string;
  home: string;
  env: Record<string, string>;
  runs: { success: string; cached: string; failed: string; resumed: string; crashed: string; live: string };
  /** Lets the live run finish. */
  openGate(): void;
  /** The live run's process. */
  live: ReturnType<typeof Bun.spawn>;
}

function lastRunId(env: Record<string, string>, cwd: string, pipeline: string): string {
  const listed = runCli(["history", "--pipeline", pipeline, "--limit", "1", "--format", "json"], { cwd, env });
  const runs = JSON.parse(listed.stdout) as { run_id: string }[];
  if (!runs[0]) throw new Error(`no run of ${pipeline}: ${listed.stderr}`);
  return runs[0].run_id;
}

/** Waits (bounded) until `check` holds, looking every 50 ms. */
export async function until(check: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

function stepRunning(env: Record<string, string>, cwd: string, pipeline: string, step: string): boolean {
  const listed = runCli(["history", "--pipeline", pipeline, "--limit", "1", "--format", "json"], { cwd, env });
  const run = (JSON.parse(listed.stdout || "[]") as { run_id: string }[])[0];
  if (!run) return false;
  const trace = JSON.parse(runCli(["trace", run.run_id, "--format", "json"], { cwd, env }).stdout) as {
    steps: { name: string; status: string }[];
  };
  return trace.steps.some((s) => s.name === step && s.status === "running");
}

export async function makeUiHistory(server: LlmServer): Promise<UiHistory> {
  const cwd = tempDir("ui-project");
  const home = tempDir("ui-home");
  const gate = join(cwd, "gate-open");
  const env = { AIORCH_HOME: home, GATE: gate };
  writeFileSync(
    join(cwd, "aiorch.yaml"),
    `llm:\n  base_url: ${server.url}\n  api_key: test\n  prices:\n    gpt-4o-mini: { input: 150, output: 600 }\n`,
  );
  for (const [name, text] of Object.entries({
    "report.yaml": REPORT,
    "batch.yaml": BATCH,
    "slow.yaml": SLOW,
    "live.yaml": LIVE,
  }))
    writeFileSync(join(cwd, name), text);
  // Asynchronous: the LLM test server answers from this process, so it must not be blocked.
  const run = async (...args: string[]) => {
    const child = Bun.spawn([process.execPath, MAIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
    return { exitCode: await child.exited, out: out + err };
  };
  const first = await run("run", "report.yaml");
  if (first.exitCode !== 0) throw new Error(`report failed: ${first.out}`);
  const success = lastRunId(env, cwd, "report");
  await run("run", "report.yaml");
  const cached = lastRunId(env, cwd, "report");
  await run("run", "batch.yaml");
  const failed = lastRunId(env, cwd, "batch");
  await run("resume", failed);
  const resumed = lastRunId(env, cwd, "batch");
  // A run killed while its step sleeps: its row stays `running` with no process, shown as crashed.
  const slow = Bun.spawn([process.execPath, MAIN, "run", "slow.yaml"], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdout: "ignore",
    stderr: "ignore",
  });
  await until(() => stepRunning(env, cwd, "slow", "wait"), "the slow run's step to start");
  slow.kill("SIGKILL");
  await slow.exited;
  const crashed = lastRunId(env, cwd, "slow");
  const live = Bun.spawn([process.execPath, MAIN, "run", "live.yaml"], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdout: "ignore",
    stderr: "ignore",
  });
  await until(() => stepRunning(env, cwd, "live", "gate"), "the live run's gate step to start");
  const liveId = lastRunId(env, cwd, "live");
  return {
    cwd,
    home,
    env,
    runs: { success, cached, failed, resumed, crashed, live: liveId },
    openGate: () => {
      if (!existsSync(gate)) writeFileSync(gate, "");
    },
    live,
  };
}
