/**
 * What the steps of one kind share across a run — the python workers; the LLM transport,
 * cache and spending — looked up by a key their primitive owns. A service is created by the
 * first step that asks for it (a run without prompt steps never loads the openai SDK), with
 * the settings the command gave its key, and closed with the run.
 */
import type { StepLlmUsage } from "../llm/llm-services.ts";

/** Where the run's services are created: the invoking environment and folder. */
export interface ServiceSetup {
  env: Record<string, string | undefined>;
  cwd: string;
}

/** What a service that spends money (prompt calls) tells the run. */
export interface Spending<T> {
  /** Dollars the service has spent in the run so far. */
  spent(service: T): number;
  /** What the calls of step `path` (all its items and attempts) used and cost, if any. */
  usageOf(service: T, path: string): StepLlmUsage | undefined;
}

/** How one kind of service is made and ended; `S` is what the command configures it with. */
export interface ServiceKey<T, S = never> {
  /** For messages. */
  readonly name: string;
  /** Undefined `settings`: the command configured none. */
  create(settings: S | undefined, setup: ServiceSetup): T | Promise<T>;
  /** Ends a created service when the run closes. */
  close?(service: T): void | Promise<void>;
  spending?: Spending<T>;
}

// The keys are only compared and handed back to their own entries, so their types are erased here.
type AnyKey = ServiceKey<unknown, unknown>;

/** The services of one run. */
export class RunServices {
  private readonly settings = new Map<AnyKey, unknown>();
  private readonly pending = new Map<AnyKey, Promise<unknown>>();
  /** The services created so far, for the synchronous questions (spending) and for closing. */
  private readonly ready = new Map<AnyKey, unknown>();

  constructor(private readonly setup: ServiceSetup) {}

  /** Gives `key` its settings (before any step asks for it). */
  configure<T, S>(key: ServiceKey<T, S>, settings: S): this {
    this.settings.set(key as AnyKey, settings);
    return this;
  }

  /** What `key` was configured with. */
  settingsOf<T, S>(key: ServiceKey<T, S>): S | undefined {
    return this.settings.get(key as AnyKey) as S | undefined;
  }

  /** The service of `key`, created on the first call; a failed creation fails every call (the step says why). */
  get<T, S>(key: ServiceKey<T, S>): Promise<T> {
    let service = this.pending.get(key as AnyKey);
    if (!service) this.pending.set(key as AnyKey, (service = this.create(key)));
    return service as Promise<T>;
  }

  private async create<T, S>(key: ServiceKey<T, S>): Promise<T> {
    const service = await key.create(this.settingsOf(key), this.setup);
    this.ready.set(key as AnyKey, service);
    return service;
  }

  /** Dollars spent by the run's services so far. */
  spent(): number {
    let total = 0;
    for (const [key, service] of this.ready) total += key.spending?.spent(service) ?? 0;
    return total;
  }

  /** What step `path` used of a spending service (undefined when it used none). */
  usageOf(path: string): StepLlmUsage | undefined {
    for (const [key, service] of this.ready) {
      const usage = key.spending?.usageOf(service, path);
      if (usage) return usage;
    }
    return undefined;
  }

  /** Ends every service that was created (the run's jobs are all finished by now). */
  async close(): Promise<void> {
    await Promise.all([...this.ready].map(([key, service]) => key.close?.(service)));
  }
}
