export { validateFile, validateFiles, type ValidationResult, type ValidateOptions } from "./validate-file.ts";
export { parseDuration, formatDuration } from "../model/duration.ts";
export { PYTHON_CHECK_SCRIPT, type BodyReport, type PythonChecker } from "./python-bodies.ts";
