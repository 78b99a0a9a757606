/**
 * `aiorch doctor`'s checks of the LLM side: which API key variables are set (names only),
 * and for each model the pipeline's prompt: steps use, its route and what its endpoint
 * answers to `GET /models`.
 */
import { listsModel, modelsUrl, probeEndpoint, type ProbeOutcome } from "../llm/endpoint-probe.ts";
import { DEFAULT_MODEL, firstSetName, keyVariableOf, missingKey, routeModel, type Route } from "../llm/provider.ts";
import { COMMON_KEY_VARIABLES, CONFIGURED_BASE_VARIABLES, CONFIGURED_KEY_VARIABLES } from "../llm/providers.ts";
import type { DoctorCheck } from "../report/doctor-view.ts";
import type { ConfigSpec } from "../spec/config.ts";
import { severity, type Env, type Needs } from "./doctor-checks.ts";

/** Only the names of the key variables (COMMON_KEY_VARIABLES) are ever shown. */
const [OPENAI_KEY] = CONFIGURED_KEY_VARIABLES;
const BASE_URL = CONFIGURED_BASE_VARIABLES.at(-1)!;

export function keysCheck(
  config: ConfigSpec,
  env: Env,
  keys: Record<string, boolean>,
  needed: boolean | undefined,
): DoctorCheck {
  const set = COMMON_KEY_VARIABLES.filter((n) => keys[n]);
  const unset = COMMON_KEY_VARIABLES.filter((n) => !keys[n]);
  const configKey = Boolean(config.llm?.api_key);
  const parts = [
    set.length ? `set: ${set.join(", ")}` : "none set",
    ...(unset.length && set.length ? [`not set: ${unset.join(", ")}`] : []),
    ...(configKey ? ["llm.api_key in the config"] : []),
  ];
  const baseUrl = config.llm?.base_url ?? config.llm?.api_base ?? firstSetName(env, CONFIGURED_BASE_VARIABLES);
  if (set.length || configKey || baseUrl || needed === false)
    return {
      name: "API keys",
      status: "ok",
      detail: `${parts.join("; ")}${needed === false && !set.length ? " (this pipeline has no prompt: steps)" : ""}`,
    };
  return {
    name: "API keys",
    status: "warn",
    detail: `none set (${COMMON_KEY_VARIABLES.join(", ")}): prompt: steps need one`,
    hint: `export ${OPENAI_KEY}=… (or the key of your provider), or set ${BASE_URL} / llm.base_url for a local OpenAI-compatible server`,
  };
}

function endpointSource(config: ConfigSpec, env: Env): string {
  if (config.llm?.base_url) return "llm.base_url";
  if (config.llm?.api_base) return "llm.api_base";
  return firstSetName(env, CONFIGURED_BASE_VARIABLES) ?? BASE_URL;
}

/** One `GET /models` per endpoint and key, however many models go there. */
export class EndpointProbes {
  private readonly asked = new Map<string, Promise<ProbeOutcome>>();
  constructor(private readonly timeoutMs: number) {}
  ask(route: Route): Promise<ProbeOutcome> {
    const id = `${route.baseURL}\n${route.apiKey ?? ""}`;
    let outcome = this.asked.get(id);
    if (!outcome) this.asked.set(id, (outcome = probeEndpoint(route.baseURL, route.apiKey, this.timeoutMs)));
    return outcome;
  }
}

/** At most 8 names, then how many more. */
function someOf(ids: readonly string[]): string {
  return ids.length <= 8 ? ids.join(", ") : `${ids.slice(0, 8).join(", ")} and ${ids.length - 8} more`;
}

/** What the endpoint's answer to `GET /models` says about `route`; `head` is the route line. */
function probeCheck(outcome: ProbeOutcome, route: Route, head: string, keySource: string | undefined): DoctorCheck {
  const asked = `GET ${modelsUrl(route.baseURL)}`;
  const check = (status: DoctorCheck["status"], said: string, hint?: string): DoctorCheck => ({
    name: "LLM",
    status,
    detail: `${head}\n${said}`,
    ...(hint ? { hint } : {}),
  });
  switch (outcome.kind) {
    case "models":
      if (listsModel(outcome.ids, route.model)) return check("ok", `answers; lists ${route.model}`);
      return check(
        "warn",
        outcome.ids.length
          ? `answers, but does not list ${route.model}; it lists ${someOf(outcome.ids)}`
          : `answers, but lists no models (${asked})`,
        "check the model name (the step's model:, --model, llm.model); on a local server, pull or load it first (e.g. `ollama pull NAME`)",
      );
    case "not-a-list":
      return check("ok", `answers (its ${asked} is not a model list, so the model name is not checked)`);
    case "status":
      if (outcome.status === 401 || outcome.status === 403) {
        // The body is left out: some endpoints quote part of the key in it.
        const hint = keySource
          ? `check the key in ${keySource}: it is sent as \`Authorization: Bearer …\`; a key of another provider, or a revoked one, is refused`
          : `this endpoint wants a key: set llm.api_key (e.g. \${${OPENAI_KEY}}) in aiorch.yaml, or export ${OPENAI_KEY}`;
        return check(
          "fail",
          `${asked}: HTTP ${outcome.status}: the endpoint refused ${keySource ? "the key" : "a request without a key"}`,
          hint,
        );
      }
      if (outcome.status === 404) {
        return check(
          "warn",
          `answers, but ${asked} is HTTP 404`,
          "check that the base URL ends where the API starts, often /v1 (e.g. http://localhost:11434/v1); a server without /models can be ignored here",
        );
      }
      return check(
        "warn",
        `answers, but ${asked} is HTTP ${outcome.status}${outcome.message ? `: ${outcome.message}` : ""}`,
        outcome.status === 429
          ? "it is rate limiting: runs wait and retry (Retry-After)"
          : "see the server's log; a run may fail the same way",
      );
    case "unreachable":
      return check("fail", `${asked}: ${outcome.reason}`, `check ${outcome.check}`);
  }
}

async function llmCheck(
  model: string,
  steps: string[],
  config: ConfigSpec,
  env: Env,
  needed: boolean,
  probes: EndpointProbes,
): Promise<DoctorCheck> {
  const route = routeModel(model, config.llm ?? {}, env);
  const who = steps.length
    ? `${model} (step${steps.length === 1 ? "" : "s"} ${steps.join(", ")})`
    : `${model} (for prompt steps that name no model)`;
  const where = `${who} → ${route.provider === "configured" ? `${route.baseURL} (from ${endpointSource(config, env)})` : `${route.provider} (${route.baseURL})`}`;
  const missing = missingKey(route, model);
  if (missing && route.proxyOnly)
    return {
      name: "LLM",
      status: severity(needed),
      detail: `${who} → ${route.provider}: no OpenAI-compatible API, only a LiteLLM proxy reaches it`,
      hint: missing.hint,
    };
  if (missing)
    return {
      name: "LLM",
      status: severity(needed),
      detail: `${where}: ${route.keyVariables.join(" or ")} is not set`,
      hint: missing.hint,
    };
  const configKey = Boolean(config.llm?.api_key);
  const keyFrom = keyVariableOf(route, env);
  const keySource = configKey ? "llm.api_key" : keyFrom;
  const head = `${where}, ${keySource ? `key from ${keySource}` : "no key needed"}`;
  return probeCheck(await probes.ask(route), route, head, keySource);
}

export async function llmChecks(
  needs: Needs | undefined,
  config: ConfigSpec,
  env: Env,
  modelOverride: string | undefined,
  probes: EndpointProbes,
): Promise<DoctorCheck[]> {
  const fallback = modelOverride || config.llm?.model || DEFAULT_MODEL;
  if (!needs) return [await llmCheck(fallback, [], config, env, false, probes)];
  if (needs.prompts.length === 0) return [{ name: "LLM", status: "ok", detail: "not needed (no prompt: steps)" }];
  const byModel = new Map<string, string[]>();
  const templated: string[] = [];
  for (const { step, model } of needs.prompts) {
    if (model?.includes("{{")) templated.push(step);
    else byModel.set(model || fallback, [...(byModel.get(model || fallback) ?? []), step]);
  }
  const checks = await Promise.all(
    [...byModel].map(([model, steps]) => llmCheck(model, steps, config, env, true, probes)),
  );
  if (templated.length)
    checks.push({
      name: "LLM",
      status: "warn",
      detail: `[${templated.join(", ")}]: the model is a template, known only when the step runs`,
      hint: "make sure the key of every model it can name is set",
    });
  return checks;
}
