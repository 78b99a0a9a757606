import { dirname, resolve } from "node:path";
import { StepFailure } from "../../errors/step-failure.ts";
import { formatDiagnostics } from "../../errors/diagnostic.ts";
import type { FlowStep, Pipeline } from "../../model/pipeline.ts";
import { compileTemplate } from "../../template/index.ts";
import { registerExecutor, type StepCall, type StepOutput, type TemplateText } from "../registry.ts";

/** A flow path that is itself a template is only known at run time: validate it then. */
async function loadChild(call: StepCall<FlowStep>, path: string): Promise<Pipeline> {
  const known = call.pipeline.flows.get(path);
  if (known) return known;
  const result = await call.validateFlow(path);
  if (!result.valid || !result.pipeline) {
    throw new StepFailure(`sub-pipeline ${path} is invalid:\n${formatDiagnostics(result.diagnostics)}`);
  }
  return result.pipeline;
}

/** docs/execution.md#flow-steps: runs the sub-pipeline as a nested DAG of this run; the result is docs/pipeline-reference.md#results-names-and-context's value. */
export async function executeFlow(call: StepCall<FlowStep>): Promise<StepOutput> {
  const scope = { ...call.context, ...call.extra };
  const written = compileTemplate(call.step.body).render(scope).trim();
  const path = resolve(dirname(call.pipeline.file), written);
  call.rendered(written);
  const child = await loadChild(call, path);
  const inputs: Record<string, unknown> = {};
  // The step's vars reach the sub-pipeline's inputs of the same name, as the Python aiorch
  // passes them; `input:` values win over them.
  for (const key of Object.keys(call.step.vars)) {
    if (child.inputs.some((i) => i.name === key) && Object.hasOwn(scope, key)) inputs[key] = scope[key];
  }
  for (const [key, value] of Object.entries(call.step.flowInput)) {
    inputs[key] = typeof value === "string" ? compileTemplate(value).evaluate(scope) : value;
  }
  return { value: await call.runFlow(child, inputs, call.path, call.signal) };
}

/** The path, and the values of `input:` that are text. */
function flowTemplates(step: FlowStep): TemplateText[] {
  const inputs = Object.values(step.flowInput).filter((value): value is string => typeof value === "string");
  return [step.body, ...inputs].map((source) => ({ source, mode: "text" }));
}

registerExecutor("flow", executeFlow, { unmetered: true, templates: flowTemplates });
