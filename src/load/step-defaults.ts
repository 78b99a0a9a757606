/**
 * The config's `defaults:` block (the Python aiorch's DefaultsConfig): `timeout` and
 * `retry` for every step, in the pipeline and its sub-pipelines, that does not write its
 * own. Step > defaults > built-in (no timeout, no retry).
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { parseDuration } from "../model/duration.ts";
import { stepsWithFlows, type Pipeline } from "../model/pipeline.ts";
import type { ConfigSpec } from "../spec/config.ts";

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The keys each step writes, per pipeline file. The model cannot tell `retry: 0` from no
 * `retry:` at all, and a written zero must win over the default, so the files are read
 * again (they were just validated: they parse).
 */
function writtenKeys(file: string): Map<string, Set<string>> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch {
    return new Map();
  }
  const steps = isRecord(doc) && isRecord(doc.steps) ? doc.steps : {};
  return new Map(Object.entries(steps).map(([name, spec]) => [name, new Set(isRecord(spec) ? Object.keys(spec) : [])]));
}

/** Applies `defaults` to the steps of `pipeline` (and its flows) that leave those fields out. */
export function applyStepDefaults(pipeline: Pipeline, defaults: ConfigSpec["defaults"]): void {
  if (!defaults || (defaults.retry === undefined && defaults.timeout === undefined)) return;
  const timeoutMs = defaults.timeout === undefined ? undefined : parseDuration(defaults.timeout);
  const files = new Map<string, Map<string, Set<string>>>();
  for (const step of stepsWithFlows(pipeline)) {
    const file = step.location.file;
    if (!files.has(file)) files.set(file, writtenKeys(file));
    const written = files.get(file)!.get(step.name) ?? new Set<string>();
    if (defaults.retry !== undefined && !written.has("retry")) step.retry.retries = defaults.retry;
    if (timeoutMs !== undefined && !written.has("timeout")) step.timeoutMs = timeoutMs;
  }
}
