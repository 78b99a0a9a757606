// Registers every primitive's executor.
import "./run/run-step.ts";
import "./python/python-step.ts";
import "./flow/flow-step.ts";
import "./prompt/prompt-step.ts";
export {
  executorFor,
  registerExecutor,
  type ExecutorTraits,
  type StepCall,
  type StepExecutor,
  type StepOutput,
  type TemplateText,
} from "./registry.ts";
export { RunServices, type ServiceKey } from "./services.ts";
export { LLM_SERVICES } from "./prompt/llm-service.ts";
export { PYTHON_POOL, warmPython } from "./python/pool-service.ts";
