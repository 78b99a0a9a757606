/**
 * Issue 12 item 13: cost grows linearly with the size of a pipeline. Each size is twice
 * the one before, so a column of ratios per doubling shows the growth at a glance: about
 * 2 is linear, about 4 quadratic. Peak memory has a fixed floor (the runtime itself, about
 * 60 MB), so its ratio stays under 2 while the part that grows is linear.
 */
import { join } from "node:path";
import { chain, nestedLoops, writePipeline } from "./generate.ts";
import { medianOf } from "./measure.ts";

/** Runs per size; each figure is the median of its runs. */
const RUNS = 3;

interface Case {
  label: string;
  sizes: readonly number[];
  argv: (size: number) => string[];
}

const ratio = (now: number, before: number | undefined) =>
  before === undefined ? "" : `×${(now / before).toFixed(2)}`;

function measureCase(c: Case): string[] {
  const lines: string[] = [];
  let before: { ms: number; maxRssMb: number; cpuMs: number } | undefined;
  for (const size of c.sizes) {
    const m = medianOf(RUNS, c.argv(size));
    const label = `${c.label} ${size.toLocaleString("en-US")}`;
    const wall = `${(m.ms / 1000).toFixed(2)} s ${ratio(m.ms, before?.ms).padStart(6)}`;
    const cpu = `${(m.cpuMs / 1000).toFixed(2)} s ${ratio(m.cpuMs, before?.cpuMs).padStart(6)}`;
    const rss = `${m.maxRssMb.toFixed(0)} MB ${ratio(m.maxRssMb, before?.maxRssMb).padStart(6)}`;
    lines.push(`${label.padEnd(40)} ${wall.padStart(16)} ${cpu.padStart(16)} ${rss.padStart(16)}`.trimEnd());
    before = m;
  }
  return lines;
}

/** The table of `bun run bench`'s "Issue 12: linear cost" section. */
export function benchLinearCost(binary: string, work: string): string[] {
  const chainFile = (n: number) => writePipeline(work, `chain-${n}.yaml`, chain(n));
  const loopsFile = (n: number) => writePipeline(work, `nested-${n}.yaml`, nestedLoops(n));
  const cases: Case[] = [
    {
      label: "validate, chain of steps:",
      sizes: [1_000, 2_000, 4_000],
      argv: (n) => [binary, "validate", chainFile(n)],
    },
    { label: "run, chain of steps:", sizes: [1_000, 2_000, 4_000], argv: (n) => [binary, "run", chainFile(n)] },
    {
      label: "run --no-history, chain of steps:",
      sizes: [1_000, 2_000, 4_000],
      argv: (n) => [binary, "run", "--no-history", chainFile(n)],
    },
    {
      label: "validate, run: in nested {% for %}:",
      sizes: [200, 400, 800],
      argv: (n) => [binary, "validate", loopsFile(n)],
    },
  ];
  const head = `${"(median of 3; × = ratio to the size before)".padEnd(40)} ${"wall".padStart(16)} ${"cpu".padStart(16)} ${"peak RSS".padStart(16)}`;
  return [
    head,
    ...cases.flatMap(measureCase),
    `  (CPU time is the steadier figure on a busy machine; pipelines in ${join(work)})`,
  ];
}
