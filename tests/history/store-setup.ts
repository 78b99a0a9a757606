/**
 * The store tests' setup: stores opened through `openStore` are closed after each test
 * (`afterEach(closeOpenStores)`), and `start` begins a run of pipeline `demo`.
 */
import { HistoryStore } from "../../src/history/index.ts";

const open: HistoryStore[] = [];

/** `HistoryStore.open`, closed by {@link closeOpenStores}. */
export function openStore(path: string, options?: Parameters<typeof HistoryStore.open>[1]): HistoryStore {
  const store = HistoryStore.open(path, options);
  open.push(store);
  return store;
}

/** Closes every store `openStore` opened: each test file calls it in `afterEach`. */
export function closeOpenStores(): void {
  for (const store of open.splice(0)) store.close();
}

/** Starts run `id` of `demo` (/p/demo.yaml, inputs {n: 1}, this pid, at 1,000 ms), changed by `overrides`. */
export function start(
  store: HistoryStore,
  id: string,
  overrides: Partial<Parameters<HistoryStore["startRun"]>[0]> = {},
): void {
  store.startRun({
    id,
    pipeline: "demo",
    file: "/p/demo.yaml",
    inputs: { n: 1 },
    pid: process.pid,
    startedAt: 1_000,
    ...overrides,
  });
}
