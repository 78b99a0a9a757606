/**
 * `bun run bench`: prints the performance figures the issues ask for. Needs the compiled
 * host binary (built first when dist/aiorch is missing or older than the sources).
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileTemplate } from "../src/template/index.ts";
import { generatePipeline } from "./bench/generate.ts";
import { opsPerSecond, row, timeCommand } from "./bench/measure.ts";

const root = join(import.meta.dir, "..");
const binary = join(root, "dist", "aiorch");
if (!existsSync(binary) || process.argv.includes("--rebuild")) {
  const build = Bun.spawnSync([process.execPath, join(root, "scripts", "build.ts")], { stdout: "inherit", stderr: "inherit" });
  if (build.exitCode !== 0) process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), "aiorch-bench-"));
const lines: string[] = [`aiorch benchmarks (${process.platform}-${process.arch}, compiled binary ${binary})`, ""];
const report = (line: string) => {
  lines.push(line);
  console.log(line);
};

const version = timeCommand([binary, "--version"]);
report(row("aiorch --version (median wall)", `${version.medianMs.toFixed(1)} ms`, "≤ 20 ms", version.medianMs <= 20));

const small = generatePipeline(work, 10);
const validateSmall = timeCommand([binary, "validate", small]);
report(row("validate, 10 steps (median wall)", `${validateSmall.medianMs.toFixed(1)} ms`, "≤ 30 ms", validateSmall.medianMs <= 30));

const large = generatePipeline(work, 500);
const validateLarge = timeCommand([binary, "validate", large], { runs: 7, warmup: 1 });
report(row("validate, 500 steps / 2,000 templates (median wall)", `${validateLarge.medianMs.toFixed(0)} ms`, "≤ 300 ms", validateLarge.medianMs <= 300));

const template = compileTemplate("Hello {{ name }}!");
const context = { name: "world" };
const renders = opsPerSecond(() => template.render(context));
report(row("render a cached one-variable template", `${Math.round(renders).toLocaleString("en-US")}/s`, "≥ 200,000/s", renders >= 200_000));
