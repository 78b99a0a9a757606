import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Diagnostic } from "../errors/diagnostic.ts";
import { hasErrors } from "../errors/diagnostic.ts";
import { parseYaml } from "../load/yaml-source.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { checkDag } from "./dag-checks.ts";
import { checkFlows } from "./flows.ts";
import { normalizePipeline } from "./normalize.ts";
import { checkPythonBodies } from "./python-bodies.ts";
import { checkTemplates } from "./references.ts";
import { checkStepRules } from "./step-rules.ts";
import { checkStructure } from "./structure.ts";
import { collectTemplateSites } from "./template-sites.ts";

export interface ValidationResult {
  /** Present when the file parsed as YAML; complete and safe to run only when `valid`. */
  pipeline?: Pipeline;
  valid: boolean;
  diagnostics: Diagnostic[];
}

export interface ValidateOptions {
  /** Compile python: bodies with python3 when it is available (default true). */
  checkPython?: boolean;
}

/**
 * Reads and validates a pipeline file through the three layers of §6, collecting every
 * problem (sub-pipelines of flow: steps included, each in its own file). Never throws for
 * a user mistake.
 */
export function validateFile(path: string, options: ValidateOptions = {}): ValidationResult {
  const cache = new Map<string, ValidationResult>();
  const run = (file: string, stack: readonly string[]): ValidationResult => {
    const key = resolve(file);
    const cached = cache.get(key);
    if (cached) return { ...cached, diagnostics: [] };
    const result = validateOne(file, stack, options, run);
    cache.set(key, result);
    return result;
  };
  return run(path, []);
}

function validateOne(
  path: string,
  stack: readonly string[],
  options: ValidateOptions,
  validateChild: (file: string, stack: readonly string[]) => ValidationResult,
): ValidationResult {
  let text: string;
  try {
    if (statSync(path).isDirectory()) return unreadable(path, "is a directory, not a pipeline file");
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return unreadable(path, code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : `cannot be read (${code ?? "unknown error"})`);
  }
  const displayPath = path;
  const loaded = parseYaml(displayPath, text);
  const source = loaded.source!;
  const diagnostics = [...loaded.diagnostics];
  if (hasErrors(diagnostics)) return { valid: false, diagnostics };
  const structure = checkStructure(source);
  diagnostics.push(...structure);
  const root = source.doc.contents;
  if (!root || !("items" in root) || structure.some((d) => d.message.startsWith("a pipeline file must") || d.message === "the file is empty")) {
    return { valid: false, diagnostics };
  }
  const pipeline = normalizePipeline(source);
  diagnostics.push(...checkStepRules(source, pipeline));
  const dagCheck = checkDag(source, pipeline);
  diagnostics.push(...dagCheck.diagnostics);
  diagnostics.push(...checkTemplates(source, pipeline, collectTemplateSites(source, pipeline), dagCheck.ancestors));
  if (options.checkPython !== false) diagnostics.push(...checkPythonBodies(source, pipeline, dagCheck.ancestors));
  diagnostics.push(...checkFlows(source, pipeline, stack, validateChild));
  return { pipeline, valid: !hasErrors(diagnostics), diagnostics: dedupe(diagnostics) };
}

function unreadable(path: string, what: string): ValidationResult {
  return { valid: false, diagnostics: [{ severity: "error", file: path, line: 0, col: 0, message: `${path}: ${what}`, hint: "check the path; pipeline files are YAML (.yaml or .yml)" }] };
}

/** The same message at the same place once (a cycle can be reached from two entries). */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.col}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
