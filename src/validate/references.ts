import type { AncestorLookup } from "../plan/dag.ts";
import type { Diagnostic } from "../errors/diagnostic.ts";
import { closest } from "../errors/did-you-mean.ts";
import type { SourceFile } from "../load/yaml-source.ts";
import { META_NAME, type Pipeline, type Step } from "../model/pipeline.ts";
import { analyzeCondition, analyzeTemplate, type NameReference, type TemplateSyntaxError } from "../template/index.ts";
import { siteOffset, type TemplateSite } from "./template-sites.ts";

export function publishersOf(pipeline: Pipeline): Map<string, Step> {
  const publishers = new Map<string, Step>();
  for (const step of pipeline.steps) {
    publishers.set(step.name, step);
    if (step.output) publishers.set(step.output, step);
  }
  return publishers;
}

/** The step's `vars` a field can read: all of them, or in `vars.K` the ones written before K (vars render in order). */
function varsVisibleTo(step: Step, field: string): string[] {
  const keys = Object.keys(step.vars);
  if (!field.startsWith("vars.")) return keys;
  const at = keys.indexOf(field.slice("vars.".length));
  return at < 0 ? [] : keys.slice(0, at);
}

/** docs/pipeline-reference.md#results-names-and-context: inputs, ancestors' names, `vars`, `item`/`item_index` in a foreach, handler names, `_meta`. */
export function scopeOf(
  pipeline: Pipeline,
  step: Step | undefined,
  ancestors: ReadonlySet<string>,
  field: string,
): Set<string> {
  const names = new Set<string>([META_NAME, ...pipeline.inputs.map((i) => i.name)]);
  const visible = step ? pipeline.steps.filter((s) => ancestors.has(s.name)) : pipeline.steps;
  for (const s of visible) {
    names.add(s.name);
    if (s.output) names.add(s.output);
  }
  if (step) {
    for (const key of varsVisibleTo(step, field)) names.add(key);
    if (step.foreach && field !== "foreach") names.add("item").add("item_index");
    if (step.isHandler) names.add("failed_step").add("error");
  }
  return names;
}

/**
 * The names of `scopeOf`, answered one at a time: building the set costs a pass over
 * every step for every templated field (quadratic in a large pipeline), so the set is
 * built only when a name is not readable and the message needs it.
 */
class SiteScope {
  private built?: Set<string>;
  constructor(
    private readonly index: ScopeIndex,
    private readonly step: Step | undefined,
    private readonly ancestors: AncestorLookup,
    private readonly field: string,
  ) {}

  /** Same answer as `scopeOf(…).has(name)`; asks the ancestors one step at a time, so no step's whole set is built. */
  has(name: string): boolean {
    const { step, field } = this;
    if (name === META_NAME || this.index.inputs.has(name)) return true;
    const steps = this.index.publishing.get(name);
    if (steps && (!step || steps.some((s) => this.ancestors.reaches(step.name, s.name)))) return true;
    if (!step) return false;
    if (Object.hasOwn(step.vars, name) && varsVisibleTo(step, field).includes(name)) return true;
    if (step.foreach && field !== "foreach" && (name === "item" || name === "item_index")) return true;
    return step.isHandler && (name === "failed_step" || name === "error");
  }

  /** The whole set, in `scopeOf` order (the order "did you mean" breaks ties in). */
  names(): Set<string> {
    if (!this.built) {
      const ancestors = this.step ? this.ancestors.get(this.step.name) : undefined;
      this.built = scopeOf(this.index.pipeline, this.step, ancestors ?? new Set(), this.field);
    }
    return this.built;
  }
}

/** What `SiteScope` looks names up in: built once per pipeline. */
interface ScopeIndex {
  pipeline: Pipeline;
  inputs: ReadonlySet<string>;
  /** Every step name and output alias → the steps that publish it (a name collision gives two). */
  publishing: ReadonlyMap<string, Step[]>;
}

function scopeIndex(pipeline: Pipeline): ScopeIndex {
  const publishing = new Map<string, Step[]>();
  const publish = (name: string, step: Step) => {
    const steps = publishing.get(name);
    if (steps) steps.push(step);
    else publishing.set(name, [step]);
  };
  for (const step of pipeline.steps) {
    publish(step.name, step);
    if (step.output) publish(step.output, step);
  }
  return { pipeline, inputs: new Set(pipeline.inputs.map((i) => i.name)), publishing };
}

/**
 * Layer 2 for templates: every templated field parses (docs/templates.md#syntax), `run:` templates are
 * quote-safe (docs/templates.md#how-values-are-rendered), and every name read is in scope — a result read without a
 * `depends` path to its step is an error naming the fix.
 */
export function checkTemplates(
  source: SourceFile,
  pipeline: Pipeline,
  sites: TemplateSite[],
  ancestors: AncestorLookup,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const publishers = publishersOf(pipeline);
  const index = scopeIndex(pipeline);
  // The `{{ }}` conditions of a file get one warning, at the first, with how many there are.
  const compat: Array<{ site: TemplateSite; suggestion: string }> = [];
  for (const site of sites) {
    const where = (offset: number) => siteOffset(source, site, offset);
    const label = site.step ? `step \`${site.step.name}\`, \`${site.field}\`` : `\`${site.field}\``;
    const extra = { ...(site.step ? { step: site.step.name } : {}), field: site.field };
    const { problems, references, suggestion } = analyzeSite(site);
    for (const problem of problems) {
      out.push(
        source.at(where(problem.offset), {
          ...extra,
          message: `${label}: ${problem.message}`,
          ...(problem.hint ? { hint: problem.hint } : {}),
        }),
      );
    }
    if (problems.length) continue;
    if (suggestion) compat.push({ site, suggestion });
    if (site.step && !ancestors.acyclic(site.step.name)) continue; // on a cycle: reported by the DAG layer
    const scope = new SiteScope(index, site.step, ancestors, site.field);
    const reported = new Set<string>();
    for (const ref of references) {
      // A Jinja2 global (`range`…) is read from the context only when a step publishes that name.
      if ((ref.global && !publishers.has(ref.name)) || scope.has(ref.name) || reported.has(ref.name)) continue;
      reported.add(ref.name);
      const diagnostic = describeUnreadable(ref, site, pipeline, publishers, scope.names());
      if (diagnostic)
        out.push(source.at(where(ref.offset), { ...extra, ...diagnostic, message: `${label}: ${diagnostic.message}` }));
    }
  }
  const [first] = compat;
  if (first) {
    const { site, suggestion } = first;
    const label = site.step ? `step \`${site.step.name}\`, \`${site.field}\`` : `\`${site.field}\``;
    const others =
      compat.length > 1 ? ` (and ${compat.length - 1} more condition${compat.length > 2 ? "s" : ""} in this file)` : "";
    const message = `${label}: \`{{ }}\` in a condition compares each value's text as one operand${others}; the expression form reads the values themselves`;
    out.push(
      source.at(siteOffset(source, site, 0), {
        ...(site.step ? { step: site.step.name } : {}),
        field: site.field,
        severity: "warning",
        message,
        hint: `write \`condition: ${suggestion}\``,
      }),
    );
  }
  return out;
}

/** A site's load-time problems, or (when it has none) the names it reads; parsed once. */
function analyzeSite(site: TemplateSite): {
  problems: TemplateSyntaxError[];
  references: NameReference[];
  suggestion?: string;
} {
  if (site.kind === "condition") {
    const { errors, condition } = analyzeCondition(site.source);
    return {
      problems: errors,
      references: condition?.references ?? [],
      ...(condition?.suggestion ? { suggestion: condition.suggestion } : {}),
    };
  }
  const { errors, template } = analyzeTemplate(site.source, site.kind);
  return { problems: errors, references: template?.references ?? [] };
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
      return {
        message: `\`${reader}\` reads its own result \`${ref.name}\``,
        hint: "a step cannot read what it is producing; use a later step",
      };
    }
    if (publisher.isHandler) {
      return {
        message: `\`${reader}\` reads \`${ref.name}\`, the result of an on_failure handler`,
        hint: "handlers only run when a step fails; their results cannot be read by other steps",
      };
    }
    return {
      message: `\`${reader}\` reads \`${ref.name}\` but does not depend on it`,
      hint: `add \`${publisher.name}\` to the depends: of \`${reader}\``,
    };
  }
  if (ref.name === "item" || ref.name === "item_index") {
    return site.field === "foreach"
      ? { message: `the foreach list cannot read \`${ref.name}\`: it is what the list produces` }
      : {
          message: `\`${ref.name}\` is only defined in a foreach step`,
          hint: "add foreach: to this step, or read a named value",
        };
  }
  if (ref.name === "failed_step" || ref.name === "error") {
    return {
      message: `\`${ref.name}\` is only defined in an on_failure handler`,
      hint: "name this step in another step's on_failure:",
    };
  }
  if (ref.guarded) return undefined;
  const suggestion = closest(ref.name, readable);
  const hint = suggestion
    ? `did you mean \`${suggestion}\`?`
    : `names readable here: ${[...readable].sort().join(", ") || "none"}`;
  if (!pipeline.declaresInputs) {
    return {
      severity: "warning",
      message: `\`${ref.name}\` is not an input, ancestor result or variable here; the run fails unless it is given with -i ${ref.name}=…`,
      hint,
    };
  }
  return {
    message: `unknown name \`${ref.name}\``,
    hint: suggestion
      ? `did you mean \`${suggestion}\`? Declare inputs under input:`
      : `declare it under input:, or read one of: ${[...readable].sort().join(", ")}`,
  };
}
