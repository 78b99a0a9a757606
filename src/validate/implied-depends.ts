/**
 * Reads of results a step does not depend on, as pipelines written for the Python aiorch
 * make them. That tool runs a pipeline layer by layer (a step's layer is the length of its
 * longest `depends` path), so a step could read any step of an earlier layer, finished by
 * then. Here a step sees only its ancestors' results (so every run reads the same values);
 * such a read becomes a dependency — the order stays what the Python aiorch's was, and
 * deterministic — with a warning that says what to write. A read of a step in the same or
 * a later layer is still an error (checked by `checkTemplates`).
 */
import type { Diagnostic } from "../errors/diagnostic.ts";
import type { SourceFile } from "../load/yaml-source.ts";
import type { Pipeline, Step } from "../model/pipeline.ts";
import { layersOf, type AncestorLookup, type Dag } from "../plan/dag.ts";
import { analyzeCondition, analyzeTemplate, type NameReference } from "../template/index.ts";
import { siteOffset, type TemplateSite } from "./template-sites.ts";

function referencesOf(site: TemplateSite): NameReference[] {
  if (site.kind === "condition") return analyzeCondition(site.source).condition?.references ?? [];
  return analyzeTemplate(site.source, site.kind).template?.references ?? [];
}

/** The step whose result a name reads (an `output:` alias wins over a step's name), unless an input has the name. */
function publisherOf(pipeline: Pipeline, name: string): Step | undefined {
  if (pipeline.inputs.some((i) => i.name === name)) return undefined;
  return pipeline.steps.find((s) => s.output === name) ?? pipeline.steps.find((s) => s.name === name);
}

/**
 * Adds to `depends` of each step the earlier-layer steps its templates read without
 * depending on them, and returns a warning for each. Mutates the pipeline's steps.
 */
export function addImpliedDependencies(
  source: SourceFile,
  pipeline: Pipeline,
  sites: readonly TemplateSite[],
  dag: Dag,
  ancestors: AncestorLookup,
): Diagnostic[] {
  const layer = new Map<string, number>();
  layersOf(dag).forEach((names, k) => names.forEach((n) => layer.set(n, k)));
  const out: Diagnostic[] = [];
  const added = new Set<string>();
  for (const site of sites) {
    const reader = site.step;
    if (!reader || reader.isHandler) continue;
    const readerLayer = layer.get(reader.name);
    if (readerLayer === undefined || !ancestors.acyclic(reader.name)) continue;
    for (const ref of referencesOf(site)) {
      const publisher = publisherOf(pipeline, ref.name);
      if (!publisher || publisher === reader || publisher.isHandler || ancestors.reaches(reader.name, publisher.name))
        continue;
      const publisherLayer = layer.get(publisher.name);
      if (publisherLayer === undefined || publisherLayer >= readerLayer) continue;
      const key = `${reader.name}\0${publisher.name}`;
      if (added.has(key)) continue;
      added.add(key);
      reader.depends.push(publisher.name);
      out.push(
        source.at(siteOffset(source, site, ref.offset), {
          severity: "warning",
          step: reader.name,
          field: site.field,
          message: `step \`${reader.name}\` reads \`${ref.name}\` without depending on \`${publisher.name}\`; it waits for \`${publisher.name}\` as the Python aiorch's layer order did`,
          hint: `add \`${publisher.name}\` to the depends: of \`${reader.name}\``,
        }),
      );
    }
  }
  return out;
}
