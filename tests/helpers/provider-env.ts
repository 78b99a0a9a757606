import { ENDPOINT_VARIABLES } from "../../src/llm/providers.ts";

/** Variables of the machine that would move or key the endpoints: unset for every run here. */
export const NO_PROVIDER_ENV: Record<string, string> = Object.fromEntries(ENDPOINT_VARIABLES.map((name) => [name, ""]));
