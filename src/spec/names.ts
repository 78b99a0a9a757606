/** Name rules of docs/pipeline-reference.md and docs/pipeline-reference.md#step-fields; shared by the schema, the validator and the CLI. */
export const PIPELINE_NAME = "^[a-zA-Z0-9][a-zA-Z0-9._-]*$";
export const STEP_NAME = "^[A-Za-z_][A-Za-z0-9_-]*$";
/** Inputs, `output:` aliases and `vars` are read by templates, so they must be template identifiers. */
export const VARIABLE_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";
/** `500ms`, `2s`, `1.5m`, `1h`; a bare number means seconds. */
export const DURATION = "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$";
