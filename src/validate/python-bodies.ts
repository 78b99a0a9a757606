import type { AncestorLookup } from "../plan/dag.ts";
import { isScalar } from "yaml";
import type { Diagnostic } from "../errors/diagnostic.ts";
import { closest } from "../errors/did-you-mean.ts";
import type { SourceFile } from "../load/yaml-source.ts";
import type { Pipeline, Step } from "../model/pipeline.ts";
import { findPython } from "../steps/python/interpreter.ts";
import checkScript from "../steps/python/check-bodies.py" with { type: "text" };
import { scopeOf } from "./references.ts";

/** One python: body to check, with what is needed to place its problems in its file. */
export interface PythonBody {
  source: SourceFile;
  pipeline: Pipeline;
  step: Step;
  /** Undefined for a step on a dependency cycle: only its syntax is checked. */
  /** Looked up when the body's reads are checked (sets for every step at once would be quadratic). */
  ancestors: AncestorLookup;
}

export interface BodyReport {
  error?: { message: string; line: number; col: number };
  reads?: Array<{ name: string; line: number; col: number }>;
}

export function pythonBodiesOf(source: SourceFile, pipeline: Pipeline, ancestors: AncestorLookup): PythonBody[] {
  return pipeline.steps
    .filter((step) => step.primitive === "python" && step.body.trim() !== "")
    .map((step) => ({ source, pipeline, step, ancestors }));
}

/**
 * docs/execution.md#python-steps/docs/pipeline-reference.md#validation: compiles every python: body of a whole validation (all files, all flows) in ONE
 * python3 process — started without site-packages, since only `ast` is needed — and warns
 * about `inputs["x"]` reads of names the step cannot see. Without python3 nothing is checked
 * here; bodies then fail at run time.
 */
export async function checkPythonBodies(
  bodies: PythonBody[],
  checker: PythonChecker = spawnChecker,
): Promise<Diagnostic[]> {
  if (!bodies.length) return [];
  const reports = await checker(bodies.map((b) => ({ name: b.step.name, body: b.step.body })));
  if (!reports) return [];
  return bodies.flatMap((body, i) => diagnosticsFor(body, reports[i]!));
}

/** Compiles bodies and reports problems per body, in order; undefined when no python3 can do it. */
export type PythonChecker = (bodies: Array<{ name: string; body: string }>) => Promise<BodyReport[] | undefined>;

/** The python body checker script, for running it elsewhere (e.g. as a job of a worker pool). */
export const PYTHON_CHECK_SCRIPT = checkScript;

/** The default checker: one `python3 -S` process (no site-packages: only `ast` is needed). */
async function spawnChecker(bodies: Array<{ name: string; body: string }>): Promise<BodyReport[] | undefined> {
  const python = findPython();
  if (!python) return undefined;
  const child = Bun.spawn([python, "-S", "-c", checkScript], { stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  child.stdin.write(JSON.stringify(bodies));
  await child.stdin.end();
  const [stdout, exitCode] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  return exitCode === 0 ? (JSON.parse(stdout) as BodyReport[]) : undefined;
}

function diagnosticsFor({ source, pipeline, step, ancestors: lookup }: PythonBody, report: BodyReport): Diagnostic[] {
  const node = source.stepField(step.name, "python")?.value;
  const offsetOf = (line: number, col: number) => {
    if (!isScalar(node)) return 0;
    const lines = step.body.split("\n");
    let offset = 0;
    for (let l = 0; l < line - 1 && l < lines.length; l++) offset += lines[l]!.length + 1;
    return source.valueOffset(node, offset + Math.max(0, col - 1));
  };
  if (report.error) {
    return [
      source.at(offsetOf(report.error.line, report.error.col), {
        step: step.name,
        field: "python",
        message: `step \`${step.name}\`: python syntax error: ${report.error.message} (line ${report.error.line} of the body)`,
        hint: "the body is compiled as Python 3; line numbers count from the first line of the body",
      }),
    ];
  }
  const ancestors = lookup.get(step.name);
  if (!ancestors) return [];
  const readable = scopeOf(pipeline, step, ancestors, "python");
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const read of report.reads ?? []) {
    if (readable.has(read.name) || seen.has(read.name)) continue;
    seen.add(read.name);
    const suggestion = closest(read.name, readable);
    out.push(
      source.at(offsetOf(read.line, read.col), {
        severity: "warning",
        step: step.name,
        field: "python",
        message: `step \`${step.name}\` reads inputs["${read.name}"], which is neither an input nor the result of a step it depends on`,
        hint: suggestion ? `did you mean "${suggestion}"?` : `readable here: ${[...readable].sort().join(", ")}`,
      }),
    );
  }
  return out;
}
