/**
 * A digest of a run's inputs, recorded next to them so that `run --step/--from` can tell
 * whether the inputs of an earlier run were the ones given now. The recorded inputs cannot
 * say it alone: a secret in them is stored as `***`, and two different secrets both are.
 *
 * - Nothing masked: `sha256:<hex>` of the inputs' canonical JSON (the recorded inputs hold
 *   the same values in clear, so the digest gives nothing away).
 * - Something masked: `scrypt:<hex>`, scrypt (N=2^14, r=8, p=1) of that JSON salted with the
 *   run id. The digest is of a text holding the secret, and someone reading the history can
 *   guess at it offline; scrypt makes each guess cost tens of milliseconds instead of
 *   nanoseconds, so only a secret a dictionary holds is at risk, not an API key. It is
 *   computed only for runs whose inputs hold a secret, and compared only against runs
 *   whose masked inputs already equal the current ones.
 */
import { createHash, scryptSync } from "node:crypto";
import { stringifyPyJson } from "../model/py-json.ts";
import { redact, type Secret } from "./redact.ts";

const SHA256 = "sha256:";
const SCRYPT = "scrypt:";
const SCRYPT_COST = { N: 16384, r: 8, p: 1 } as const;

/**
 * `value` with the keys of every plain object sorted, deep: the same inputs give the same
 * text whatever order `-i` gave them in (Python dicts compare without order).
 */
export function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort()) sorted[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/** The canonical JSON text of `value` (Python-exact numbers, bytes tagged, keys sorted). */
export function canonicalJson(value: unknown): string {
  return stringifyPyJson(sortedKeys(value));
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const scrypt = (text: string, salt: string) => scryptSync(text, salt, 32, SCRYPT_COST).toString("hex");

/** The digest recorded for run `runId` with these inputs (see the module comment). */
export function inputsDigest(inputs: unknown, secrets: readonly Secret[], runId: string): string {
  const text = canonicalJson(inputs);
  const masked = secrets.length > 0 && redact(inputs, secrets) !== inputs;
  return masked ? `${SCRYPT}${scrypt(text, runId)}` : `${SHA256}${sha256(text)}`;
}

/** Whether `inputs` are the ones digested as `recorded` for run `runId`. An unknown digest matches nothing. */
export function inputsMatchDigest(recorded: string, inputs: unknown, runId: string): boolean {
  const text = canonicalJson(inputs);
  if (recorded.startsWith(SHA256)) return recorded === `${SHA256}${sha256(text)}`;
  if (recorded.startsWith(SCRYPT)) return recorded === `${SCRYPT}${scrypt(text, runId)}`;
  return false;
}
