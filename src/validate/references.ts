import type { Diagnostic } from "../errors/diagnostic.ts";
import { closest } from "../errors/did-you-mean.ts";
import type { SourceFile } from "../load/yaml-source.ts";
import type { Pipeline, Step } from "../model/pipeline.ts";
import { analyzeTemplate, checkCondition, compileCondition, type NameReference } from "../template/index.ts";
import { siteOffset, type TemplateSite } from "./template-sites.ts";

/** Names a step's templates may read, and who publishes the names it may not. */
export interface NameScope {
  readable: Set<string>;
  /** Every step name and output alias in the pipeline → the step that publishes it. */
  publishers: Map<string, Step>;
}

export function publishersOf(pipeline: Pipeline): Map<string, Step> {
  const publishers = new Map<string, Step>();
  for (const step of pipeline.steps) {
    publishers.set(step.name, step);
    if (step.output) publishers.set(step.output, step);
  }
  return publishers;
}

/** §3.3: inputs, ancestors' names, `vars`, `item`/`item_index` in a foreach, handler names, `_meta`. */
export function scopeOf(pipeline: Pipeline, step: Step | undefined, ancestors: ReadonlySet<string>, field: string): Set<string> {
  const names = new Set<string>(["_meta", ...pipeline.inputs.map((i) => i.name)]);
  const visible = step ? pipeline.steps.filter((s) => ancestors.has(s.name)) : pipeline.steps;
  for (const s of visible) {
    names.add(s.name);
    if (s.output) names.add(s.output);
  }
  if (step) {
    if (!field.startsWith("vars.")) for (const key of Object.keys(step.vars)) names.add(key);
    if (step.foreach && field !== "foreach") names.add("item").add("item_index");
    if (step.isHandler) names.add("failed_step").add("error");
  }
  return names;
}

/**
 * Layer 2 for templates: every templated field parses (§4.1), `run:` templates are
 * quote-safe (§4.3), and every name read is in scope — a result read without a
 * `depends` path to its step is an error naming the fix.
 */
export function checkTemplates(
  source: SourceFile,
  pipeline: Pipeline,
  sites: TemplateSite[],
  ancestors: ReadonlyMap<string, ReadonlySet<string>>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const publishers = publishersOf(pipeline);
  // A scope depends only on the step and on whether the field is a var or the foreach list.
  const scopes = new Map<string, Set<string>>();
  const scopeFor = (site: TemplateSite, ancestors: ReadonlySet<string>) => {
    const fieldClass = site.field.startsWith("vars.") ? "vars" : site.field === "foreach" ? "foreach" : "other";
    const key = `${site.step?.name ?? ""}\0${fieldClass}`;
    let scope = scopes.get(key);
    if (!scope) scopes.set(key, (scope = scopeOf(pipeline, site.step, ancestors, site.field)));
    return scope;
  };
  for (const site of sites) {
    const where = (offset: number) => siteOffset(source, site, offset);
    const label = site.step ? `step \`${site.step.name}\`, \`${site.field}\`` : `\`${site.field}\``;
    const extra = { ...(site.step ? { step: site.step.name } : {}), field: site.field };
    const analyzed = site.kind === "condition" ? undefined : analyzeTemplate(site.source, site.kind);
    const problems = analyzed ? analyzed.errors : checkCondition(site.source);
    for (const problem of problems) {
      out.push(source.at(where(problem.offset), { ...extra, message: `${label}: ${problem.message}`, ...(problem.hint ? { hint: problem.hint } : {}) }));
    }
    if (problems.length) continue;
    const references: NameReference[] = analyzed?.template ? analyzed.template.references : compileCondition(site.source).references;
    const stepAncestors = site.step ? ancestors.get(site.step.name) : undefined;
    if (site.step && !stepAncestors) continue; // on a cycle: reported by the DAG layer
    const readable = scopeFor(site, stepAncestors ?? new Set());
    const reported = new Set<string>();
    for (const ref of references) {
      if (readable.has(ref.name) || reported.has(ref.name)) continue;
      reported.add(ref.name);
      const diagnostic = describeUnreadable(ref, site, pipeline, publishers, readable);
      if (diagnostic) out.push(source.at(where(ref.offset), { ...extra, ...diagnostic, message: `${label}: ${diagnostic.message}` }));
    }
  }
  return out;
}

function describeUnreadable(
  ref: NameReference,
  site: TemplateSite,
  pipeline: Pipeline,
  publishers: Map<string, Step>,
  readable: Set<string>,
): { message: string; hint?: string; severity?: Diagnostic["severity"] } | undefined {
  const reader = site.step?.name ?? "outputs";
  const publisher = publishers.get(ref.name);
  if (publisher && site.step) {
    if (publisher.name === site.step.name) {
      return { message: `\`${reader}\` reads its own result \`${ref.name}\``, hint: "a step cannot read what it is producing; use a later step" };
    }
    if (publisher.isHandler) {
      return { message: `\`${reader}\` reads \`${ref.name}\`, the result of an on_failure handler`, hint: "handlers only run when a step fails; their results cannot be read by other steps" };
    }
    return { message: `\`${reader}\` reads \`${ref.name}\` but does not depend on it`, hint: `add \`${publisher.name}\` to the depends: of \`${reader}\`` };
  }
  if (ref.name === "item" || ref.name === "item_index") {
    return site.field === "foreach"
      ? { message: `the foreach list cannot read \`${ref.name}\`: it is what the list produces` }
      : { message: `\`${ref.name}\` is only defined in a foreach step`, hint: "add foreach: to this step, or read a named value" };
  }
  if (ref.name === "failed_step" || ref.name === "error") {
    return { message: `\`${ref.name}\` is only defined in an on_failure handler`, hint: "name this step in another step's on_failure:" };
  }
  if (ref.guarded) return undefined;
  const suggestion = closest(ref.name, readable);
  const hint = suggestion ? `did you mean \`${suggestion}\`?` : `names readable here: ${[...readable].sort().join(", ") || "none"}`;
  if (!pipeline.declaresInputs) {
    return { severity: "warning", message: `\`${ref.name}\` is not an input, ancestor result or variable here; the run fails unless it is given with -i ${ref.name}=…`, hint };
  }
  return { message: `unknown name \`${ref.name}\``, hint: suggestion ? `did you mean \`${suggestion}\`? Declare inputs under input:` : `declare it under input:, or read one of: ${[...readable].sort().join(", ")}` };
}
