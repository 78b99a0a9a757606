import { defineCommand } from "citty";
import { dirname, relative, resolve } from "node:path";
import { formatDiagnostics } from "../errors/diagnostic.ts";
import { ExitCode } from "../errors/user-error.ts";
import { validateFiles } from "../validate/index.ts";
import { validationJson } from "./load-pipeline.ts";
import { FORMAT_ARG, PIPELINE_ARG, printErr, printJson, printOut, useColor } from "./output.ts";
import { loadCliConfig } from "./cli-config.ts";
import { findPipelineFile } from "../load/pipeline-file.ts";

export const validateCommand = defineCommand({
  meta: {
    name: "validate",
    description:
      "Check pipeline files through all three validation layers (structure, semantics, DAG) without running anything. Exit 0 valid, 2 invalid.",
  },
  args: {
    file: {
      ...PIPELINE_ARG.file,
      description: `Pipeline file(s) to check${PIPELINE_ARG.file.description.replace(/^Pipeline file/, "")}`,
    },
    config: {
      type: "string",
      alias: "c",
      description: "Check this config file too (invalid: exit 2 before any pipeline is read)",
      valueHint: "FILE",
    },
    ...FORMAT_ARG,
  },
  async run({ args }) {
    const files =
      args.file === undefined ? [findPipelineFile()] : [args.file, ...args._.filter((f) => f !== args.file)];
    if (args.config !== undefined) loadCliConfig({ explicit: args.config, pipelineDir: dirname(resolve(files[0]!)) });
    const results = (await validateFiles(files)).map((result, i) => ({ file: files[i]!, ...result }));
    if (args.format === "json") {
      const documents = results.map((r) => ({ file: r.file, ...validationJson(r.valid, r.diagnostics) }));
      printJson(documents.length === 1 ? documents[0] : documents);
    } else {
      for (const r of results) {
        if (r.diagnostics.length)
          printErr(`${formatDiagnostics(r.diagnostics, { color: useColor(process.stderr) })}\n`);
        if (r.valid) {
          const count = r.pipeline?.steps.length ?? 0;
          printOut(
            `✓ ${relative(process.cwd(), r.file) || r.file} is valid (${r.pipeline?.name}: ${count} step${count === 1 ? "" : "s"})`,
          );
        }
      }
    }
    return results.every((r) => r.valid) ? ExitCode.ok : ExitCode.usage;
  },
});
