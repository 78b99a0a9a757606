import { isMap, isSeq, type Node } from "yaml";
import type { Diagnostic } from "../errors/diagnostic.ts";
import { checkSchema } from "../llm/json-schema.ts";
import { SourceFile } from "../load/yaml-source.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { writtenField } from "./template-sites.ts";

const isSchemaObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The YAML node at a JSON Pointer inside `node`, or the deepest one found on the way. */
function nodeAt(node: Node, pointer: string): Node {
  let current = node;
  for (const raw of pointer.split("/").slice(1)) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const next = isMap(current)
      ? current.get(token, true)
      : isSeq(current)
        ? current.get(Number(token), true)
        : undefined;
    if (!next || typeof next !== "object") break;
    current = next as Node;
  }
  return current;
}

/**
 * A prompt step's `schema:` must be a usable JSON Schema (docs/llm.md): unknown types, misspelt
 * keywords, `$ref`s that lead nowhere are reported where they are written, before any
 * model is asked for something it cannot satisfy.
 */
export function checkPromptSchemas(source: SourceFile, pipeline: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const step of pipeline.steps) {
    // A schema: on another primitive is ignored (with a warning), but still checked.
    const written = step.primitive === "prompt" ? step.prompt.schema : writtenField(source, step, "schema");
    if (!isSchemaObject(written)) continue;
    const node = source.stepField(step.name, "schema")?.value as Node | null | undefined;
    for (const problem of checkSchema(written)) {
      const at = node
        ? SourceFile.start(nodeAt(node, problem.path))
        : SourceFile.start(source.stepEntry(step.name)?.key);
      out.push(
        source.at(at, {
          step: step.name,
          field: "schema",
          message: `step \`${step.name}\`, schema${problem.path || ""}: ${problem.message}`,
          hint: "fix the JSON Schema (draft 2020-12 keywords: type, properties, required, items, enum, …)",
        }),
      );
    }
  }
  return out;
}
