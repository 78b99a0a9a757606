import { isScalar, type Scalar } from "yaml";
import type { SourceFile } from "../load/yaml-source.ts";
import type { Pipeline, Step } from "../model/pipeline.ts";

/** One templated string in a pipeline file, with what is needed to check it and point at it. */
export interface TemplateSite {
  /** Undefined for pipeline-level fields (`outputs`). */
  step?: Step;
  /** `run`, `prompt`, `vars.x`, `input.records`, `outputs.total`, … */
  field: string;
  source: string;
  kind: "text" | "shell" | "condition";
  node?: Scalar;
  /** Added to template offsets before mapping into the YAML value (a bare foreach name is wrapped in `{{ }}`). */
  shift: number;
}

const TEXT_FIELDS = ["prompt", "system", "model", "save", "cwd", "flow"] as const;

/** Every templated field of docs/templates.md#syntax that holds a string. `python:` bodies are never templated. */
export function collectTemplateSites(source: SourceFile, pipeline: Pipeline): TemplateSite[] {
  const sites: TemplateSite[] = [];
  const nodeAt = (path: Array<string | number>) => {
    const [first, stepName, field, ...rest] = path;
    const node =
      first === "steps" && typeof stepName === "string" && typeof field === "string"
        ? rest.length
          ? (
              source.stepField(stepName, field)?.value as
                | { getIn?: (p: unknown[], keep: boolean) => unknown }
                | null
                | undefined
            )?.getIn?.(rest, true)
          : source.stepField(stepName, field)?.value
        : source.doc.getIn(path, true);
    return isScalar(node) ? node : undefined;
  };
  for (const step of pipeline.steps) {
    const base = ["steps", step.name];
    const add = (field: string, path: Array<string | number>, text: unknown, kind: TemplateSite["kind"], shift = 0) => {
      if (typeof text !== "string") return;
      const node = nodeAt([...base, ...path]);
      sites.push({ step, field, source: text, kind, shift, ...(node ? { node } : {}) });
    };
    if (step.primitive === "run") add("run", ["run"], step.body, "shell");
    for (const field of TEXT_FIELDS) {
      const value =
        field === "prompt" || field === "flow"
          ? step.primitive === field
            ? step.body
            : undefined
          : fieldValue(source, step, field);
      add(field, [field], value, "text");
    }
    if (step.condition?.kind === "expression") add("condition", ["condition"], step.condition.source, "condition");
    if (step.foreach?.kind === "expression") {
      const written = nodeAt([...base, "foreach"]);
      const wrapped = typeof written?.value === "string" && !written.value.includes("{{");
      add("foreach", ["foreach"], step.foreach.template, "text", wrapped ? -3 : 0);
    }
    for (const [key, value] of Object.entries(step.vars)) add(`vars.${key}`, ["vars", key], value, "text");
    for (const [key, value] of Object.entries(flowInputOf(source, step)))
      add(`input.${key}`, ["input", key], value, "text");
  }
  for (const [key, value] of Object.entries(pipeline.outputs ?? {})) {
    if (typeof value !== "string") continue;
    const node = nodeAt(["outputs", key]);
    sites.push({ field: `outputs.${key}`, source: value, kind: "text", shift: 0, ...(node ? { node } : {}) });
  }
  return sites;
}

/**
 * A field as the step's YAML writes it. A field of another primitive (`model:` on a run:
 * step, `input:` off a flow: step) is not in the model, but it is written and reported, so
 * its templates are checked like any other.
 */
export function writtenField(source: SourceFile, step: Step, field: string): unknown {
  const steps = (source.value as { steps?: Record<string, unknown> } | null)?.steps;
  const spec = steps && typeof steps === "object" ? steps[step.name] : undefined;
  return spec && typeof spec === "object" ? (spec as Record<string, unknown>)[field] : undefined;
}

function flowInputOf(source: SourceFile, step: Step): Record<string, unknown> {
  if (step.primitive === "flow") return step.flowInput;
  const written = writtenField(source, step, "input");
  return written && typeof written === "object" && !Array.isArray(written) ? (written as Record<string, unknown>) : {};
}

function fieldValue(source: SourceFile, step: Step, field: (typeof TEXT_FIELDS)[number]): string | undefined {
  switch (field) {
    case "system":
    case "model": {
      if (step.primitive === "prompt") return step.prompt[field];
      const written = writtenField(source, step, field);
      return typeof written === "string" ? written : undefined;
    }
    case "save":
      return step.save;
    case "cwd":
      return step.cwd;
    default:
      return undefined;
  }
}

/** File offset of a position inside a site's template text. */
export function siteOffset(source: SourceFile, site: TemplateSite, offsetInTemplate: number): number {
  if (!site.node) return 0;
  return source.valueOffset(site.node, Math.max(0, offsetInTemplate + site.shift));
}
