export { PipelineSchema, pipelineJsonSchema, type PipelineSpec } from "./pipeline.ts";
export { StepSchema, PRIMITIVES, type StepSpec } from "./step.ts";
export { InputFieldSchema, INPUT_TYPES, INPUT_FORMATS, PLATFORM_INPUT_TYPES, type InputField } from "./input.ts";
export * from "./names.ts";
