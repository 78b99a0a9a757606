import { defineCommand } from "citty";
import { didYouMean } from "../errors/did-you-mean.ts";
import { UserError } from "../errors/user-error.ts";
import { planScaffold, writeScaffold, type Scaffold } from "../init/scaffold.ts";
import { findTemplate, TEMPLATES, templateNames } from "../init/templates.ts";
import { FORMAT_ARG, printJson, printOut } from "./output.ts";

/** What `init --template` writes, as the Python aiorch did; and our template closest to its `default` (a shell step and a prompt). */
const PYTHON_FILE = "Aiorch.yaml";
const PYTHON_DEFAULT = "hello-llm";

const ENDPOINT_NOTE =
  "it calls an LLM: set OPENAI_API_KEY, or OPENAI_BASE_URL for another OpenAI-compatible server (and --model for its model)";

/** `hello  A first pipeline…` lines; `LLM` marks the templates that call a model (and so need a key or an endpoint). */
function templateList(): string {
  const width = Math.max(...TEMPLATES.map((t) => t.name.length));
  return TEMPLATES.map((t) => `  ${t.name.padEnd(width)}  ${t.llm ? "LLM" : "   "}  ${t.description}`).join("\n");
}

const listJson = () => ({
  templates: TEMPLATES.map((t) => ({
    name: t.name,
    description: t.description,
    llm: t.llm,
    python: t.python,
    files: [`${t.name}.yaml`, ...t.companions.map((c) => c.name)],
  })),
});

function nextSteps(scaffold: Scaffold): string[] {
  const file = scaffold.files[0]!.shown;
  const quoted = /^[\w./@%+:,-]+$/.test(file) ? file : `'${file.replaceAll("'", `'"'"'`)}'`;
  return [
    ...(scaffold.template.llm ? [`aiorch doctor ${quoted}      # is the API key it needs set?`] : []),
    `aiorch validate ${quoted}`,
    `aiorch run ${quoted}`,
  ];
}

export const initCommand = defineCommand({
  meta: {
    name: "init",
    description:
      "Scaffold a pipeline from a built-in template (`aiorch init --list` shows them). Writes TEMPLATE.yaml (and any sample input it reads) and never overwrites a file without --force.",
  },
  args: {
    name: {
      type: "positional",
      required: false,
      description: `Template name: ${templateNames().join(", ")}`,
      valueHint: "TEMPLATE",
    },
    template: {
      type: "string",
      alias: "t",
      description: `The Python aiorch's spelling: the template (its \`default\` is ${PYTHON_DEFAULT}), written to Aiorch.yaml unless -o says otherwise`,
      valueHint: "TEMPLATE",
    },
    list: { type: "boolean", description: "List the templates with a one-line description" },
    output: {
      type: "string",
      alias: "o",
      description:
        "Where to write: a FILE.yaml, or a folder (default: TEMPLATE.yaml in the working directory); sample files go next to it",
      valueHint: "FILE|DIR",
    },
    force: { type: "boolean", description: "Overwrite files that already exist" },
    ...FORMAT_ARG,
  },
  run({ args }) {
    const json = args.format === "json";
    const pythonStyle = args.template !== undefined;
    if (pythonStyle && args.name !== undefined && args.name !== args.template) {
      throw new UserError(`two templates given: \`${args.name}\` and --template \`${args.template}\``, {
        hint: "give one: `aiorch init NAME` (writes NAME.yaml) or `aiorch init --template NAME` (writes Aiorch.yaml)",
      });
    }
    const given = args.template ?? args.name;
    const name = given === undefined ? undefined : pythonStyle && given === "default" ? PYTHON_DEFAULT : String(given);
    if (args.list || name === undefined) {
      if (json) printJson(listJson());
      else
        printOut(
          `Templates (${args.list ? "" : "pick one: "}aiorch init TEMPLATE):\n\n${templateList()}\n\nLLM: calls a model (an API key, or OPENAI_BASE_URL for a local server). \`aiorch init hello\` is a good start.`,
        );
      return;
    }
    const template = findTemplate(name);
    if (!template) {
      throw new UserError(`unknown template \`${name}\`${didYouMean(name, templateNames())}`, {
        hint: `the templates are ${templateNames().join(", ")} (\`aiorch init --list\` describes them)`,
      });
    }
    // --template is the Python aiorch's form: it wrote Aiorch.yaml, which `aiorch run` with no FILE finds.
    const scaffold = planScaffold(template, args.output ?? (pythonStyle ? PYTHON_FILE : undefined), process.cwd());
    writeScaffold(scaffold, Boolean(args.force));
    const next = nextSteps(scaffold);
    if (json) {
      printJson({ template: template.name, files: scaffold.files.map((f) => ({ path: f.shown, role: f.role })), next });
      return;
    }
    const [pipeline, ...companions] = scaffold.files;
    const lines = [`✓ wrote ${pipeline!.shown} (${template.description.replace(/\.$/, "")})`];
    for (const file of companions) lines.push(`✓ wrote ${file.shown} (${file.role})`);
    if (template.llm) lines.push("", `Note: ${ENDPOINT_NOTE}.`);
    lines.push("", "Next:", ...next.map((n) => `  ${n}`));
    printOut(lines.join("\n"));
  },
});
