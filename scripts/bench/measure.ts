/**
 * Small timing helpers for `bun run bench`. Benchmarks print figures; they never fail a test.
 * Commands get `process.env` as it is now (Bun's spawn otherwise passes the environment the
 * process started with, and the benchmark's own AIORCH_HOME would not reach them).
 */

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
    const result = Bun.spawnSync(argv, { cwd, env: process.env, stdout: "ignore", stderr: "pipe" });
    const elapsed = performance.now() - started;
    if (result.exitCode !== 0)
      throw new Error(`${argv.join(" ")} exited ${result.exitCode}: ${result.stderr.toString().slice(0, 500)}`);
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

/** One run of a command: wall time, the child's peak resident memory and its CPU time (user + system). */
export function measureOnce(argv: string[], cwd?: string): { ms: number; maxRssMb: number; cpuMs: number } {
  const started = performance.now();
  const result = Bun.spawnSync(argv, { cwd, env: process.env, stdout: "ignore", stderr: "pipe" });
  const ms = performance.now() - started;
  if (result.exitCode !== 0)
    throw new Error(`${argv.join(" ")} exited ${result.exitCode}: ${result.stderr.toString().slice(0, 500)}`);
  const usage = result.resourceUsage;
  const rss = usage?.maxRSS ?? 0;
  const cpuMs = usage ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1000 : 0;
  return { ms, maxRssMb: rss / 1024 / 1024, cpuMs };
}

/**
 * The median of `runs` runs for each figure separately: wall time, peak memory and CPU
 * time. On a busy machine the wall time of one run says little; CPU time is steadier.
 */
export function medianOf(runs: number, argv: string[], cwd?: string): { ms: number; maxRssMb: number; cpuMs: number } {
  const samples = Array.from({ length: runs }, () => measureOnce(argv, cwd));
  const median = (pick: (m: { ms: number; maxRssMb: number; cpuMs: number }) => number) => {
    const sorted = samples.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  return { ms: median((m) => m.ms), maxRssMb: median((m) => m.maxRssMb), cpuMs: median((m) => m.cpuMs) };
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
