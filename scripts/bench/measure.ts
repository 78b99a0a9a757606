/** Small timing helpers for `bun run bench`. Benchmarks print figures; they never fail a test. */

export interface Timing {
  medianMs: number;
  minMs: number;
  runs: number;
}

/** Wall time of a whole command (spawn to exit), `runs` times after `warmup` untimed runs. */
export function timeCommand(argv: string[], options: { runs?: number; warmup?: number; cwd?: string } = {}): Timing {
  const { runs = 20, warmup = 3, cwd } = options;
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const started = performance.now();
    const result = Bun.spawnSync(argv, { cwd, stdout: "ignore", stderr: "pipe" });
    const elapsed = performance.now() - started;
    if (result.exitCode !== 0) throw new Error(`${argv.join(" ")} exited ${result.exitCode}: ${result.stderr.toString().slice(0, 500)}`);
    if (i >= warmup) samples.push(elapsed);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)]!, minMs: samples[0]!, runs };
}

/** Operations per second of `fn`, measured over about `seconds`. */
export function opsPerSecond(fn: () => void, seconds = 1): number {
  for (let i = 0; i < 10_000; i++) fn();
  let count = 0;
  const started = performance.now();
  const budget = seconds * 1000;
  while (performance.now() - started < budget) {
    for (let i = 0; i < 1000; i++) fn();
    count += 1000;
  }
  return count / ((performance.now() - started) / 1000);
}

export function row(label: string, value: string, target: string, ok: boolean): string {
  return `${label.padEnd(52)} ${value.padStart(14)}   target ${target.padEnd(10)} ${ok ? "ok" : "MISSED"}`;
}

/** One run of a command: wall time and the child's peak resident memory. */
export function measureOnce(argv: string[], cwd?: string): { ms: number; maxRssMb: number } {
  const started = performance.now();
  const result = Bun.spawnSync(argv, { cwd, stdout: "ignore", stderr: "pipe" });
  const ms = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`${argv.join(" ")} exited ${result.exitCode}: ${result.stderr.toString().slice(0, 500)}`);
  const rss = result.resourceUsage?.maxRSS ?? 0;
  return { ms, maxRssMb: rss / 1024 / 1024 };
}

/** The fastest of `runs` runs (the least disturbed by other work on the machine). */
export function bestOf(runs: number, argv: string[], cwd?: string): { ms: number; maxRssMb: number } {
  let best = measureOnce(argv, cwd);
  for (let i = 1; i < runs; i++) {
    const next = measureOnce(argv, cwd);
    if (next.ms < best.ms) best = next;
  }
  return best;
}
