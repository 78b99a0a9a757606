/**
 * The LLM settings of a run, as the command line builds them. Kept apart from
 * `llm-services.ts` so that reading them does not load the openai SDK.
 */
import { envFlag } from "../load/env-flag.ts";
import type { ConfigSpec } from "../spec/config.ts";
import type { Secret } from "../history/redact.ts";

export interface LlmSettings {
  /** The config's `llm:` block (values already `${VAR}`-expanded). */
  config: NonNullable<ConfigSpec["llm"]>;
  env: Record<string, string | undefined>;
  /** `--model`: used by steps that name no model of their own. */
  modelOverride?: string;
  /** False with `--no-cache` or `AIORCH_NO_CACHE=1`. */
  cache: boolean;
  /** The history database that holds the cache. */
  cacheFile: string;
  /** `--max-cost`: USD for the whole run. */
  maxCost?: number;
  /** Secrets (docs/history.md): an answer holding one is not cached. */
  secrets?: readonly Secret[];
}

/** `AIORCH_NO_CACHE` is on. */
export const cacheDisabledByEnv = (env: Record<string, string | undefined>): boolean => envFlag(env, "AIORCH_NO_CACHE");
