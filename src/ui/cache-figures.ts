/** What the LLM response cache holds and saved, read from the history file (see `aiorch cache stats`). */
import { ResponseCache, type CacheStats } from "../llm/response-cache.ts";

export function cacheStatsOf(file: string): CacheStats {
  const cache = ResponseCache.open(file, { readonly: true });
  try {
    return cache.stats();
  } finally {
    cache.close();
  }
}
