// Registers every primitive's executor.
import "./run/run-step.ts";
import "./python/python-step.ts";
import "./flow/flow-step.ts";
import "./prompt/prompt-step.ts";
export { executorFor, registerExecutor, type StepCall, type StepExecutor, type StepOutput } from "./registry.ts";
