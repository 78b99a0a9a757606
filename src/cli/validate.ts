import { defineCommand } from "citty";
import { relative } from "node:path";
import { formatDiagnostics } from "../errors/diagnostic.ts";
import { ExitCode } from "../errors/user-error.ts";
import { validateFiles } from "../validate/index.ts";
import { validationJson } from "./load-pipeline.ts";
import { FORMAT_ARG, printErr, printJson, printOut, useColor } from "./output.ts";

export const validateCommand = defineCommand({
  meta: { name: "validate", description: "Check pipeline files through all three validation layers (structure, semantics, DAG) without running anything. Exit 0 valid, 2 invalid." },
  args: {
    file: { type: "positional", description: "Pipeline file(s) to check", required: true },
    ...FORMAT_ARG,
  },
  async run({ args }) {
    const files = [args.file, ...args._.filter((f) => f !== args.file)];
    const results = (await validateFiles(files)).map((result, i) => ({ file: files[i]!, ...result }));
    if (args.format === "json") {
      const documents = results.map((r) => ({ file: r.file, ...validationJson(r.valid, r.diagnostics) }));
      printJson(documents.length === 1 ? documents[0] : documents);
    } else {
      for (const r of results) {
        if (r.diagnostics.length) printErr(formatDiagnostics(r.diagnostics, { color: useColor(process.stderr) }) + "\n");
        if (r.valid) {
          const count = r.pipeline?.steps.length ?? 0;
          printOut(`✓ ${relative(process.cwd(), r.file) || r.file} is valid (${r.pipeline?.name}: ${count} step${count === 1 ? "" : "s"})`);
        }
      }
    }
    return results.every((r) => r.valid) ? ExitCode.ok : ExitCode.usage;
  },
});
