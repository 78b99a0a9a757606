/**
 * Shared helpers of the `aiorch run` end-to-end tests: every pipeline runs through the real
 * CLI (`aiorchCommand()`: the compiled binary, or `bun src/main.ts` with AIORCH_TEST_SOURCES=1)
 * in a child process, with NO_COLOR=1, a private AIORCH_HOME and a fresh temporary working
 * directory, so marker files written by steps land there.
 * The runs are asynchronous, so `test.concurrent` tests overlap while their steps sleep.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aiorchCommand } from "../helpers/cli.ts";

export const FIXTURES = join(import.meta.dir, "fixtures");

/** Absolute path of a fixture pipeline, e.g. `fixture("inputs/typed.yaml")`. */
export const fixture = (name: string): string => join(FIXTURES, name);

const scratchDirs: string[] = [];

/** A fresh temporary directory, removed by {@link removeScratch}. */
export function scratch(label = "run"): string {
  const dir = mkdtempSync(join(tmpdir(), `aiorch-e2e-${label}-`));
  scratchDirs.push(dir);
  return dir;
}

/** For `afterAll`: removes every directory {@link scratch} made in this test file. */
export function removeScratch(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface RunOptions {
  /** Working directory of aiorch (default: a fresh scratch directory). */
  cwd?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Files to create in the working directory before the run (relative path → content). */
  files?: Record<string, string | Uint8Array>;
  /** The aiorch to start (default: {@link aiorchCommand}, the compiled binary). */
  command?: string[];
}

export interface RunOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The working directory the run used. */
  cwd: string;
}

/**
 * Variables that make consola, which prints the live view, change what a user sees: under
 * `bun test` (NODE_ENV=test) or TEST=1 it prints nothing at all, and in CI (CI, or a CI
 * provider's own variable) every line gets a `[log] ` prefix. Both are engine bugs reported
 * separately; these tests check what a user at a terminal sees, so the runs do without them.
 */
const VIEW_CHANGING = new Set([
  "NODE_ENV",
  "TEST",
  "CONSOLA_LEVEL",
  "CI",
  "GITHUB_ACTIONS",
  "GITLAB_CI",
  "CIRCLECI",
  "BUILDKITE",
  "TRAVIS",
  "JENKINS_URL",
  "TEAMCITY_VERSION",
  "DRONE",
  "APPVEYOR",
  "CODEBUILD_BUILD_ARN",
  "BITBUCKET_COMMIT",
  "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI",
]);

/** The environment of a user's shell: this one without {@link VIEW_CHANGING}. */
function userEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !VIEW_CHANGING.has(key)) env[key] = value;
  return env;
}

/** Starts `aiorch <args>` in `options.cwd` (or a fresh scratch folder) with the files given written there. */
function startChild(args: string[], options: RunOptions) {
  const cwd = options.cwd ?? scratch();
  for (const [path, content] of Object.entries(options.files ?? {})) writeFileSync(join(cwd, path), content);
  const child = Bun.spawn([...(options.command ?? aiorchCommand()), ...args], {
    cwd,
    env: { ...userEnvironment(), NO_COLOR: "1", AIORCH_HOME: join(cwd, ".aiorch-home"), ...options.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  return { child, cwd };
}

/** Starts `aiorch <args>` without waiting: for tests that send signals. */
export function spawnAiorch(args: string[], options: RunOptions = {}) {
  const { child, cwd } = startChild(args, options);
  const done = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]).then(
    ([stdout, stderr, exitCode]): RunOutcome => ({ stdout, stderr, exitCode, cwd }),
  );
  return { child, cwd, done };
}

/**
 * Starts `aiorch <args>` and keeps what it prints readable while it runs: `stdout()` so
 * far, and `waitFor(text)`, which resolves once stdout holds `text` (or fails the test
 * after `timeoutMs`). For tests that must see output before the run ends.
 */
export function spawnWatched(args: string[], options: RunOptions = {}) {
  const { child, cwd } = startChild(args, options);
  let stdout = "";
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) stdout += decoder.decode(chunk, { stream: true });
  })();
  const done = Promise.all([reading, new Response(child.stderr).text(), child.exited]).then(
    ([, stderr, exitCode]): RunOutcome => ({ stdout, stderr, exitCode, cwd }),
  );
  const waitFor = async (text: string | RegExp, timeoutMs = 20_000): Promise<void> => {
    const seen = () => (typeof text === "string" ? stdout.includes(text) : text.test(stdout));
    if (!(await waitUntil(seen, timeoutMs))) throw new Error(`stdout never showed ${String(text)}; it was:\n${stdout}`);
  };
  return { child, cwd, done, stdout: () => stdout, waitFor };
}

/** Runs `aiorch <args>` to its end. */
export function aiorch(args: string[], options: RunOptions = {}): Promise<RunOutcome> {
  return spawnAiorch(args, options).done;
}

/** Runs `aiorch run FIXTURE <args>` to its end. */
export function runFixture(name: string, args: string[] = [], options: RunOptions = {}): Promise<RunOutcome> {
  return aiorch(["run", fixture(name), ...args], options);
}

/** One step of the `--format json` document (docs/cli.md#aiorch-run). */
export interface JsonStep {
  name: string;
  status: string;
  attempts: number;
  duration_ms: number;
  cost: number;
  error: string | null;
  reason?: string;
}

/** The `--format json` document of `aiorch run` (docs/cli.md#aiorch-run). */
export interface RunDocument {
  run_id: string;
  status: string;
  duration_ms: number;
  cost: number;
  outputs: Record<string, unknown>;
  steps: JsonStep[];
}

export interface JsonOutcome extends RunOutcome {
  doc: RunDocument;
  /** The step called `name`; fails the test when it is not in the document. */
  step(name: string): JsonStep;
}

/** Runs `aiorch run FIXTURE --format json <args>` and parses the one document on stdout. */
export async function runFixtureJson(
  name: string,
  args: string[] = [],
  options: RunOptions = {},
): Promise<JsonOutcome> {
  const outcome = await runFixture(name, ["--format", "json", ...args], options);
  let doc: RunDocument;
  try {
    doc = JSON.parse(outcome.stdout) as RunDocument;
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${outcome.exitCode}):\n${outcome.stdout}\nstderr:\n${outcome.stderr}`,
    );
  }
  const step = (stepName: string): JsonStep => {
    const found = doc.steps.find((s) => s.name === stepName);
    if (!found) throw new Error(`no step ${stepName} in ${JSON.stringify(doc.steps.map((s) => s.name))}`);
    return found;
  };
  return { ...outcome, doc, step };
}

/** Text of a file in `dir`, or undefined when it does not exist. */
export function readIn(dir: string, path: string): string | undefined {
  const full = join(dir, path);
  return existsSync(full) ? readFileSync(full, "utf8") : undefined;
}

/** The non-empty lines of a file in `dir` ([] when it does not exist). */
export function linesIn(dir: string, path: string): string[] {
  return (readIn(dir, path) ?? "").split("\n").filter((l) => l !== "");
}

/**
 * Whether a process is still running. A zombie counts as gone: it was killed but its new
 * parent (often a container's PID 1) has not reaped it yet.
 */
export function isAlive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync("/proc/self/stat")) {
    if (!existsSync(stat)) return false;
    try {
      const text = readFileSync(stat, "utf8");
      const state = text.slice(text.lastIndexOf(")") + 2, text.lastIndexOf(")") + 3);
      return state !== "Z" && state !== "X";
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await Bun.sleep(50);
  }
  return condition();
}

/** The pids written one per file by steps (`echo $! > NAME.pid`). */
export function pidsIn(dir: string, files: string[]): number[] {
  return files.map((f) => Number(readIn(dir, f)?.trim()));
}

/** A sign that the engine printed a stack trace instead of a message (docs/cli.md#exit-codes). */
export const STACK_TRACE = /^\s+at .+[:(]\d+|internal error|this is a bug in aiorch/m;

/** The line of the live view that ends step `path` with `symbol` (✓ ✗ - ■), or undefined. */
export function viewLine(stdout: string, symbol: string, path: string): string | undefined {
  return stdout.split("\n").find((line) => line.startsWith(`${symbol} ${path} `) || line === `${symbol} ${path}`);
}

/** Per-test time limit: runs overlap on small machines, so each one is slower than alone. */
export const SLOW = 30_000;
