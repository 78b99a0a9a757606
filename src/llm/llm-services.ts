/**
 * What every prompt step of one run shares (docs/llm.md): the configuration, the HTTP transport
 * with its per-endpoint limits, the response cache, and the run's spending against
 * `--max-cost`.
 */
import { maxOutputBytes } from "../model/output-limit.ts";
import { parseDuration } from "../model/duration.ts";
import { formatUsd } from "../model/money.ts";
import { StepFailure } from "../errors/step-failure.ts";
import { DEFAULT_MODEL, missingKey, routeModel, type Route } from "./provider.ts";
import { holdsSecret } from "../history/redact.ts";
import { ResponseCache } from "./response-cache.ts";
import type { LlmSettings } from "./settings.ts";
import { LlmTransport } from "./transport.ts";

/** `llm.timeout` in milliseconds: a number of seconds or a duration (`90s`, `2m`). */
export function timeoutOf(config: LlmSettings["config"]): number | undefined {
  return config.timeout === undefined ? undefined : parseDuration(config.timeout);
}

/** What the prompt calls of one step (all its items and attempts) used and cost. */
export interface StepLlmUsage {
  model: string;
  promptTokens: number;
  completionTokens: number;
  cost: number;
  /** Questions answered by the cache / requests made over the network (re-asks included). */
  hits: number;
  calls: number;
  /** Of `calls`, re-asks after an answer that was not valid JSON or did not match the schema. */
  reasks: number;
  /** Some cost came from the flagged fallback rate. */
  fallbackPrice: boolean;
}

export class LlmServices {
  private readonly usage = new Map<string, StepLlmUsage>();
  readonly transport: LlmTransport;
  private cacheStore: ResponseCache | undefined;
  /** Dollars spent by the run's calls so far (cache hits cost nothing). */
  spent = 0;
  /** Endpoints that refused `response_format: json_schema`: asked without it from then on. */
  readonly noStructuredOutput = new Set<string>();

  constructor(readonly settings: LlmSettings) {
    const timeoutMs = timeoutOf(settings.config);
    this.transport = new LlmTransport({
      concurrency: settings.config.concurrency ?? 8,
      maxAnswerBytes: maxOutputBytes(),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
  }

  /** The model a step uses: its own, else `--model`, else the config's, else the default. */
  modelFor(stepModel: string | undefined): string {
    return stepModel || this.settings.modelOverride || this.settings.config.model || DEFAULT_MODEL;
  }

  /** Where `model` is sent; a missing key is a step failure naming the variable. */
  route(model: string): Route {
    const route = routeModel(model, this.settings.config, this.settings.env);
    const missing = missingKey(route, model);
    if (missing) throw new StepFailure(`${missing.message}; ${missing.hint}`);
    return route;
  }

  /** The cache, opened on first use; undefined when caching is off. */
  cache(): ResponseCache | undefined {
    if (!this.settings.cache) return undefined;
    this.cacheStore ??= ResponseCache.open(this.settings.cacheFile);
    return this.cacheStore;
  }

  /** Adds one call (or cache hit) of step `path` to its usage and, for a real call, to the run's spending. */
  account(
    path: string,
    model: string,
    call: {
      promptTokens: number;
      completionTokens: number;
      cost: number;
      cached: boolean;
      fallbackPrice: boolean;
      reask?: boolean;
    },
  ): void {
    const entry = this.usage.get(path) ?? {
      model,
      promptTokens: 0,
      completionTokens: 0,
      cost: 0,
      hits: 0,
      calls: 0,
      reasks: 0,
      fallbackPrice: false,
    };
    entry.model = model;
    entry.promptTokens += call.promptTokens;
    entry.completionTokens += call.completionTokens;
    entry.cost += call.cost;
    entry.fallbackPrice ||= call.fallbackPrice;
    if (call.cached) entry.hits++;
    else entry.calls++;
    if (call.reask) entry.reasks++;
    this.usage.set(path, entry);
    this.spent += call.cost;
  }

  /** The usage of step `path` so far. */
  usageOf(path: string): StepLlmUsage | undefined {
    return this.usage.get(path);
  }

  /** Fails before a call of step `path` when its `max_cost` is spent. */
  checkStepBudget(path: string, maxCost: number | undefined): void {
    const spent = this.usage.get(path)?.cost ?? 0;
    if (maxCost !== undefined && spent >= maxCost) {
      throw new StepFailure(
        `max_cost reached: this step has spent ${formatUsd(spent)} of its ${formatUsd(maxCost)}; no new prompt call starts`,
      );
    }
  }

  /** Whether `text` holds one of the run's secrets. */
  holdsSecret(text: string): boolean {
    return holdsSecret(text, this.settings.secrets ?? []);
  }

  /** Fails before a call when the run's `--max-cost` is spent. */
  checkRunBudget(): void {
    const max = this.settings.maxCost;
    if (max !== undefined && this.spent >= max) {
      throw new StepFailure(
        `--max-cost reached: the run has spent ${formatUsd(this.spent)} of ${formatUsd(max)}; no new prompt call starts`,
      );
    }
  }

  /** Writes the cache's pending answers and closes it. */
  close(): void {
    this.cacheStore?.close();
    this.cacheStore = undefined;
  }
}
