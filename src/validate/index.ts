export { validateFile, validateFiles, type ValidationResult, type ValidateOptions } from "./validate-file.ts";
export { parseDuration, formatDuration } from "./duration.ts";
