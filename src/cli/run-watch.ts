/**
 * `aiorch run --watch` (as the Python aiorch had it): run, then run again whenever the
 * pipeline, one of its flow files or one of its input files changes, until Ctrl-C.
 *
 * The files are polled (their size and mtime, every {@link POLL_MS}) rather than watched
 * with fs.watch: editors save by writing a new file and renaming it over the old one, which
 * an inode watch loses, and the set is a handful of files. A burst of saves (an editor
 * writing twice, `git checkout`) is one change: the run starts once nothing has changed for
 * {@link QUIET_MS}.
 */
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ExitCode } from "../errors/user-error.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { printErr } from "./output.ts";

export const POLL_MS = 150;
export const QUIET_MS = 300;

/** What a run tells the watcher: its exit code, and the pipeline it loaded (if it got that far). */
export interface WatchedRun {
  code: number;
  pipeline?: Pipeline;
}

/** The inputs given on the command line, to find the files among them. */
export interface WatchInputs {
  /** `-i KEY=VALUE` pairs, in order. */
  pairs: readonly string[];
  /** `--input FILE|JSON`. */
  input?: string;
  cwd: string;
}

/** The pipeline, every flow file under it, and its input files: `-i k=@path`, `file` inputs given or defaulted, `--input FILE`. */
export function watchedFiles(file: string, pipeline: Pipeline | undefined, inputs: WatchInputs): string[] {
  const files = new Set([resolve(file)]);
  const seen = new Set<Pipeline>();
  const walk = (p: Pipeline) => {
    if (seen.has(p)) return;
    seen.add(p);
    files.add(resolve(p.file));
    for (const [path, child] of p.flows) {
      files.add(path);
      walk(child);
    }
  };
  if (pipeline) walk(pipeline);
  const fileInputs = new Set(pipeline?.inputs.filter((i) => i.type === "file").map((i) => i.name) ?? []);
  for (const pair of inputs.pairs) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const [key, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
    if (value.startsWith("@")) files.add(resolve(inputs.cwd, value.slice(1)));
    else if (fileInputs.has(key)) files.add(resolve(inputs.cwd, value));
  }
  for (const spec of pipeline?.inputs ?? []) {
    if (
      spec.type === "file" &&
      typeof spec.default === "string" &&
      !inputs.pairs.some((p) => p.startsWith(`${spec.name}=`))
    ) {
      files.add(resolve(dirname(pipeline!.file), spec.default));
    }
  }
  if (inputs.input !== undefined && !/^\s*[{[]/.test(inputs.input)) files.add(resolve(inputs.cwd, inputs.input));
  return [...files];
}

/** `size:mtime` of each file; a missing file is `-` (its appearing is a change too). */
function snapshot(files: readonly string[]): string {
  return files
    .map((file) => {
      try {
        const s = statSync(file);
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return "-";
      }
    })
    .join("|");
}

/**
 * Resolves with the file list's state once it has changed and then stayed the same for
 * {@link QUIET_MS}; with `undefined` on Ctrl-C (or SIGTERM).
 */
function nextChange(files: readonly string[]): Promise<string | undefined> {
  return new Promise((done) => {
    const start = snapshot(files);
    let last = start;
    let changedAt: number | undefined;
    const timer = setInterval(() => {
      const now = snapshot(files);
      if (now !== last) {
        last = now;
        changedAt = Date.now();
      } else if (changedAt !== undefined && Date.now() - changedAt >= QUIET_MS && now !== start) {
        finish(now);
      }
    }, POLL_MS);
    const onSignal = () => finish(undefined);
    const finish = (value: string | undefined) => {
      clearInterval(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      done(value);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/**
 * Runs `once` and again after each change, until Ctrl-C: exit 130. A run stopped by Ctrl-C
 * ends the watch too. A run that fails, or a pipeline that does not validate (`once`
 * reports its own mistakes), is watched for its fix. Messages go to stderr, so `--format json` prints one document per run.
 */
export async function watchRuns(file: string, inputs: WatchInputs, once: () => Promise<WatchedRun>): Promise<number> {
  let files = [resolve(file)];
  for (;;) {
    const result = await once();
    if (result.code === ExitCode.interrupted) return ExitCode.interrupted;
    if (result.pipeline) files = watchedFiles(file, result.pipeline, inputs);
    printErr(
      `\nwatching ${files.length === 1 ? files[0] : `${files.length} files (${files.join(", ")})`} for changes; Ctrl-C to stop`,
    );
    const changed = await nextChange(files);
    if (changed === undefined) {
      printErr("stopped watching");
      return ExitCode.interrupted;
    }
    printErr("\nchanged: running again\n");
  }
}
