/**
 * Compiles aiorch into self-contained executables with `bun build --compile`.
 *   bun scripts/build.ts          host binary at dist/aiorch
 *   bun scripts/build.ts --all    the five release targets + dist/SHA256SUMS
 *   --outdir DIR                  somewhere else than dist/ (the tests build into a temp dir)
 * ESM bytecode: dependencies use import.meta, which a CommonJS bytecode build cannot parse.
 * The executable starts with the JIT's tier-up thresholds scaled by 16: start-up and
 * validation run their code once, where compiling it costs more than it saves; once
 * validation ends (`validateFiles`) the normal policy is back for the run engine.
 * Nothing is read from the working directory at start-up: see NO_AUTOLOAD.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPage } from "../src/ui/page-build.ts";

/** The release assets: install.sh, the Homebrew formula and release.yml use these names. */
export const TARGETS = [
  { target: "bun-linux-x64", file: "aiorch-linux-x64" },
  { target: "bun-linux-arm64", file: "aiorch-linux-arm64" },
  { target: "bun-darwin-x64", file: "aiorch-darwin-x64" },
  { target: "bun-darwin-arm64", file: "aiorch-darwin-arm64" },
  { target: "bun-windows-x64", file: "aiorch-windows-x64.exe" },
] as const;

const root = join(import.meta.dir, "..");

/**
 * The executable reads nothing from the directory it runs in. By default a compiled Bun
 * program loads `bunfig.toml` (whose `preload` runs code) and `.env` files from the working
 * directory, so running `aiorch validate` in a cloned hostile repository would run its code
 * or change the environment. tsconfig/package.json autoloading is off by default today; it
 * is turned off explicitly so that a change of Bun's defaults cannot bring it back.
 */
export const NO_AUTOLOAD = [
  "--no-compile-autoload-bunfig",
  "--no-compile-autoload-dotenv",
  "--no-compile-autoload-tsconfig",
  "--no-compile-autoload-package-json",
] as const;

/**
 * Bundles the web UI (src/ui/page-build.ts) into src/ui/generated/page.txt, which the binary
 * embeds (src/ui/embedded-page.ts). Written through a rename: test processes may build at once.
 */
export async function generateUiPage(): Promise<void> {
  const folder = join(root, "src/ui/generated");
  mkdirSync(folder, { recursive: true });
  const temporary = join(folder, `page.${process.pid}.tmp`);
  writeFileSync(temporary, await buildPage());
  renameSync(temporary, join(folder, "page.txt"));
}

function compile(outfile: string, target?: string): void {
  const args = [
    "build",
    join(root, "src/main.ts"),
    "--compile",
    "--minify",
    "--bytecode",
    "--format=esm",
    "--compile-jit-policy=16",
    ...NO_AUTOLOAD,
    "--outfile",
    outfile,
  ];
  if (target) args.push(`--target=${target}`);
  const started = performance.now();
  const result = Bun.spawnSync([process.execPath, ...args], { cwd: root, stdout: "inherit", stderr: "inherit" });
  if (result.exitCode !== 0) {
    console.error(`build failed for ${target ?? "host"} (exit ${result.exitCode})`);
    process.exit(1);
  }
  console.log(`built ${outfile} in ${Math.round(performance.now() - started)} ms`);
}

async function main(): Promise<void> {
  await generateUiPage();
  const outIndex = process.argv.indexOf("--outdir");
  const dist = outIndex > 0 ? process.argv[outIndex + 1]! : join(root, "dist");
  mkdirSync(dist, { recursive: true });
  if (process.argv.includes("--all")) buildAll(dist);
  else compile(join(dist, "aiorch"));
}

function buildAll(dist: string): void {
  const sums: string[] = [];
  for (const { target, file } of TARGETS) {
    const out = join(dist, file);
    compile(out, target);
    sums.push(`${createHash("sha256").update(readFileSync(out)).digest("hex")}  ${file}`);
  }
  writeFileSync(join(dist, "SHA256SUMS"), `${sums.join("\n")}\n`);
  console.log(`wrote ${join(dist, "SHA256SUMS")}`);
}

if (import.meta.main) await main();
