/**
 * The pipelines `aiorch init` scaffolds. Each is a YAML file in `templates/`, imported as
 * text so `bun build --compile` embeds it; files a template reads (sample data, a
 * sub-pipeline) are written next to it. The one-line description is the YAML's own
 * `description:`, so the list and the file never disagree.
 */
import article from "./templates/article.txt" with { type: "text" };
import ciCheck from "./templates/ci-check.yaml" with { type: "text" };
import classifyBranch from "./templates/classify-branch.yaml" with { type: "text" };
import csvEnrich from "./templates/csv-enrich.yaml" with { type: "text" };
import extractValidate from "./templates/extract-validate.yaml" with { type: "text" };
import flow from "./templates/flow.yaml" with { type: "text" };
import hello from "./templates/hello.yaml" with { type: "text" };
import helloLlm from "./templates/hello-llm.yaml" with { type: "text" };
import invoice from "./templates/invoice.txt" with { type: "text" };
import mapReduceSummary from "./templates/map-reduce-summary.yaml" with { type: "text" };
import products from "./templates/products.csv" with { type: "text" };
import pythonForeach from "./templates/python-foreach.yaml" with { type: "text" };
import wordStats from "./templates/word-stats.yaml" with { type: "text" };

/** A file written next to the pipeline: its name there, its text, and what it is for. */
export interface CompanionFile {
  name: string;
  text: string;
  role: string;
}

export interface Template {
  name: string;
  /** The pipeline's `description:`. */
  description: string;
  /** The pipeline; `__FILE__` in its comments becomes the path it is written to. */
  yaml: string;
  companions: readonly CompanionFile[];
  /** Whether it has prompt: steps (it then needs an OpenAI-compatible endpoint). */
  llm: boolean;
  /** Whether it has python: steps (it then needs python3). */
  python: boolean;
}

function template(name: string, yaml: string, companions: CompanionFile[] = []): Template {
  const description = /^description:\s*(.+)$/m.exec(yaml)?.[1]?.trim() ?? "";
  const all = [yaml, ...companions.filter((c) => c.name.endsWith(".yaml")).map((c) => c.text)].join("\n");
  return { name, description, yaml, companions, llm: /^ {4}prompt:/m.test(all), python: /^ {4}python:/m.test(all) };
}

/** Every template, in the order `aiorch init --list` shows them: simplest first. */
export const TEMPLATES: readonly Template[] = [
  template("hello", hello),
  template("hello-llm", helloLlm),
  template("python-foreach", pythonForeach),
  template("flow", flow, [{ name: "word-stats.yaml", text: wordStats, role: "the sub-pipeline it calls" }]),
  template("ci-check", ciCheck),
  template("csv-enrich", csvEnrich, [{ name: "products.csv", text: products, role: "sample input" }]),
  template("classify-branch", classifyBranch),
  template("map-reduce-summary", mapReduceSummary, [{ name: "article.txt", text: article, role: "sample input" }]),
  template("extract-validate", extractValidate, [{ name: "invoice.txt", text: invoice, role: "sample input" }]),
];

export const templateNames = (): string[] => TEMPLATES.map((t) => t.name);

export function findTemplate(name: string): Template | undefined {
  return TEMPLATES.find((t) => t.name === name);
}
