import type { SharedCode, SharedContext, SharedValue } from "./shared-values.ts";

/** How much one worker may keep; beyond it the least recently used entries are dropped. */
export interface WorkerCacheLimits {
  /** Bytes of value JSON (default 256 MiB). */
  valueBytes: number;
  /** Number of contexts (default 512). */
  contexts: number;
  /** Number of compiled bodies (default 512). */
  codes: number;
}

/** Defaults for {@link WorkerCacheLimits}. */
export const DEFAULT_CACHE_LIMITS: WorkerCacheLimits = { valueBytes: 256 * 1024 * 1024, contexts: 512, codes: 512 };

/** The protocol lines a job needs sent ahead of its `run` line. */
export interface Definitions {
  text: string;
  /** Bytes of context data (values and context tables) in `text`. */
  contextBytes: number;
}

/** Moves `key` to the most-recent end of an insertion-ordered map. */
function touch<V>(map: Map<number, V>, key: number, value: V): void {
  map.delete(key);
  map.set(key, value);
}

/**
 * What one worker process already holds, mirrored on this side so each shared value, context
 * and body crosses the pipe once per worker (the pipe is ordered, so "sent" means "held").
 */
export class WorkerCache {
  private readonly values = new Map<number, number>(); // id → bytes, least recent first
  private valueBytes = 0;
  private readonly contexts = new Map<number, true>();
  private readonly codes = new Map<number, true>();

  constructor(private readonly limits: WorkerCacheLimits = DEFAULT_CACHE_LIMITS) {}

  /** The definition lines (values, context table, body, evictions) that must precede a job. */
  definitions(code: SharedCode, context: SharedContext | undefined, env: SharedValue | undefined): Definitions {
    const parts: string[] = [];
    let contextBytes = 0;
    const inUse = new Set<number>();
    const needValue = (value: SharedValue): number => {
      inUse.add(value.id);
      const size = this.values.get(value.id);
      if (size !== undefined) {
        touch(this.values, value.id, size);
        return 0;
      }
      const line = `{"t":"val","id":${value.id}}\n${value.json}\n`;
      parts.push(line);
      this.values.set(value.id, value.json.length);
      this.valueBytes += value.json.length;
      return Buffer.byteLength(line);
    };
    if (context) {
      if (this.contexts.has(context.id)) touch(this.contexts, context.id, true);
      else {
        for (const [, value] of context.refs) contextBytes += needValue(value);
        const table = JSON.stringify({ t: "ctx", id: context.id, refs: context.refs.map(([name, v]) => [name, v.id]) });
        parts.push(`${table}\n`);
        contextBytes += Buffer.byteLength(table) + 1;
        this.contexts.set(context.id, true);
      }
    }
    if (env) needValue(env);
    if (this.codes.has(code.id)) touch(this.codes, code.id, true);
    else {
      parts.push(`${JSON.stringify({ t: "code", id: code.id, step: code.step, src: code.src })}\n`);
      this.codes.set(code.id, true);
    }
    const drop = this.evict(inUse, context?.id, code.id);
    if (drop) parts.push(drop);
    return { text: parts.join(""), contextBytes };
  }

  /** A `drop` line for what exceeds the limits, never touching what the current job uses. */
  private evict(inUse: Set<number>, contextId: number | undefined, codeId: number): string {
    const vals: number[] = [];
    const ctxs: number[] = [];
    const codes: number[] = [];
    for (const [id, size] of this.values) {
      if (this.valueBytes <= this.limits.valueBytes) break;
      if (inUse.has(id)) continue;
      this.values.delete(id);
      this.valueBytes -= size;
      vals.push(id);
    }
    for (const id of this.contexts.keys()) {
      if (this.contexts.size <= this.limits.contexts) break;
      if (id === contextId) continue;
      this.contexts.delete(id);
      ctxs.push(id);
    }
    for (const id of this.codes.keys()) {
      if (this.codes.size <= this.limits.codes) break;
      if (id === codeId) continue;
      this.codes.delete(id);
      codes.push(id);
    }
    if (!vals.length && !ctxs.length && !codes.length) return "";
    return `${JSON.stringify({ t: "drop", vals, ctxs, codes })}\n`;
  }
}
