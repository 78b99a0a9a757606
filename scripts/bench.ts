/**
 * `bun run bench`: prints the performance figures the issues ask for. Needs the compiled
 * host binary (built first when dist/aiorch is missing or older than the sources).
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileTemplate } from "../src/template/index.ts";
import {
  generatePipeline,
  ONE_PYTHON_STEP,
  PYTHON_FOREACH,
  SHELL_FOREACH,
  sleepers,
  THREE_SHELL_STEPS,
  writePipeline,
} from "./bench/generate.ts";
import { bestOf, opsPerSecond, row, timeCommand } from "./bench/measure.ts";
import { benchHistory } from "./bench/history.ts";
import { benchHistoryStore } from "./bench/history-store.ts";
import { benchLlm } from "./bench/llm.ts";
import { benchLinearCost } from "./bench/linear-cost.ts";
import { benchUi } from "./bench/ui.ts";

const root = join(import.meta.dir, "..");
const binary = join(root, "dist", "aiorch");
if (!existsSync(binary) || process.argv.includes("--rebuild")) {
  const build = Bun.spawnSync([process.execPath, join(root, "scripts", "build.ts")], {
    stdout: "inherit",
    stderr: "inherit",
  });
  if (build.exitCode !== 0) process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), "aiorch-bench-"));
// Runs are recorded: into a history of the benchmark's own, never the user's.
process.env.AIORCH_HOME = join(work, "home");
const lines: string[] = [`aiorch benchmarks (${process.platform}-${process.arch}, compiled binary ${binary})`, ""];
const report = (line: string) => {
  lines.push(line);
  console.log(line);
};

const version = timeCommand([binary, "--version"]);
report(row("aiorch --version (median wall)", `${version.medianMs.toFixed(1)} ms`, "≤ 20 ms", version.medianMs <= 20));

const small = generatePipeline(work, 10);
const validateSmall = timeCommand([binary, "validate", small]);
report(
  row(
    "validate, 10 steps (median wall)",
    `${validateSmall.medianMs.toFixed(1)} ms`,
    "≤ 30 ms",
    validateSmall.medianMs <= 30,
  ),
);

const large = generatePipeline(work, 500);
const validateLarge = timeCommand([binary, "validate", large], { runs: 7, warmup: 1 });
report(
  row(
    "validate, 500 steps / 2,000 templates (median wall)",
    `${validateLarge.medianMs.toFixed(0)} ms`,
    "≤ 300 ms",
    validateLarge.medianMs <= 300,
  ),
);

const template = compileTemplate("Hello {{ name }}!");
const context = { name: "world" };
const renders = opsPerSecond(() => template.render(context));
report(
  row(
    "render a cached one-variable template",
    `${Math.round(renders).toLocaleString("en-US")}/s`,
    "≥ 200,000/s",
    renders >= 200_000,
  ),
);

report("");
report("Run engine (issue 3)");
const threeShell = timeCommand([binary, "run", writePipeline(work, "three.yaml", THREE_SHELL_STEPS)], {
  runs: 10,
  warmup: 2,
});
report(
  row(
    "run: 3 dependent shell steps (median wall)",
    `${threeShell.medianMs.toFixed(1)} ms`,
    "≤ 40 ms",
    threeShell.medianMs <= 40,
  ),
);
const onePython = timeCommand([binary, "run", writePipeline(work, "one-python.yaml", ONE_PYTHON_STEP)], {
  runs: 10,
  warmup: 2,
});
report(
  row(
    `run: one python step, python3 = ${Bun.which("python3") ?? "none"} (median wall)`,
    `${onePython.medianMs.toFixed(1)} ms`,
    "≤ 100 ms",
    onePython.medianMs <= 100,
  ),
);
const pyForeach = writePipeline(work, "py-foreach.yaml", PYTHON_FOREACH);
const perItem: string[] = [];
for (const [n, target] of [
  [1_000, 300],
  [10_000, undefined],
  [100_000, 15_000],
] as const) {
  const m = bestOf(n >= 100_000 ? 1 : 3, [binary, "run", pyForeach, "-i", `n=${n}`, "--format", "json"]);
  perItem.push(`${((m.ms * 1000) / n).toFixed(0)} µs`);
  report(
    row(
      `python foreach, parallel, ${n.toLocaleString("en-US")} items`,
      `${(m.ms / 1000).toFixed(2)} s`,
      target ? `≤ ${target / 1000} s` : "linear",
      target ? m.ms <= target : true,
    ),
  );
  if (n === 100_000)
    report(
      row("  peak memory of aiorch at 100,000 items", `${m.maxRssMb.toFixed(0)} MB`, "≤ 250 MB", m.maxRssMb <= 250),
    );
}
report(`  per item (1k / 10k / 100k): ${perItem.join(" / ")}`);
const shellForeach = bestOf(2, [binary, "run", writePipeline(work, "shell-foreach.yaml", SHELL_FOREACH)]);
report(
  row(
    "shell foreach, 1,000 items at concurrency 16",
    `${(shellForeach.ms / 1000).toFixed(2)} s`,
    "≤ 3 s",
    shellForeach.ms <= 3000,
  ),
);
const sleep = bestOf(2, [binary, "run", writePipeline(work, "sleepers.yaml", sleepers(200)), "--concurrency", "200"]);
report(
  row(
    "200 independent 0.2 s sleeps, --concurrency 200",
    `${(sleep.ms / 1000).toFixed(2)} s`,
    "≤ 0.6 s",
    sleep.ms <= 600,
  ),
);
const python = Bun.which("python3") ?? "";
report(
  `  (python3 here: ${python}${python.includes("/shims/") ? ", a pyenv shim that adds ~0.15 s per interpreter start" : ""})`,
);
report("");
report("History (issue 4)");
const recorded = bestOf(3, [binary, "run", pyForeach, "-i", "n=10000", "--format", "json"]);
const unrecorded = bestOf(3, [binary, "run", pyForeach, "-i", "n=10000", "--format", "json", "--no-history"]);
const perItemMs = (recorded.ms - unrecorded.ms) / 10_000;
report(
  row(
    "recording cost per foreach item (10,000 python items)",
    `${(perItemMs * 1000).toFixed(1)} µs`,
    "≤ 50 µs",
    perItemMs <= 0.05,
  ),
);
report(
  `  10,000 items: ${(recorded.ms / 1000).toFixed(2)} s recorded, ${(unrecorded.ms / 1000).toFixed(2)} s with --no-history`,
);
for (const line of await benchHistory(binary, work)) report(line);
for (const line of await benchHistoryStore(work)) report(line);

report("");
report("LLM (issue 5)");
for (const line of await benchLlm(binary, work)) report(line);

report("");
report("Issue 12: linear cost");
for (const line of benchLinearCost(binary, work)) report(line);

report("");
report("Issue 15: the web UI (aiorch ui, in Chromium)");
for (const line of await benchUi(binary, work)) report(line);
