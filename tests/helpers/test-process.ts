/**
 * Preloaded into every `bun test` process (bunfig.toml): a top-level hook here runs once,
 * after all the process's test files.
 */
import { afterAll } from "bun:test";
import { removeBuiltBinary } from "./binary.ts";

afterAll(removeBuiltBinary);
