import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { isPipelineFile } from "./pipeline-file.ts";

const NAMES = ["aiorch.yaml", "aiorch.yml", ".aiorch.yaml"];

/** `$AIORCH_HOME`, default `~/.aiorch`: history, cache and the user's config live there. */
export function aiorchHome(env: Record<string, string | undefined> = process.env): string {
  return env.AIORCH_HOME || join(homedir(), ".aiorch");
}

/**
 * The config file: `--config FILE` if given, else the first `aiorch.yaml`, `aiorch.yml` or
 * `.aiorch.yaml` in the pipeline's folder or above it (a file with a top-level `steps:` is a
 * pipeline of that name and is passed over), else `$AIORCH_HOME/config.yaml`.
 */
export function findConfigFile(
  pipelineDir: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  for (let dir = resolve(pipelineDir); ; dir = dirname(dir)) {
    for (const name of NAMES) {
      const candidate = join(dir, name);
      // A pipeline may be called aiorch.yaml too (src/load/pipeline-file.ts): one with steps: is not a config.
      if (existsSync(candidate) && !isPipelineFile(candidate)) return candidate;
    }
    if (dirname(dir) === dir) break;
  }
  const home = join(aiorchHome(env), "config.yaml");
  return existsSync(home) ? home : undefined;
}
