/**
 * docs/llm.md: a `prompt:` step asks a model through an OpenAI-compatible endpoint. The answer is
 * the result (parsed as JSON with `format: json` / `schema:`, and re-asked when invalid or
 * cut off); answers come from the response cache when the same question was asked before.
 * An empty answer fails the attempt; a text answer cut off at max_tokens is kept with a
 * warning (`llm/unfinished-answer.ts`).
 */
import { answerProblems, reaskMessage } from "../../llm/json-answer.ts";
import type { LlmServices } from "../../llm/llm-services.ts";
import { costOf } from "../../llm/pricing.ts";
import type { Route } from "../../llm/provider.ts";
import { cacheKey } from "../../llm/response-cache.ts";
import type { ChatMessage, ChatRequest } from "../../llm/transport.ts";
import {
  CUT_OFF_JSON,
  cutOffFailure,
  cutOffReaskMessage,
  cutOffWarning,
  emptyAnswerMessage,
  isEmptyAnswer,
  wasCutOff,
} from "../../llm/unfinished-answer.ts";
import { compileTemplate } from "../../template/index.ts";
import type { PromptStep } from "../../model/pipeline.ts";
import { registerExecutor, type StepCall, type StepOutput, type TemplateText } from "../registry.ts";
import { LLM_SERVICES } from "./llm-service.ts";
import { StepFailure } from "../../errors/step-failure.ts";

/** The question, as rendered for this call. */
interface Question {
  model: string;
  route: Route;
  system: string | undefined;
  prompt: string;
  temperature: number | undefined;
  maxTokens: number | undefined;
  json: boolean;
  schema: Record<string, unknown> | undefined;
}

function render(call: StepCall<PromptStep>, services: LlmServices): Question {
  const scope = { ...call.context, ...call.extra };
  const settings = call.step.prompt;
  const stepModel = settings.model ? compileTemplate(settings.model).render(scope).trim() : undefined;
  const model = services.modelFor(stepModel);
  const config = services.settings.config;
  return {
    model,
    route: services.route(model),
    system: settings.system ? compileTemplate(settings.system).render(scope) : undefined,
    prompt: compileTemplate(call.step.body).render(scope),
    temperature: settings.temperature ?? config.temperature,
    maxTokens: settings.maxTokens ?? config.max_tokens,
    json: settings.format === "json" || settings.schema !== undefined,
    schema: settings.schema,
  };
}

/**
 * JSON mode where the endpoint has it: `json_schema` with a schema; `json_object` without
 * one when the question mentions JSON (OpenAI refuses json_object otherwise).
 */
function responseFormat(question: Question, stepName: string): ChatRequest["response_format"] | undefined {
  if (question.schema)
    return {
      type: "json_schema",
      json_schema: {
        name: stepName.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64),
        schema: question.schema,
        strict: false,
      },
    };
  if (question.json && /json/i.test(`${question.system ?? ""}\n${question.prompt}`)) return { type: "json_object" };
  return undefined;
}

function request(question: Question, messages: ChatMessage[], structured: boolean, stepName: string): ChatRequest {
  const format = structured ? responseFormat(question, stepName) : undefined;
  return {
    model: question.route.model,
    messages,
    ...(question.temperature !== undefined ? { temperature: question.temperature } : {}),
    ...(question.maxTokens !== undefined ? { max_tokens: question.maxTokens } : {}),
    ...(format ? { response_format: format } : {}),
  };
}

/** A 400 that names response_format: the endpoint does not do structured output. */
const refusesStructuredOutput = (error: unknown) =>
  error instanceof StepFailure && /HTTP 400/.test(error.message) && /response_format|json_schema/i.test(error.message);

/** The answer a step keeps: its value, the text it came from, and whether it was cut off (a text prompt only). */
interface Answer {
  value: unknown;
  text: string;
  cutOff: boolean;
  promptTokens: number;
  completionTokens: number;
  cost: number;
}

/**
 * Asks, and for a JSON question re-asks (`retry_on_invalid`) until the answer is complete,
 * valid JSON and matches the schema. An empty answer fails the attempt (so `retry:` asks again).
 */
async function ask(call: StepCall<PromptStep>, services: LlmServices, question: Question): Promise<Answer> {
  const settings = call.step.prompt;
  const messages: ChatMessage[] = [
    ...(question.system ? [{ role: "system" as const, content: question.system }] : []),
    { role: "user", content: question.prompt },
  ];
  const totals = { promptTokens: 0, completionTokens: 0, cost: 0 };
  let cutOffs = 0;
  for (let answers = 1; ; answers++) {
    services.checkRunBudget();
    services.checkStepBudget(call.path, settings.maxCost);
    const { route } = question;
    const structured =
      question.json &&
      services.settings.config.structured_output !== "off" &&
      !services.noStructuredOutput.has(route.baseURL);
    let answer;
    try {
      answer = await services.transport.chat(
        route,
        request(question, messages, structured, call.step.name),
        call.signal,
        call.stream,
      );
    } catch (error) {
      if (!structured || !refusesStructuredOutput(error)) throw error;
      services.noStructuredOutput.add(route.baseURL);
      answer = await services.transport.chat(
        route,
        request(question, messages, false, call.step.name),
        call.signal,
        call.stream,
      );
    }
    const cost = costOf(question.model, answer.promptTokens, answer.completionTokens, answer.reportedCost, {
      prices: services.settings.config.prices,
      baseURL: route.baseURL,
    });
    services.account(call.path, question.model, {
      promptTokens: answer.promptTokens,
      completionTokens: answer.completionTokens,
      cost: cost.usd,
      cached: false,
      fallbackPrice: cost.fallback,
      reask: answers > 1,
    });
    totals.promptTokens += answer.promptTokens;
    totals.completionTokens += answer.completionTokens;
    totals.cost += cost.usd;
    if (isEmptyAnswer(answer.text))
      throw new StepFailure(emptyAnswerMessage(question.model, answer.finishReason, question.maxTokens));
    const cutOff = wasCutOff(answer.finishReason);
    if (!question.json) return { value: answer.text.trim(), text: answer.text, cutOff, ...totals };
    if (cutOff) cutOffs++;
    // Cut-off JSON is re-asked even when what arrived happens to parse: it is not the whole answer.
    const check = cutOff ? { problems: CUT_OFF_JSON } : answerProblems(answer.text, question.schema);
    if (!check.problems) return { value: check.value, text: answer.text, cutOff: false, ...totals };
    if (answers > settings.retryOnInvalid) {
      if (cutOff)
        throw new StepFailure(
          cutOffFailure(question.model, question.maxTokens, answers, cutOffs, settings.retryOnInvalid),
          "error",
          answer.text,
        );
      const tries =
        answers > 1
          ? ` (after ${answers} answers; retry_on_invalid: ${settings.retryOnInvalid})`
          : " (retry_on_invalid: 0; raise it to re-ask the model)";
      throw new StepFailure(`${question.model}: ${check.problems}${tries}`, "error", answer.text);
    }
    messages.push(
      { role: "assistant", content: answer.text },
      {
        role: "user",
        content: cutOff ? cutOffReaskMessage(question.schema) : reaskMessage(check.problems, question.schema),
      },
    );
    // A streamed answer is on the screen: the next one goes on a line of its own, after why.
    call.stream?.(`\n↻ re-asking: ${check.problems.split("\n")[0]}\n`);
  }
}

/** Runs one prompt call (one attempt of the step, or of one foreach item). */
export async function executePrompt(call: StepCall<PromptStep>): Promise<StepOutput> {
  const services = await call.service(LLM_SERVICES);
  const question = render(call, services);
  call.rendered(question.system ? `[system] ${question.system}\n${question.prompt}` : question.prompt);
  const cache = call.step.prompt.cache ? services.cache() : undefined;
  const key = cache
    ? cacheKey({
        endpoint: question.route.baseURL,
        model: question.route.model,
        system: question.system,
        prompt: question.prompt,
        temperature: question.temperature,
        maxTokens: question.maxTokens,
        format: question.json ? "json" : "text",
        schema: question.schema,
      })
    : undefined;
  const hit = key ? cache!.get(key) : undefined;
  if (hit) {
    const value = question.json ? answerProblems(hit.text, question.schema).value : hit.text.trim();
    services.account(call.path, question.model, {
      promptTokens: hit.promptTokens,
      completionTokens: hit.completionTokens,
      cost: 0,
      cached: true,
      fallbackPrice: false,
    });
    call.stream?.(hit.text);
    return { value, cached: true };
  }
  const answer = await ask(call, services, question);
  // Secrets never reach the database (docs/history.md): an answer that holds one is not cached. Nor is a
  // cut-off one: a hit would bring it back without the warning, as if it were whole.
  if (key && !answer.cutOff && !services.holdsSecret(answer.text))
    cache!.put(key, question.route.baseURL, question.route.model, {
      text: answer.text,
      promptTokens: answer.promptTokens,
      completionTokens: answer.completionTokens,
      cost: answer.cost,
    });
  return {
    value: answer.value,
    ...(answer.cutOff ? { warnings: [cutOffWarning(question.model, question.maxTokens)] } : {}),
  };
}

/** The prompt, and the model and system message when written. */
function promptTemplates(step: PromptStep): TemplateText[] {
  const texts = [step.body, step.prompt.model, step.prompt.system].filter((text): text is string => text !== undefined);
  return texts.map((source) => ({ source, mode: "text" }));
}

registerExecutor("prompt", executePrompt, { streamsAnswer: true, templates: promptTemplates });
