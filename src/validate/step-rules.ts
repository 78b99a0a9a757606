import { isMap, isPair, isScalar } from "yaml";
import type { Diagnostic } from "../errors/diagnostic.ts";
import { didYouMean } from "../errors/did-you-mean.ts";
import { SourceFile } from "../load/yaml-source.ts";
import { RESERVED_NAMES, type Pipeline } from "../model/pipeline.ts";
import { PRIMITIVES, StepSchema } from "../spec/step.ts";
import { suggestKey } from "./key-aliases.ts";

const PROMPT_ONLY = ["model", "temperature", "max_tokens", "system", "schema", "retry_on_invalid", "cache", "max_cost"];
const STEP_KEYS = Object.keys(StepSchema.properties);

/** Offset of a step's key, or of one of its fields' values when `field` is given. */
export function stepOffset(source: SourceFile, step: string, field?: string): number {
  const value = field ? source.stepField(step, field)?.value : undefined;
  if (value) return SourceFile.start(value);
  return SourceFile.start(source.stepEntry(step)?.key);
}

/** Offset of the key `field` inside a step's mapping (the step's key when absent). */
export function stepFieldKeyOffset(source: SourceFile, step: string, field: string): number {
  const entry = source.stepField(step, field);
  return entry ? SourceFile.start(entry.key) : stepOffset(source, step);
}

/** The keys of a step's mapping, in file order. */
function stepKeys(source: SourceFile, step: string): string[] {
  const node = source.stepEntry(step)?.value;
  return isMap(node) ? node.items.flatMap((p) => (isPair(p) && isScalar(p.key) ? [String(p.key.value)] : [])) : [];
}

/** Offset of the entry naming `dep` in a step's `depends` list (or of the scalar form). */
export function dependsEntryOffset(source: SourceFile, step: string, dep: string): number {
  const node = source.stepField(step, "depends")?.value as { items?: unknown[] } | null | undefined;
  const entry = node?.items?.find((item) => isScalar(item) && item.value === dep);
  return entry ? SourceFile.start(entry as never) : stepOffset(source, step, "depends");
}

/**
 * docs/pipeline-reference.md#step-fields and docs/pipeline-reference.md#results-names-and-context rules on steps and names: exactly one primitive, `depends`/`on_failure`
 * targets exist, handlers are not depended on, and inputs, steps and outputs share one
 * namespace without collisions.
 */
export function checkStepRules(source: SourceFile, pipeline: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const raw = source.value as { steps?: Record<string, Record<string, unknown> | null> } | null;
  const stepNames = pipeline.steps.map((s) => s.name);
  const known = new Set(stepNames);
  const handlers = new Set(pipeline.steps.filter((s) => s.isHandler).map((s) => s.name));

  for (const step of pipeline.steps) {
    const spec = raw?.steps?.[step.name];
    const keys = stepKeys(source, step.name);
    const present = keys.filter((k): k is (typeof PRIMITIVES)[number] => (PRIMITIVES as readonly string[]).includes(k));
    const misspeltPrimitive = keys.some(
      (k) =>
        !STEP_KEYS.includes(k) && (PRIMITIVES as readonly string[]).includes(suggestKey(k, STEP_KEYS, "a step") ?? ""),
    );
    if (present.length === 0 && misspeltPrimitive) {
      // The misspelt key is reported by the structure layer, with the primitive it meant.
    } else if (present.length === 0) {
      out.push(
        source.at(stepOffset(source, step.name), {
          step: step.name,
          message: `step \`${step.name}\` has no primitive`,
          hint: "give it exactly one of prompt:, python:, run: or flow:",
        }),
      );
    } else if (present.length > 1) {
      out.push(
        source.at(stepFieldKeyOffset(source, step.name, present[1]!), {
          step: step.name,
          field: present[1],
          message: `step \`${step.name}\` has ${present.length} primitives (${present.map((p) => `\`${p}\``).join(" and ")}); a step does exactly one thing`,
          hint: "split it into two steps and connect them with depends:",
        }),
      );
    }
    for (const dep of step.depends) {
      // Placed only when reported: looking the entry up for every edge is costly in a large pipeline.
      const at = () => dependsEntryOffset(source, step.name, dep);
      if (dep === step.name) {
        out.push(
          source.at(at(), {
            step: step.name,
            field: "depends",
            message: `dependency cycle: ${dep} → ${dep} (step \`${dep}\` depends on itself)`,
            hint: "remove it from its own depends:",
          }),
        );
      } else if (!known.has(dep)) {
        out.push(
          source.at(at(), {
            step: step.name,
            field: "depends",
            message: `step \`${step.name}\` depends on unknown step \`${dep}\`${didYouMean(dep, stepNames)}`,
            hint: `steps in this pipeline: ${stepNames.join(", ")}`,
          }),
        );
      } else if (handlers.has(dep)) {
        out.push(
          source.at(at(), {
            step: step.name,
            field: "depends",
            message: `step \`${step.name}\` depends on \`${dep}\`, an on_failure handler that only runs when a step fails`,
            hint: `remove \`${dep}\` from depends:, or stop using it as an on_failure handler`,
          }),
        );
      }
    }
    if (step.onFailure !== undefined) {
      const at = stepOffset(source, step.name, "on_failure");
      if (step.onFailure === step.name) {
        out.push(
          source.at(at, {
            step: step.name,
            field: "on_failure",
            message: `step \`${step.name}\` names itself as its on_failure handler`,
            hint: "name a separate cleanup step",
          }),
        );
      } else if (!known.has(step.onFailure)) {
        out.push(
          source.at(at, {
            step: step.name,
            field: "on_failure",
            message: `on_failure handler \`${step.onFailure}\` of step \`${step.name}\` is not a step${didYouMean(step.onFailure, stepNames)}`,
            hint: `steps in this pipeline: ${stepNames.join(", ")}`,
          }),
        );
      }
    }
    if (
      spec &&
      typeof spec === "object" &&
      "trigger" in spec &&
      !pipeline.steps.some((s) => s.onFailure === step.name)
    ) {
      const message = `step \`${step.name}\` has trigger: on_failure, but no step names it in on_failure:, so it never runs`;
      out.push(
        source.at(stepFieldKeyOffset(source, step.name, "trigger"), {
          severity: "warning",
          step: step.name,
          field: "trigger",
          message,
          hint: `add \`on_failure: ${step.name}\` to the step it should handle, or remove trigger:`,
        }),
      );
    }
    if (spec && typeof spec === "object") {
      if (step.primitive !== "prompt") {
        for (const key of PROMPT_ONLY.filter((k) => k in spec)) {
          out.push(
            source.at(stepFieldKeyOffset(source, step.name, key), {
              severity: "warning",
              step: step.name,
              field: key,
              message: `step \`${step.name}\`: \`${key}\` only applies to prompt: steps and is ignored here`,
              hint: `remove \`${key}\``,
            }),
          );
        }
      }
      if (step.primitive !== "prompt" && step.primitive !== "run" && "format" in spec) {
        const message = `step \`${step.name}\`: \`format\` applies to prompt: and run: steps and is ignored here`;
        out.push(
          source.at(stepFieldKeyOffset(source, step.name, "format"), {
            severity: "warning",
            step: step.name,
            field: "format",
            message,
            hint: "remove `format`; a python: step's result keeps its type",
          }),
        );
      }
      if (!step.foreach) {
        for (const key of ["parallel", "concurrency", "on_item_failure"].filter((k) => k in spec)) {
          out.push(
            source.at(stepFieldKeyOffset(source, step.name, key), {
              severity: "warning",
              step: step.name,
              field: key,
              message: `step \`${step.name}\`: \`${key}\` only applies with foreach: and is ignored here`,
              hint: `remove \`${key}\`, or add foreach:`,
            }),
          );
        }
      }
      if ("input" in spec && step.primitive !== "flow") {
        out.push(
          source.at(stepFieldKeyOffset(source, step.name, "input"), {
            step: step.name,
            field: "input",
            message: `step \`${step.name}\`: \`input\` passes values to a sub-pipeline and only works on a flow: step`,
            hint: "remove it; declare pipeline inputs under the top-level input:, or step-local values under vars:",
          }),
        );
      }
    }
  }
  out.push(...checkNamespace(source, pipeline));
  return out;
}

/**
 * Inputs, step names and output aliases share one namespace; reserved names are taken.
 * Where the Python aiorch resolves a shared name (an `output:` alias over an input or a
 * step's name, an input over a step's name — see `publishResults`), the sharing is a
 * warning that says which value templates read; two `output:` aliases alike are an error.
 */
function checkNamespace(source: SourceFile, pipeline: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  type Kind = "input" | "step" | "alias";
  const owners = new Map<string, { owner: string; kind: Kind }>();
  // `offset` is looked up only for a name that is reported.
  const claim = (
    name: string,
    owner: string,
    kind: Kind,
    offset: () => number,
    extra: { step?: string; field?: string } = {},
  ) => {
    if ((RESERVED_NAMES as readonly string[]).includes(name)) {
      out.push(
        source.at(offset(), {
          ...extra,
          message: `${owner} uses the reserved name \`${name}\``,
          hint: `rename it; ${RESERVED_NAMES.join(", ")} are provided by aiorch`,
        }),
      );
      return;
    }
    const previous = owners.get(name);
    if (previous === undefined || previous.owner === owner) {
      owners.set(name, { owner, kind });
      return;
    }
    if (kind === "alias" && previous.kind === "alias") {
      out.push(
        source.at(offset(), {
          ...extra,
          message: `name collision: ${owner} and ${previous.owner} are both called \`${name}\``,
          hint: "two steps cannot publish their results under one name; rename one of the output: names",
        }),
      );
      return;
    }
    const reads = kind === "alias" ? owner : previous.kind === "input" ? previous.owner : owner;
    const message = `\`${name}\` names both ${previous.owner} and ${owner}; templates read ${reads} under that name`;
    const hint =
      kind === "alias"
        ? `rename the output: if the other value is meant`
        : "give the step an output: name to read its result";
    out.push(source.at(offset(), { ...extra, severity: "warning", message, hint }));
    if (kind === "alias") owners.set(name, { owner, kind });
  };
  const inputMap = source.doc.get("input", true);
  for (const input of pipeline.inputs) {
    const keyOffset = () => {
      const pair = isMap(inputMap)
        ? inputMap.items.find((p) => isScalar(p.key) && p.key.value === input.name)
        : undefined;
      return SourceFile.start(pair?.key as never);
    };
    claim(input.name, `input \`${input.name}\``, "input", keyOffset);
  }
  for (const step of pipeline.steps)
    claim(step.name, `step \`${step.name}\``, "step", () => stepOffset(source, step.name), { step: step.name });
  for (const step of pipeline.steps) {
    if (step.output === undefined || step.output === step.name) continue;
    claim(step.output, `the output: of step \`${step.name}\``, "alias", () => stepOffset(source, step.name, "output"), {
      step: step.name,
      field: "output",
    });
  }
  return out;
}
