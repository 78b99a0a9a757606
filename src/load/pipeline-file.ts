/**
 * `aiorch run` with no FILE, as the Python aiorch did it: the pipeline of the current folder
 * is the first of `Aiorch`, `Aiorch.yaml`, `Aiorch.yml`, `aiorch.yaml`, `aiorch.yml` there.
 * The last two are also names of the config file (src/load/config.ts). One rule keeps them
 * apart, for both searches: a YAML file whose top level has `steps:` is a pipeline, one
 * without is a config. Neither search ever takes the other's file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { isMap, parseDocument } from "yaml";
import { UserError } from "../errors/user-error.ts";

/** The names looked for, in order (exact case: on a case-insensitive disk, `Aiorch.yaml` is not `aiorch.yaml`). */
export const PIPELINE_NAMES = ["Aiorch", "Aiorch.yaml", "Aiorch.yml", "aiorch.yaml", "aiorch.yml"] as const;

/** The pipeline names a config file may also have; only these are read to tell which one it is. */
const SHARED_NAMES = new Set(["aiorch.yaml", "aiorch.yml"]);

/**
 * Whether the YAML `text` is a pipeline: a mapping with a top-level `steps` key. A file that
 * is not valid YAML is judged by a `steps:` line at the start of a line, so that a pipeline
 * with a typo is still reported as a pipeline (with its positions) rather than as a config.
 */
export function looksLikePipeline(text: string): boolean {
  try {
    const document = parseDocument(text);
    if (document.errors.length === 0) return isMap(document.contents) && document.contents.has("steps");
  } catch {
    // judged by the line below
  }
  return /^steps\s*:/m.test(text);
}

/** Whether `file` exists and is a pipeline by {@link looksLikePipeline}; an unreadable file is not. */
export function isPipelineFile(file: string): boolean {
  try {
    return statSync(file).isFile() && looksLikePipeline(readFileSync(file, "utf8"));
  } catch {
    return false;
  }
}

/**
 * The pipeline to use when none is named: the first of {@link PIPELINE_NAMES} in `cwd`
 * (`aiorch.yaml`/`aiorch.yml` only when they hold `steps:`). A UserError when there is none,
 * naming a config file it passed over.
 */
export function findPipelineFile(cwd: string = process.cwd()): string {
  const folder = resolve(cwd);
  const present = new Set(existsSync(folder) ? readdirSync(folder) : []);
  const configs: string[] = [];
  for (const name of PIPELINE_NAMES) {
    if (!present.has(name)) continue;
    const file = join(folder, name);
    if (!SHARED_NAMES.has(name) || isPipelineFile(file)) return file;
    configs.push(name);
  }
  const passed =
    configs.length > 0
      ? `; ${configs.join(" and ")} here ${configs.length > 1 ? "are config files" : "is a config file"} (no steps:)`
      : "";
  throw new UserError(
    `no pipeline file given, and none in ${folder} (looked for ${PIPELINE_NAMES.join(", ")})${passed}`,
    {
      hint: "name the file (`aiorch run FILE`), or create Aiorch.yaml (`aiorch init --template NAME` writes one)",
    },
  );
}

/** The FILE argument, or the pipeline found in the working directory. */
export function pipelineFileArg(file: unknown): string {
  return typeof file === "string" && file !== "" ? file : findPipelineFile();
}
