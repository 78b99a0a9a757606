import type { LlmServices } from "../../llm/llm-services.ts";
import type { LlmSettings } from "../../llm/settings.ts";
import type { ServiceKey } from "../services.ts";
import { StepFailure } from "../../errors/step-failure.ts";

/**
 * The run's LLM services (transport, cache, spending), created on the first prompt: step:
 * only then is the openai SDK loaded.
 */
export const LLM_SERVICES: ServiceKey<LlmServices, LlmSettings> = {
  name: "llm",
  async create(settings) {
    const { LlmServices } = await import("../../llm/llm-services.ts");
    if (!settings) throw new StepFailure("prompt: steps need the LLM settings of the run (an engine bug)");
    return new LlmServices(settings);
  },
  close: (services) => services.close(),
  spending: {
    spent: (services) => services.spent,
    usageOf: (services, path) => services.usageOf(path),
  },
};
