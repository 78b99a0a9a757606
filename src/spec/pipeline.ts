import { Type, type Static } from "@sinclair/typebox";
import { InputEntrySchema } from "./input.ts";
import { PIPELINE_NAME, STEP_NAME, VARIABLE_NAME } from "./names.ts";
import { StepSchema } from "./step.ts";

/** The YAML surface of a pipeline file (docs/pipeline-reference.md). The one schema: types, validation and the published JSON Schema. */
export const PipelineSchema = Type.Object(
  {
    name: Type.String({ pattern: PIPELINE_NAME, description: "Pipeline name, used in logs and history." }),
    description: Type.Optional(Type.String({ description: "What the pipeline does." })),
    version: Type.Optional(
      Type.Union([Type.Literal("1"), Type.Literal(1)], { description: 'Version of the pipeline language: "1".' }),
    ),
    input: Type.Optional(
      Type.Record(Type.String({ pattern: VARIABLE_NAME }), InputEntrySchema, {
        description:
          "Runtime inputs: a bare default value, or a typed field. Given with -i KEY=VALUE, -i KEY=@file or --input.",
        additionalProperties: false,
      }),
    ),
    env: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
        description: "Environment added to every run: and python: step (`${VAR}` and `${VAR:-default}` expanded).",
      }),
    ),
    steps: Type.Record(Type.String({ pattern: STEP_NAME }), StepSchema, {
      description: "The steps, keyed by name. Each has exactly one primitive: prompt, python, run or flow.",
      minProperties: 1,
      additionalProperties: false,
    }),
    outputs: Type.Optional(
      Type.Record(Type.String({ pattern: VARIABLE_NAME }), Type.Unknown(), {
        description: "The pipeline's results (string values are templated; `{{ x }}` keeps x's type).",
      }),
    ),
  },
  {
    additionalProperties: false,
    title: "aiorch pipeline",
    description: "An aiorch pipeline: a DAG of prompt, python, run and flow steps.",
  },
);

export type PipelineSpec = Static<typeof PipelineSchema>;

/** The published JSON Schema document (`aiorch schema`, schemas/pipeline.v1.schema.json). */
export function pipelineJsonSchema(): Record<string, unknown> {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    ...JSON.parse(JSON.stringify(PipelineSchema)),
  };
}
