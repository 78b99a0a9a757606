import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isLazyHttpValue } from "../load/inputs.ts";
import type { Pipeline } from "../model/pipeline.ts";

/**
 * What makes a run's results the results of this pipeline with these inputs, recorded with
 * every run and compared by `run --step/--from` before reusing an earlier run's results
 * (and by `resume`, which re-reads the file).
 */
export interface RunFingerprint {
  /** The pipeline file, absolute. */
  filePath: string;
  /** SHA-256 (hex) of the pipeline file and of every flow file under it, by absolute path; the pipeline first. */
  sources: Record<string, string>;
  /** The inputs as recorded: resolved, lazy http inputs left out (see {@link storedInputs}). */
  inputs: Record<string, unknown>;
}

/** Inputs as recorded: lazy http inputs are left out (they are fetched when a step reads them, by each run). */
export function storedInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).filter(([, value]) => !isLazyHttpValue(value)));
}

/**
 * SHA-256 of the pipeline file and, depth first, of each flow file it runs (a file reached
 * twice is hashed once). The files are read again: validation read them moments ago, and a
 * file edited in between is caught by the next run's comparison anyway.
 */
export function pipelineSources(pipeline: Pipeline): Record<string, string> {
  const sources: Record<string, string> = {};
  const walk = (p: Pipeline, path: string) => {
    if (path in sources) return;
    sources[path] = hashFile(path);
    for (const [flowPath, child] of p.flows) walk(child, flowPath);
  };
  walk(pipeline, resolve(pipeline.file));
  return sources;
}

/** The fingerprint of a run of `pipeline` with `inputs` (resolved). */
export function runFingerprint(pipeline: Pipeline, inputs: Record<string, unknown>): RunFingerprint {
  return { filePath: resolve(pipeline.file), sources: pipelineSources(pipeline), inputs: storedInputs(inputs) };
}

function hashFile(path: string): string {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    // Gone since validation: a hash no earlier run has, so nothing is matched on it.
    return "unreadable";
  }
}
