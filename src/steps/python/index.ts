/** The `python:` step runtime (docs/execution.md#python-steps): a pool of persistent python3 workers. */
export { findPython } from "./interpreter.ts";
export {
  PythonPool,
  type PythonJob,
  type PythonOutcome,
  type PythonPoolOptions,
  type PythonPoolStats,
} from "./pool.ts";
export { DEFAULT_CACHE_LIMITS, type WorkerCacheLimits } from "./worker-cache.ts";
