/**
 * `bun run test`: the whole test suite, one `bun test` per file, several files at once (a
 * single `bun test` runs its files one after the other, and most of them wait on the
 * processes they start). The compiled aiorch that the end-to-end tests start is built once,
 * here, and handed to every file (AIORCH_TEST_BINARY).
 *   bun scripts/test.ts               every test file
 *   bun scripts/test.ts PATH…         only these files or folders
 *   --jobs N                          N files at once (default: twice the cores, at most 8)
 * Each file's output is printed whole when it ends, then the totals in `bun test`'s words
 * (`N pass`, `N fail`), which .ci/run reads. AIORCH_TEST_SOURCES=1 starts `bun src/main.ts`
 * instead of the binary (no build). When python3 on PATH is a version manager's shim, the
 * interpreter behind it comes first on the tests' PATH (see pythonBehindShim).
 */
import { chmodSync, closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { delimiter, dirname, isAbsolute, join, relative } from "node:path";

const root = join(import.meta.dir, "..");
/** Per test, for slow CI machines (bun reads it from the command line only). */
const TIMEOUT = ["--timeout", "30000"];
/** What `bun test` takes for a test file. */
const TEST_FILE = /(\.|_)(test|spec)\.(c|m)?(j|t)sx?$/;

/**
 * Files that take longest, started first so that no long file starts last while the other
 * cores idle. Only the order depends on it: a file missing here still runs.
 */
const LONG_FIRST = [
  "tests/template/shell-control.test.ts",
  "tests/template/shell-corpus.test.ts",
  "tests/llm/prompt-transport.test.ts",
  "tests/commands/help.test.ts",
  "tests/run/regressions.test.ts",
  "tests/commands/watch.test.ts",
  "tests/examples-run.test.ts",
  "tests/commands/doctor.test.ts",
];

/**
 * Files at once: twice the cores (most files spend much of their time waiting for the
 * processes they start), at most 8.
 */
const DEFAULT_JOBS = Math.min(2 * availableParallelism(), 8);

function parseArgs(argv: string[]): { jobs: number; paths: string[] } {
  let jobs = DEFAULT_JOBS;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--jobs" || arg.startsWith("--jobs=")) {
      const value = arg.includes("=") ? arg.slice("--jobs=".length) : argv[++i];
      jobs = Number(value);
      if (!Number.isInteger(jobs) || jobs < 1) {
        console.error(`--jobs takes a whole number of at least 1, got ${JSON.stringify(value ?? "")}`);
        process.exit(2);
      }
    } else paths.push(arg);
  }
  return { jobs, paths };
}

/** Every file under `dir`, leaving out node_modules and hidden folders (as `bun test` does). */
function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) yield* walk(join(dir, entry.name));
    } else if (entry.isFile()) yield join(dir, entry.name);
  }
}

/** The test files under `paths` (default: the repository), as `bun test` finds them, in a stable order. */
function testFiles(paths: string[]): string[] {
  const found = new Set<string>();
  for (const path of paths.length ? paths : ["."]) {
    const absolute = join(root, path);
    if (statSync(absolute, { throwIfNoEntry: false })?.isFile()) {
      found.add(relative(root, absolute));
      continue;
    }
    for (const file of walk(absolute)) if (TEST_FILE.test(file)) found.add(relative(root, file));
  }
  const rank = (file: string) => (LONG_FIRST.includes(file) ? LONG_FIRST.indexOf(file) : LONG_FIRST.length);
  return [...found].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Builds the compiled aiorch once for every file; undefined when the tests start the sources. */
function buildBinary(): { path: string; dir: string } | undefined {
  if (process.env.AIORCH_TEST_SOURCES === "1" || process.env.AIORCH_TEST_BINARY) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "aiorch-tests-binary-"));
  chmodSync(dir, 0o755); // some tests run it as `nobody`
  const build = Bun.spawnSync([process.execPath, join(root, "scripts/build.ts"), "--outdir", dir], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const stderr = build.stderr.toString();
  if (build.exitCode !== 0 || stderr.includes("error")) {
    console.error(`scripts/build.ts failed:\n${stderr}`);
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
  return { path: join(dir, "aiorch"), dir };
}

/**
 * The folder of the interpreter behind `python3` when python3 on PATH is a version
 * manager's shim (pyenv, asdf: a script), to put first on the tests' PATH. The shim works
 * out a version on every start, about 0.1 s of CPU for each of the hundreds of runs in
 * fresh AIORCH_HOMEs; aiorch's handling of shims has its own test with a shim of its own
 * (tests/python/interpreter-shim.test.ts).
 */
function pythonBehindShim(): string | undefined {
  const python = Bun.which("python3");
  if (!python) return undefined;
  const head = Buffer.alloc(2);
  const fd = openSync(python, "r");
  try {
    if (readSync(fd, head, 0, 2, 0) !== 2 || head.toString("latin1") !== "#!") return undefined;
  } finally {
    closeSync(fd);
  }
  const real = Bun.spawnSync([python, "-c", "import sys; print(sys.executable)"], { stdout: "pipe", stderr: "ignore" })
    .stdout.toString()
    .trim();
  return isAbsolute(real) && real !== python ? dirname(real) : undefined;
}

interface FileOutcome {
  file: string;
  exitCode: number;
  output: string;
  counts: Record<"pass" | "fail" | "skip" | "todo" | "expect", number>;
  seconds: number;
}

/** Bun's totals at the end of one file's output: ` 12 pass`, ` 1 fail`, ` 30 expect() calls`. */
const COUNT = /^ *(\d+) (pass|fail|skip|todo|expect\(\) calls)$/;
const RAN = /^Ran \d+ tests? across \d+ files?\./;

async function runFile(file: string, env: Record<string, string | undefined>): Promise<FileOutcome> {
  const started = performance.now();
  // One stream, stderr (the results) and stdout (what tests print) in the order written.
  const command = ["sh", "-c", 'exec "$0" test "$@" 2>&1', process.execPath, ...TIMEOUT, `./${file}`];
  const child = Bun.spawn(command, { cwd: root, env, stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  const [output, exitCode] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  const counts = { pass: 0, fail: 0, skip: 0, todo: 0, expect: 0 };
  const kept: string[] = [];
  for (const line of output.split("\n")) {
    const count = COUNT.exec(line);
    if (count) counts[count[2]!.startsWith("expect") ? "expect" : (count[2] as "pass")] += Number(count[1]);
    else if (!RAN.test(line)) kept.push(line);
  }
  return { file, exitCode, output: kept.join("\n").trim(), counts, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<number> {
  const started = performance.now();
  const { jobs, paths } = parseArgs(process.argv.slice(2));
  const files = testFiles(paths);
  if (files.length === 0) {
    console.error(`no test files under ${paths.join(" ")}`);
    return 1;
  }
  const binary = buildBinary();
  // 116 MB: not left behind by Ctrl-C either (the files' bun test get the signal too).
  const removeBinary = () => binary && rmSync(binary.dir, { recursive: true, force: true });
  process.once("SIGINT", () => {
    removeBinary();
    process.exit(130);
  });
  const python = pythonBehindShim();
  const env = {
    ...process.env,
    ...(binary ? { AIORCH_TEST_BINARY: binary.path } : {}),
    ...(python ? { PATH: `${python}${delimiter}${process.env.PATH ?? ""}` } : {}),
  };
  const outcomes: FileOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const outcome = await runFile(files[next++]!, env);
      outcomes.push(outcome);
      console.log(`${outcome.output}\n`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
  } finally {
    removeBinary();
  }
  const total = (key: keyof FileOutcome["counts"]) => outcomes.reduce((sum, o) => sum + o.counts[key], 0);
  // A file that failed without a failing test (it did not load, or crashed) fails the run too.
  const broken = outcomes.filter((o) => o.exitCode !== 0 && o.counts.fail === 0).map((o) => o.file);
  for (const file of broken)
    console.log(`error: ${file} exited with a failure but no failed test (see its output above)`);
  const failed = outcomes.filter((o) => o.counts.fail > 0).map((o) => o.file);
  if (failed.length) console.log(`files with failures:\n${failed.map((f) => `  ${f}`).join("\n")}\n`);
  const slowest = [...outcomes].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
  console.log(`slowest files: ${slowest.map((o) => `${o.file} ${o.seconds.toFixed(1)}s`).join(", ")}\n`);
  const tests = total("pass") + total("fail") + total("skip") + total("todo");
  console.log(` ${total("pass")} pass`);
  if (total("skip")) console.log(` ${total("skip")} skip`);
  if (total("todo")) console.log(` ${total("todo")} todo`);
  console.log(` ${total("fail")} fail`);
  console.log(` ${total("expect")} expect() calls`);
  console.log(
    `Ran ${tests} tests across ${files.length} files, ${Math.min(jobs, files.length)} at a time. [${((performance.now() - started) / 1000).toFixed(2)}s]`,
  );
  return failed.length || broken.length ? 1 : 0;
}

process.exit(await main());
