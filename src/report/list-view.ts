import type { Pipeline } from "../model/pipeline.ts";
import { stringifyPyJson } from "../model/py-json.ts";
import { conditionLabel, foreachLabel, primitiveLabel } from "./step-summary.ts";
import { renderTable } from "./table.ts";

/** One JSON object per step, for `list --format json`. */
export function listJson(pipeline: Pipeline) {
  return {
    pipeline: pipeline.name,
    description: pipeline.description ?? null,
    inputs: pipeline.inputs.map((i) => ({
      name: i.name,
      type: i.type,
      required: i.required,
      default: i.hasDefault ? i.default : null,
      description: i.description ?? null,
    })),
    steps: pipeline.steps.map((s) => ({
      name: s.name,
      primitive: s.primitive,
      depends: s.depends,
      output: s.output ?? null,
      condition: conditionLabel(s) ?? null,
      foreach: foreachLabel(s) ?? null,
      parallel: s.foreach ? s.parallel : null,
      handler: s.isHandler,
      on_failure: s.onFailure ?? null,
      description: s.description ?? null,
    })),
  };
}

/** The `aiorch list` table: steps with primitive, depends, condition and foreach; then the inputs. */
export function renderList(pipeline: Pipeline): string {
  const rows = pipeline.steps.map((s) => [
    s.isHandler ? `${s.name} (handler)` : s.name,
    primitiveLabel(s),
    s.depends.join(", ") || "-",
    conditionLabel(s) ?? "-",
    s.foreach ? `${foreachLabel(s)}${s.parallel ? ` (parallel ${s.concurrency})` : ""}` : "-",
    s.description?.split("\n")[0] ?? "",
  ]);
  const parts = [
    `${pipeline.name}${pipeline.description ? ` — ${pipeline.description.trim().split("\n")[0]}` : ""}`,
    "",
    renderTable(["STEP", "PRIMITIVE", "DEPENDS", "CONDITION", "FOREACH", "DESCRIPTION"], rows),
  ];
  if (pipeline.inputs.length) {
    const inputRows = pipeline.inputs.map((i) => [
      i.name,
      i.type,
      i.required ? "yes" : "no",
      i.hasDefault ? stringifyPyJson(i.default) : "-",
      i.description ?? "",
    ]);
    parts.push("", renderTable(["INPUT", "TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION"], inputRows));
  }
  return parts.join("\n");
}
