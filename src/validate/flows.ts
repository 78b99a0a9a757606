import { existsSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { Diagnostic } from "../errors/diagnostic.ts";
import { didYouMean } from "../errors/did-you-mean.ts";
import { SourceFile } from "../load/yaml-source.ts";
import { isMap, isScalar } from "yaml";
import type { Pipeline } from "../model/pipeline.ts";
import { hasTemplateSyntax } from "../template/index.ts";
import { stepOffset } from "./step-rules.ts";

/** Validates a file on behalf of a flow step; supplied by the orchestrator to avoid an import cycle. */
export type ValidateChild = (
  file: string,
  stack: readonly string[],
) => { pipeline?: Pipeline; diagnostics: Diagnostic[] };

const shortPath = (file: string) => relative(process.cwd(), file) || file;

/**
 * docs/execution.md#flow-steps at load time: a flow step's file (relative to the parent file) exists and validates,
 * no flow includes itself directly or through others, and its `input:` keys are inputs the
 * sub-pipeline declares, with every required one given.
 */
export function checkFlows(
  source: SourceFile,
  pipeline: Pipeline,
  stack: readonly string[],
  validateChild: ValidateChild,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const step of pipeline.steps) {
    if (step.primitive !== "flow" || step.body.trim() === "" || hasTemplateSyntax(step.body)) continue;
    const at = stepOffset(source, step.name, "flow");
    const target = resolve(dirname(pipeline.file), step.body.trim());
    const extra = { step: step.name, field: "flow" };
    if (!existsSync(target) || !statSync(target).isFile()) {
      out.push(
        source.at(at, {
          ...extra,
          message: `step \`${step.name}\`: flow file \`${step.body.trim()}\` not found (looked for ${shortPath(target)})`,
          hint: "flow paths are relative to the file that contains the flow: step",
        }),
      );
      continue;
    }
    if (stack.includes(target) || target === pipeline.file) {
      const chain = [...stack, pipeline.file, target].slice(
        stack.indexOf(target) >= 0 ? stack.indexOf(target) : stack.length,
      );
      out.push(
        source.at(at, {
          ...extra,
          message: `flow recursion: ${chain.map(shortPath).join(" → ")}`,
          hint: "a pipeline cannot include itself, directly or through other flows",
        }),
      );
      continue;
    }
    const child = validateChild(target, [...stack, pipeline.file]);
    out.push(...child.diagnostics);
    if (!child.pipeline) continue;
    pipeline.flows.set(target, child.pipeline);
    if (!child.pipeline.declaresInputs) continue;
    const declared = child.pipeline.inputs.map((i) => i.name);
    const inputNode = source.stepField(step.name, "input")?.value;
    for (const key of Object.keys(step.flowInput)) {
      if (declared.includes(key)) continue;
      const pair = isMap(inputNode) ? inputNode.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
      const keyAt = pair ? SourceFile.start(pair.key as never) : at;
      out.push(
        source.at(keyAt, {
          step: step.name,
          field: `input.${key}`,
          message: `step \`${step.name}\`: sub-pipeline \`${child.pipeline.name}\` has no input \`${key}\`${didYouMean(key, declared)}`,
          hint: `its inputs: ${declared.join(", ") || "none"}`,
        }),
      );
    }
    for (const input of child.pipeline.inputs) {
      if (input.required && !input.hasDefault && !(input.name in step.flowInput)) {
        out.push(
          source.at(stepOffset(source, step.name), {
            step: step.name,
            field: "input",
            message: `step \`${step.name}\`: sub-pipeline \`${child.pipeline.name}\` requires input \`${input.name}\``,
            hint: `add \`${input.name}: …\` under this step's input:`,
          }),
        );
      }
    }
  }
  return out;
}
