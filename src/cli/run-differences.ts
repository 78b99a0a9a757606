import { isAbsolute, relative } from "node:path";
import type { HistoryStore, RunRow } from "../history/index.ts";
import { canonicalJson } from "../history/inputs-digest.ts";
import type { RunFingerprint } from "./run-fingerprint.ts";

/** How much of an input's value a difference shows. */
const SHOWN_VALUE = 40;

/** `path` as the user would type it here: relative when under the current folder. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/**
 * What differs between recorded run `run` and the run about to start (`current`), one
 * phrase each (`input \`name\` was "Zed", now "Amy"`); empty when its results are the
 * results of this pipeline file, unchanged, with these inputs. A run recorded without the
 * path, hashes or digest (an older aiorch, the Python aiorch) always differs: nothing
 * proves it does not.
 */
export function runDifferences(store: HistoryStore, run: RunRow, current: RunFingerprint): string[] {
  const differences: string[] = [];
  if (run.imported)
    differences.push(`it was imported from the Python aiorch's history, which kept no file hash or inputs digest`);
  else if (run.filePath === null)
    differences.push(`it was recorded by an older aiorch, which kept no file hash or inputs digest`);
  else if (run.filePath !== current.filePath) differences.push(`it ran another file, ${shownPath(run.filePath)}`);
  else differences.push(...sourceDifferences(run, current));
  differences.push(...inputDifferences(store, run, current));
  if (run.reusedUnmatched !== null)
    differences.push(
      `it reused results of run ${run.reusedUnmatched} that did not match it (--reuse, or a resume of an edited file)`,
    );
  return differences;
}

function sourceDifferences(run: RunRow, current: RunFingerprint): string[] {
  if (run.sources === null) return ["it was recorded without the file's content hash"];
  const recorded = run.sources;
  const [main, ...flows] = Object.keys(current.sources);
  const out: string[] = [];
  if (recorded[main!] !== current.sources[main!]) out.push(`${shownPath(main!)} has changed since`);
  for (const flow of flows) {
    if (!(flow in recorded)) out.push(`it did not run the flow file ${shownPath(flow)}`);
    else if (recorded[flow] !== current.sources[flow]) out.push(`the flow file ${shownPath(flow)} has changed since`);
  }
  for (const flow of Object.keys(recorded))
    if (flow !== main && !(flow in current.sources))
      out.push(`it ran the flow file ${shownPath(flow)}, which this run does not`);
  return out;
}

/**
 * The inputs compared as recorded (masked), key by key, for the words; then by the digest,
 * which also tells two different secrets apart (both are `***` on record).
 */
function inputDifferences(store: HistoryStore, run: RunRow, current: RunFingerprint): string[] {
  const recorded = isRecord(run.inputs) ? run.inputs : {};
  const now = store.masked(current.inputs);
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(recorded), ...Object.keys(now)])].sort()) {
    const was = key in recorded ? canonicalJson(recorded[key]) : undefined;
    const is = key in now ? canonicalJson(now[key]) : undefined;
    if (was === is) continue;
    if (was === undefined) out.push(`input \`${key}\` was not given, now ${shown(is!)}`);
    else if (is === undefined) out.push(`input \`${key}\` was ${shown(was)}, now not given`);
    else out.push(`input \`${key}\` was ${shown(was)}, now ${shown(is)}`);
  }
  if (out.length > 0 || run.filePath === null || store.inputsMatch(run, current.inputs)) return out;
  if (run.inputsDigest === null) return ["it was recorded without a digest of its inputs"];
  const masked = Object.keys(recorded).filter((key) => canonicalJson(recorded[key]).includes("***"));
  return masked.length > 0
    ? [
        `${masked.map((k) => `input \`${k}\``).join(", ")} differ${masked.length === 1 ? "s" : ""} (a secret, recorded as ***)`,
      ]
    : ["its inputs differ"];
}

function shown(json: string): string {
  return json.length <= SHOWN_VALUE ? json : `${json.slice(0, SHOWN_VALUE - 1)}…`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
