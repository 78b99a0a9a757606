import { parsePyJson, pyJsonReplacer, stringifyPyJson } from "../model/py-json.ts";
import type { ItemRow, RecordedAttempt, RunRow, ShownStatus, StepRow } from "./types.ts";

/** The failed attempts of a row, from their JSON (null: none, or recorded before schema 8). */
function attemptsOf(text: string | null | undefined): RecordedAttempt[] | null {
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as RecordedAttempt[]) : null;
  } catch {
    return null;
  }
}

const attemptsText = (attempts: RecordedAttempt[] | null | undefined): string | null =>
  attempts && attempts.length > 0 ? JSON.stringify(attempts) : null;

/** A `runs` row as SQLite returns it; `cost` is the shown total (see the list query). */
export interface RunRecord {
  id: string;
  pipeline: string;
  file: string;
  inputs: string | null;
  status: string;
  started_at: number;
  finished_at: number | null;
  cost: number;
  pid: number;
  /** When the run's process started (schema 6; null before): see process-identity.ts. */
  pid_start: string | null;
  resumed_from: string | null;
  imported_from: string | null;
  imported_id: number | null;
  /** Schema 7; null before (see {@link RunRow.filePath}). */
  file_path: string | null;
  sources: string | null;
  inputs_digest: string | null;
  reused_unmatched: string | null;
}

/** A `steps` row as SQLite returns it. */
export interface StepRecord {
  run_id: string;
  name: string;
  primitive: string;
  status: string;
  attempts: number;
  started_at: number | null;
  duration_ms: number;
  input: string | null;
  output: string | null;
  error: string | null;
  reason: string | null;
  log: string | null;
  model: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost: number;
  cached: number;
  items_total: number | null;
  items_done: number | null;
  items_failed: number | null;
  /** 1: a secret was masked in `input` or `output` (schema 5). */
  masked: number;
  /** JSON of the failed attempts (schema 8; null before, or when none failed). */
  failed_attempts: string | null;
  /** Schema 9; null before. */
  cache_hits: number | null;
  llm_requests: number | null;
  reasks: number | null;
}

/** An `items` row as SQLite returns it. */
export interface ItemRecord {
  run_id: string;
  step: string;
  idx: number;
  status: string;
  output: string | null;
  error: string | null;
  duration_ms: number;
  masked: number;
  /** Schema 9: the item's rendered input, and 1 when the LLM cache answered it. */
  input: string | null;
  cached: number;
  /** JSON of the failed attempts (schema 8). */
  failed_attempts: string | null;
  /** Schema 10: when the item ended (epoch ms). */
  ended_at: number | null;
}

/** A value bound to a statement parameter. */
export type Bound = string | number | null;

/**
 * JSON text of a value; null (SQL NULL) for `undefined`, so that `undefined` and `null`
 * outputs stay apart. Python-exact (`src/model/py-json.ts`): ints of any size keep every digit
 * and floats keep their `.0`, so a resumed run gets the values the first run made; bytes are
 * `{"$bytes": base64}`. A cyclic value is stored with `"[Circular]"` in place of the repeat
 * rather than failing the write.
 */
export function encodeJson(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return stringifyPyJson(value);
  } catch {
    const seen = new WeakSet<object>();
    return (
      JSON.stringify(value, function (this: unknown, key: string, item: unknown) {
        const plain = pyJsonReplacer.call(this, key, item);
        if (plain && typeof plain === "object") {
          if (seen.has(plain)) return "[Circular]";
          seen.add(plain);
        }
        return plain;
      }) ?? null
    );
  }
}

/** The value of JSON text (exact numbers, bytes back as bytes); `undefined` for NULL; the text itself if it is not JSON (written by hand). */
export function decodeJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return parsePyJson(text, { bytes: true });
  } catch {
    return text;
  }
}

/** The public row of a `runs` record, with the status as shown (crashed or not). */
export function toRunRow(record: RunRecord, status: ShownStatus): RunRow {
  return {
    id: record.id,
    pipeline: record.pipeline,
    file: record.file,
    inputs: decodeJson(record.inputs),
    status,
    startedAt: record.started_at,
    finishedAt: record.finished_at,
    totalCost: record.cost,
    pid: record.pid,
    resumedFrom: record.resumed_from,
    imported:
      record.imported_from !== null && record.imported_id !== null
        ? { from: record.imported_from, id: record.imported_id }
        : null,
    filePath: record.file_path,
    sources: sourcesOf(record.sources),
    inputsDigest: record.inputs_digest,
    reusedUnmatched: record.reused_unmatched,
  };
}

/** The recorded `sources` map, or null when absent or not the object it should be. */
function sourcesOf(text: string | null): Record<string, string> | null {
  const value = decodeJson(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** The public row of a `steps` record. */
export function toStepRow(record: StepRecord): StepRow {
  return {
    runId: record.run_id,
    name: record.name,
    primitive: record.primitive,
    status: record.status as StepRow["status"],
    attempts: record.attempts,
    startedAt: record.started_at,
    durationMs: record.duration_ms,
    input: record.input,
    output: decodeJson(record.output),
    error: record.error,
    reason: record.reason,
    log: record.log ?? null,
    model: record.model,
    promptTokens: record.prompt_tokens,
    completionTokens: record.completion_tokens,
    cost: record.cost,
    cached: record.cached !== 0,
    cacheHits: record.cache_hits ?? null,
    llmRequests: record.llm_requests ?? null,
    reasks: record.reasks ?? null,
    itemsTotal: record.items_total,
    itemsDone: record.items_done,
    itemsFailed: record.items_failed,
    masked: record.masked === 1,
    failedAttempts: attemptsOf(record.failed_attempts),
  };
}

/** The public row of an `items` record. */
export function toItemRow(record: ItemRecord): ItemRow {
  return {
    runId: record.run_id,
    step: record.step,
    index: record.idx,
    status: record.status as ItemRow["status"],
    output: decodeJson(record.output),
    error: record.error,
    durationMs: record.duration_ms,
    input: record.input ?? null,
    cached: record.cached === 1,
    masked: record.masked === 1,
    failedAttempts: attemptsOf(record.failed_attempts),
    endedAt: record.ended_at ?? null,
  };
}

/** The parameters of the step upsert, in the order of its column list. */
/** Positions in `stepParams` and `itemParams` of the values that can be large. */
export const STEP_INPUT = 8;
export const STEP_OUTPUT = 9;
export const STEP_LOG = 20;
export const STEP_ATTEMPTS = 22;
export const ITEM_OUTPUT = 4;
export const ITEM_INPUT = 8;
export const ITEM_ATTEMPTS = 10;

export function stepParams(row: StepRow, recordedAt: number): Bound[] {
  return [
    row.runId,
    row.name,
    row.primitive,
    row.status,
    row.attempts,
    row.startedAt ?? null,
    recordedAt,
    row.durationMs,
    row.input ?? null,
    encodeJson(row.output),
    row.error ?? null,
    row.reason ?? null,
    row.model ?? null,
    row.promptTokens ?? null,
    row.completionTokens ?? null,
    row.cost,
    row.cached ? 1 : 0,
    row.itemsTotal ?? null,
    row.itemsDone ?? null,
    row.itemsFailed ?? null,
    row.log ?? null,
    row.masked ? 1 : 0,
    attemptsText(row.failedAttempts),
    row.cacheHits ?? null,
    row.llmRequests ?? null,
    row.reasks ?? null,
  ];
}

/** The parameters of the item upsert, in the order of its column list. */
export function itemParams(row: ItemRow): Bound[] {
  return [
    row.runId,
    row.step,
    row.index,
    row.status,
    encodeJson(row.output),
    row.error ?? null,
    row.durationMs,
    row.masked ? 1 : 0,
    row.input ?? null,
    row.cached ? 1 : 0,
    attemptsText(row.failedAttempts),
    row.endedAt ?? null,
  ];
}
