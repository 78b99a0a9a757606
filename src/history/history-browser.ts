/**
 * The history as `aiorch ui` reads it: the store's own queries (runs, steps, item counts)
 * and those of browse-queries.ts, over read-only connections. Each query sees the latest
 * commit (WAL), so a run in progress is read as it goes. A history that did not exist when
 * the browser opened is opened again once a run creates it.
 */
import type { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import {
  cacheHitsOf,
  dailyCosts,
  itemTimeline,
  pageItems,
  pageRuns,
  pipelineNames,
  resumesOf,
  runFingerprint,
  runGraph,
  type ItemPageFilter,
  type RunPageFilter,
} from "./browse-queries.ts";
import { openConnection } from "./connection.ts";
import { HistoryStore } from "./history-store.ts";

export class HistoryBrowser {
  private store: HistoryStore;
  private db: Database;
  private missing: boolean;

  private constructor(readonly file: string) {
    this.missing = !existsSync(file);
    this.store = HistoryStore.open(file, { readonly: true });
    this.db = openConnection(file, { readonly: true }).db;
  }

  /** Opens the history at `file` for reading; an absent file reads as an empty history until a run creates it. */
  static open(file: string): HistoryBrowser {
    return new HistoryBrowser(file);
  }

  /** The store's queries (`getRun`, `getSteps`, `itemCounts`, …). */
  get runs(): HistoryStore {
    this.reopenIfCreated();
    return this.store;
  }

  pageRuns(filter: RunPageFilter) {
    return pageRuns(this.connection(), filter);
  }

  cacheHits(runIds: readonly string[]) {
    return cacheHitsOf(this.connection(), runIds);
  }

  resumesOf(runId: string) {
    return resumesOf(this.connection(), runId);
  }

  graph(runId: string) {
    return runGraph(this.connection(), runId);
  }

  items(runId: string, step: string, filter: ItemPageFilter) {
    return pageItems(this.connection(), runId, step, filter);
  }

  itemTimeline(runId: string, step: string) {
    return itemTimeline(this.connection(), runId, step);
  }

  dailyCosts(since: number) {
    return dailyCosts(this.connection(), since);
  }

  pipelines() {
    return pipelineNames(this.connection());
  }

  fingerprint(runId: string) {
    return runFingerprint(this.connection(), runId);
  }

  close(): void {
    this.store.close();
    this.db.close();
  }

  private connection(): Database {
    this.reopenIfCreated();
    return this.db;
  }

  private reopenIfCreated(): void {
    if (!this.missing || !existsSync(this.file)) return;
    this.close();
    this.missing = false;
    this.store = HistoryStore.open(this.file, { readonly: true });
    this.db = openConnection(this.file, { readonly: true }).db;
  }
}
