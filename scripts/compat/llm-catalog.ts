/**
 * Compatibility harness (issue 11, item 2): the Python aiorch's 30 LLM examples run with
 * our CLI, their `aiorch.yaml` as shipped except `base_url` (a local OpenAI-compatible
 * server) and `api_key` (a dummy `${VAR}`), each with the first command line its header
 * documents. Needs the reference snapshot in ../shared, so it is not part of
 * `bun run check`: run it with `bun run compat:llm` (`AIORCH_BIN=dist/aiorch` to test the
 * built executable; `-- 07 14` to run only some examples; `--verbose` to print every output;
 * `--every` to also run the header's other command lines, except those naming a file the
 * catalog does not ship).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startLlmServer } from "../../tests/helpers/llm-server.ts";
import { shapedAnswer } from "./shaped-answer.ts";

const REPO = resolve(import.meta.dir, "..", "..");
const CATALOG =
  process.env.AIORCH_REFERENCE_EXAMPLES ?? resolve(REPO, "..", "shared", "reference", "aiorch-cli", "examples", "llm");
const KEY_VARIABLE = "AIORCH_COMPAT_LLM_KEY";
const KEY = "compat-dummy-key";

/** Splits a documented command line as /bin/sh would (quotes, backslashes); drops a trailing `# comment`. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "#" && !started) break;
    if (/\s/.test(c)) {
      if (started) words.push(word);
      word = "";
      started = false;
    } else if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      word += line.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? line.length : end;
      started = true;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      started = true;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** Every `aiorch run …` line of the file's header (its description or leading comments), as arguments after `aiorch`. */
export function documentedCommands(yaml: string): string[][] {
  const header = yaml.split(/^steps:/m)[0]!;
  return header
    .split("\n")
    .map((raw) => raw.replace(/^\s*#?\s*/, ""))
    .filter((line) => line.startsWith("aiorch run "))
    .map((line) => shellWords(line).slice(1));
}

/** A documented command that names a file the catalog does not ship (`-i log_path=/var/log/…`, `./my-prs.json`). */
function namesMissingFile(args: string[], dir: string): boolean {
  return args.some((arg) => {
    const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1).replace(/^@/, "") : arg;
    return /^(\.{0,2}\/|~\/)|^[\w.-]+\.(json|txt|diff|log|csv|md|py)$/.test(value) && !existsSync(resolve(dir, value));
  });
}

/** The shipped config with only `base_url` and `api_key` replaced (their lines, comments kept). */
export function pointConfigAt(config: string, baseURL: string): string {
  const lines = config.split("\n");
  const replace = (key: string, value: string) => {
    const index = lines.findIndex((l) => new RegExp(`^\\s+${key}:`).test(l));
    if (index < 0) throw new Error(`the catalog's aiorch.yaml has no llm.${key} line`);
    lines[index] = lines[index]!.replace(new RegExp(`(^\\s+${key}:).*`), `$1 ${value}`);
  };
  replace("base_url", baseURL);
  replace("api_key", `\${${KEY_VARIABLE}}`);
  return lines.join("\n");
}

interface Outcome {
  example: string;
  ok: boolean;
  exitCode: number;
  seconds: number;
  output: string;
  command: string;
}

async function runExample(file: string, args: string[] | undefined, dir: string, home: string): Promise<Outcome> {
  const started = performance.now();
  if (!args)
    return {
      example: file,
      ok: false,
      exitCode: -1,
      seconds: 0,
      output: "no `aiorch run` line in the header",
      command: "",
    };
  const bin = process.env.AIORCH_BIN
    ? [resolve(REPO, process.env.AIORCH_BIN)]
    : [process.execPath, join(REPO, "src", "main.ts")];
  const child = Bun.spawn([...bin, ...args], {
    cwd: dir,
    env: {
      ...process.env,
      NO_COLOR: "1",
      HOME: home,
      AIORCH_HOME: join(home, ".aiorch"),
      [KEY_VARIABLE]: KEY,
      OPENAI_API_KEY: "",
      OPENAI_BASE_URL: "",
      AIORCH_BASE_URL: "",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return {
    example: file,
    ok: exitCode === 0,
    exitCode,
    seconds: (performance.now() - started) / 1000,
    output: `${stdout}${stderr}`,
    command: `aiorch ${args.join(" ")}`,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const verbose = argv.includes("--verbose");
  const every = argv.includes("--every");
  const only = argv.filter((a) => !a.startsWith("--"));
  const work = mkdtempSync(join(tmpdir(), "aiorch-compat-llm-"));
  const dir = join(work, "llm");
  cpSync(CATALOG, dir, { recursive: true });
  // The snapshot may be read-only; the examples write their reports into ./inputs.
  Bun.spawnSync(["chmod", "-R", "u+w", dir]);
  const server = await startLlmServer({ answer: shapedAnswer, apiKey: KEY });
  writeFileSync(join(dir, "aiorch.yaml"), pointConfigAt(readFileSync(join(dir, "aiorch.yaml"), "utf8"), server.url));
  const files = readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ya?ml$/.test(f) && (only.length === 0 || only.some((o) => f.startsWith(o))))
    .sort();
  const results: Outcome[] = [];
  // Examples write their reports into ./inputs: run them one at a time, in one copy, as a user would.
  let extraRuns = 0;
  let extraFailures = 0;
  for (const file of files) {
    const commands = documentedCommands(readFileSync(join(dir, file), "utf8"));
    // The first documented command decides the example; --every also runs the others that need no file the catalog lacks.
    const runs = every ? commands.filter((args, i) => i === 0 || !namesMissingFile(args, dir)) : commands.slice(0, 1);
    for (const [i, args] of (runs.length ? runs : [undefined]).entries()) {
      const outcome = await runExample(file, args, dir, work);
      if (i === 0) results.push(outcome);
      else {
        extraRuns++;
        if (!outcome.ok) extraFailures++;
      }
      console.log(
        `${outcome.ok ? "ok  " : "FAIL"} ${file.padEnd(32)} ${outcome.seconds.toFixed(1).padStart(5)}s  ${outcome.command}`,
      );
      if (!outcome.ok || verbose) console.log(outcome.output.replace(/^/gm, "      | "));
    }
  }
  await server.stop();
  if (every) console.log(`\nFurther documented command lines: ${extraRuns - extraFailures}/${extraRuns} succeeded`);
  const succeeded = results.filter((r) => r.ok).length;
  console.log(
    `\nLLM examples: ${succeeded}/${files.length} succeeded (${server.stats.requests} requests; work folder ${work})`,
  );
  process.exitCode = succeeded === files.length ? 0 : 1;
}

if (import.meta.main) await main();
