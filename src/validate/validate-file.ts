import { readFileSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { Diagnostic } from "../errors/diagnostic.ts";
import { hasErrors } from "../errors/diagnostic.ts";
import { parseYaml } from "../load/yaml-source.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { checkDag } from "./dag-checks.ts";
import { addImpliedDependencies } from "./implied-depends.ts";
import { decodeUtf8File } from "../load/utf8-text.ts";
import { checkNulBytes } from "./nul-bytes.ts";
import { checkFlows } from "./flows.ts";
import { normalizePipeline } from "./normalize.ts";
import { checkPythonBodies, pythonBodiesOf, type PythonBody, type PythonChecker } from "./python-bodies.ts";
import { checkTemplates } from "./references.ts";
import { checkStepRules } from "./step-rules.ts";
import { checkPromptSchemas } from "./prompt-schemas.ts";
import { checkInputDefaults } from "./input-defaults.ts";
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
  /** Who compiles them (default: one python3 process); `run` lends its worker pool. */
  pythonChecker?: PythonChecker;
}

/** Validates one file; see `validateFiles`. */
export async function validateFile(path: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  return (await validateFiles([path], options))[0]!;
}

/**
 * JavaScriptCore tier-up thresholds are scaled by this while validating. Validation runs
 * most of its code (the YAML parser, the template compiler, the shell scanner) once per
 * process, for a few milliseconds: compiling it costs more than it saves, and the
 * compiler threads compete with the main thread on a small machine.
 */
const VALIDATION_JIT_POLICY = 16;

/**
 * Reads and validates pipeline files through the three layers of docs/pipeline-reference.md#validation, collecting every
 * problem (sub-pipelines of flow: steps included, each reported in its own file). Never
 * throws for a user mistake. Python bodies of all files are compiled by one python3.
 */
export async function validateFiles(paths: string[], options: ValidateOptions = {}): Promise<ValidationResult[]> {
  Bun.unsafe.setJITPolicy(VALIDATION_JIT_POLICY);
  try {
    return await validateAll(paths, options);
  } finally {
    Bun.unsafe.setJITPolicy(1); // what runs next (the run engine) is long-lived: the normal policy
  }
}

async function validateAll(paths: string[], options: ValidateOptions): Promise<ValidationResult[]> {
  const cache = new Map<string, ValidationResult>();
  const bodies: Array<{ owner: ValidationResult; body: PythonBody }> = [];
  const results = paths.map((path) => {
    const found: PythonBody[] = [];
    const visit = (file: string, stack: readonly string[]): ValidationResult => {
      const key = resolve(file);
      const cached = cache.get(key);
      if (cached) return { ...cached, diagnostics: [] };
      const { pythonBodies, ...result } = validateOne(file, stack, visit);
      found.push(...pythonBodies);
      cache.set(key, result);
      return result;
    };
    const owner = visit(path, []);
    for (const body of found) bodies.push({ owner, body });
    return owner;
  });
  if (options.checkPython !== false && bodies.length) {
    const found = await checkPythonBodies(
      bodies.map((b) => b.body),
      options.pythonChecker,
    );
    for (const diagnostic of found) {
      const entry = bodies.find((b) => b.body.source.path === diagnostic.file && b.body.step.name === diagnostic.step);
      const owner = entry?.owner ?? results[0]!;
      owner.diagnostics.push(diagnostic);
      if (diagnostic.severity === "error") owner.valid = false;
    }
  }
  return results;
}

type OneResult = ValidationResult & { pythonBodies: PythonBody[] };

/** Sub-pipelines arrive as absolute paths: show them relative to where aiorch was started when that is shorter. */
function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

function validateOne(
  file: string,
  stack: readonly string[],
  visit: (file: string, stack: readonly string[]) => ValidationResult,
): OneResult {
  const path = displayPath(file);
  let bytes: Uint8Array;
  try {
    if (statSync(path).isDirectory()) return unreadable(path, "is a directory, not a pipeline file");
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return unreadable(
      path,
      code === "ENOENT"
        ? "file not found"
        : code === "EACCES"
          ? "permission denied"
          : `cannot be read (${code ?? "unknown error"})`,
    );
  }
  const { text, problem } = decodeUtf8File(path, bytes);
  if (problem)
    return {
      valid: false,
      diagnostics: [{ ...problem, sourceLine: text.split("\n")[problem.line - 1] ?? "" }],
      pythonBodies: [],
    };
  const loaded = parseYaml(path, text);
  const source = loaded.source!;
  const diagnostics = [...loaded.diagnostics];
  if (hasErrors(diagnostics)) return { valid: false, diagnostics, pythonBodies: [] };
  const structure = checkStructure(source);
  diagnostics.push(...structure);
  const root = source.doc.contents;
  if (
    !root ||
    !("items" in root) ||
    structure.some((d) => d.message.startsWith("a pipeline file must") || d.message === "the file is empty")
  ) {
    return { valid: false, diagnostics, pythonBodies: [] };
  }
  const pipeline = normalizePipeline(source);
  diagnostics.push(...checkStepRules(source, pipeline));
  diagnostics.push(...checkPromptSchemas(source, pipeline));
  diagnostics.push(...checkInputDefaults(source, pipeline));
  let dagCheck = checkDag(source, pipeline);
  diagnostics.push(...dagCheck.diagnostics);
  const sites = collectTemplateSites(source, pipeline);
  if (!dagCheck.diagnostics.length) {
    const implied = addImpliedDependencies(source, pipeline, sites, dagCheck.dag, dagCheck.ancestors);
    diagnostics.push(...implied);
    if (implied.length) dagCheck = checkDag(source, pipeline);
  }
  diagnostics.push(...checkNulBytes(source, sites));
  diagnostics.push(...checkTemplates(source, pipeline, sites, dagCheck.ancestors));
  diagnostics.push(...checkFlows(source, pipeline, stack, visit));
  const unique = dedupe(diagnostics);
  return {
    pipeline,
    valid: !hasErrors(unique),
    diagnostics: unique,
    pythonBodies: pythonBodiesOf(source, pipeline, dagCheck.ancestors),
  };
}

function unreadable(path: string, what: string): OneResult {
  return {
    valid: false,
    pythonBodies: [],
    diagnostics: [
      {
        severity: "error",
        file: path,
        line: 0,
        col: 0,
        message: `${path}: ${what}`,
        hint: "check the path; pipeline files are YAML (.yaml or .yml)",
      },
    ],
  };
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
