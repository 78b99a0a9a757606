import { afterAll } from "bun:test";
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPython, PythonPool, type PythonOutcome } from "../../src/steps/python/index.ts";

/** The interpreter the tests use (AIORCH_PYTHON > python3 on PATH); the suites skip without one. */
export const PYTHON = findPython();

/** A pool closed after the file's tests. */
export function testPool(size: number): PythonPool {
  const pool = new PythonPool({ python: PYTHON ?? "python3", size });
  afterAll(() => pool.close());
  return pool;
}

/** A fresh temporary directory, symlinks resolved (python reports real paths). */
export function tempDir(label: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `aiorch-python-${label}-`)));
}

/** Narrows an outcome to success, failing the test with the python message otherwise. */
export function okValue(outcome: PythonOutcome): unknown {
  if (!outcome.ok)
    throw new Error(`expected success, got ${outcome.kind}: ${outcome.message}\n${outcome.traceback ?? ""}`);
  return outcome.value;
}

/** Narrows an outcome to failure. */
export function failed(outcome: PythonOutcome): Extract<PythonOutcome, { ok: false }> {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  return outcome;
}
