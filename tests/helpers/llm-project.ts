import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratch } from "../run/harness.ts";
import type { LlmServer } from "./llm-server.ts";

/**
 * A fresh folder holding `p.yaml` (the pipeline) and an `aiorch.yaml` that sends every
 * prompt to the local test server, plus `config` lines appended to it (e.g. `prices:`).
 */
export function llmProject(server: LlmServer, label: string, pipeline: string, config = ""): string {
  const cwd = scratch(label);
  writeFileSync(join(cwd, "p.yaml"), pipeline);
  writeFileSync(join(cwd, "aiorch.yaml"), `llm:\n  base_url: ${server.url}\n  api_key: test\n${config}`);
  return cwd;
}
