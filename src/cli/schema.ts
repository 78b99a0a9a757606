import { defineCommand } from "citty";
import { pipelineJsonSchema } from "../spec/pipeline.ts";
import { printJson } from "./output.ts";

export const schemaCommand = defineCommand({
  meta: { name: "schema", description: "Print the JSON Schema of pipeline files (for editors: yaml-language-server)." },
  args: {},
  run() {
    printJson(pipelineJsonSchema());
  },
});
