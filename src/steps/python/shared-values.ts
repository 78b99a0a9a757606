import { encodeJson } from "./codec.ts";

/**
 * Stable identities for what jobs share (docs/execution.md#python-steps: "large values that every iteration shares are
 * sent to a worker once per run"): context objects, the values inside them, step bodies and
 * environments. Each gets a numeric id and its JSON is computed once; which worker already
 * holds which id is tracked by `WorkerCache`.
 */

/** A value encoded once; the worker keeps it as text and parses a private copy per job. */
export interface SharedValue {
  readonly id: number;
  readonly json: string;
}

/** A context: names bound to shared values. */
export interface SharedContext {
  readonly id: number;
  readonly refs: ReadonlyArray<readonly [string, SharedValue]>;
  /** Bytes of all its values' JSON, for accounting. */
  readonly bytes: number;
}

/** A step body, compiled once per worker. */
export interface SharedCode {
  readonly id: number;
  readonly step: string;
  readonly src: string;
}

/**
 * Contexts named by `contextId` that stay known, and how many names they may bind together;
 * older ones are re-encoded if they come back. The second bound keeps memory linear: each
 * step of a chain has a context of all the steps before it.
 */
const MAX_CONTEXT_IDS = 1024;
const MAX_CONTEXT_REFS = 262_144;
const MAX_CODES = 1024;
const MAX_ENVS = 64;

function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  map.set(key, value);
  if (map.size > max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  return value;
}

/** Pool-wide registry of shared ids. Values must not be mutated after they were passed in. */
export class SharedValues {
  private nextId = 1;
  private readonly objects = new WeakMap<object, SharedValue>();
  private readonly contextsByObject = new WeakMap<object, SharedContext>();
  private readonly contextsById = new Map<string, SharedContext>();
  private contextRefs = 0;
  /** The last value that is not an object seen under each name, and its shared form (see `named`). */
  private readonly lastByName = new Map<string, { value: unknown; shared: SharedValue }>();
  private readonly codes = new Map<string, SharedCode>();
  private readonly envs = new Map<string, SharedValue>();

  /**
   * The shared form of a job context: looked up by `contextId` when given (the engine
   * guarantees one object per id), else by the object's identity.
   */
  context(context: Record<string, unknown>, contextId?: string): SharedContext {
    const known = contextId !== undefined ? this.contextsById.get(contextId) : this.contextsByObject.get(context);
    if (known) return known;
    const refs: Array<readonly [string, SharedValue]> = [];
    let bytes = 0;
    for (const [name, value] of Object.entries(context)) {
      const shared = this.named(name, value);
      bytes += shared.json.length;
      refs.push([name, shared]);
    }
    const record: SharedContext = { id: this.nextId++, refs, bytes };
    if (contextId !== undefined) this.rememberContext(contextId, record);
    else this.contextsByObject.set(context, record);
    return record;
  }

  private rememberContext(contextId: string, record: SharedContext): void {
    const old = this.contextsById.get(contextId);
    if (old) this.contextRefs -= old.refs.length;
    this.contextsById.delete(contextId);
    this.contextsById.set(contextId, record);
    this.contextRefs += record.refs.length;
    for (const [id, oldest] of this.contextsById) {
      if (this.contextsById.size <= MAX_CONTEXT_IDS && this.contextRefs <= MAX_CONTEXT_REFS) break;
      if (id === contextId) continue;
      this.contextsById.delete(id);
      this.contextRefs -= oldest.refs.length;
    }
  }

  /**
   * A context's value under `name`. A number, string or other non-object has no identity to
   * intern it by, so the one last seen under the same name is reused when equal: the
   * contexts of a chain's steps all hold the results of the steps before them, and a new
   * id in each made every worker receive and keep each result once per later step
   * (memory and time quadratic in the chain's length).
   */
  private named(name: string, value: unknown): SharedValue {
    if (value !== null && typeof value === "object") return this.value(value);
    const last = this.lastByName.get(name);
    if (last && Object.is(last.value, value)) return last.shared;
    const shared = this.value(value);
    this.lastByName.set(name, { value, shared });
    return shared;
  }

  /** Objects and arrays are interned by identity (one id and one encoding per run). */
  value(value: unknown): SharedValue {
    if (value === null || typeof value !== "object") return { id: this.nextId++, json: encodeJson(value) };
    let shared = this.objects.get(value);
    if (!shared) {
      shared = { id: this.nextId++, json: encodeJson(value) };
      this.objects.set(value, shared);
    }
    return shared;
  }

  /** Step bodies by step name and source text. */
  code(step: string, src: string): SharedCode {
    const key = `${step}\u0000${src}`;
    return this.codes.get(key) ?? remember(this.codes, key, { id: this.nextId++, step, src }, MAX_CODES);
  }

  /** Environments by content: engines tend to build a fresh but equal env object per job. */
  env(env: Record<string, string>): SharedValue {
    const json = JSON.stringify(env);
    return this.envs.get(json) ?? remember(this.envs, json, { id: this.nextId++, json }, MAX_ENVS);
  }
}
