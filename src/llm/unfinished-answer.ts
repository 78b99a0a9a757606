/**
 * Answers a model did not finish (docs/llm.md). An empty answer (no text, or only whitespace) is a
 * failed attempt: never a result, never cached. An answer cut off at its token limit
 * (`finish_reason: "length"`) is kept with a warning for a text prompt, and re-asked for a
 * JSON one (`format: json`, `schema:`), whose cut-off JSON is useless. The same rules hold
 * whether the answer came whole or streamed (`-v` on a terminal).
 */

/** No text at all, or only whitespace: the result would be "". */
export const isEmptyAnswer = (text: string): boolean => text.trim() === "";

/** The model stopped at its token limit, not at the end of its answer. */
export const wasCutOff = (finishReason: string | undefined): boolean => finishReason === "length";

/** `max_tokens: 50`, or the endpoint's own limit when the step and config set none. */
function limitText(maxTokens: number | undefined): string {
  return maxTokens === undefined ? "the endpoint's default limit (max_tokens is not set)" : `max_tokens: ${maxTokens}`;
}

/** Why an attempt failed on an empty answer: the model, why it stopped, and what to change. */
export function emptyAnswerMessage(
  model: string,
  finishReason: string | undefined,
  maxTokens: number | undefined,
): string {
  const why = finishReason ? ` (finish_reason: ${finishReason})` : "";
  const fix =
    finishReason === "length"
      ? `it reached ${limitText(maxTokens)} before writing any text (a reasoning model can spend every token thinking): raise max_tokens`
      : finishReason === "content_filter"
        ? "the provider's content filter stopped it: check the prompt and the system message"
        : "check that the prompt asks for an answer and that the model is a chat model; `retry:` on the step asks again";
  return `${model} returned an empty answer${why}; ${fix}`;
}

/** The warning of a text answer cut off at its limit: the result is the incomplete text. */
export function cutOffWarning(model: string, maxTokens: number | undefined): string {
  return `${model}: the answer was cut off (finish_reason: length) at ${limitText(maxTokens)}; the result is the incomplete text, not cached: raise max_tokens to get all of it`;
}

/** What a JSON answer that was cut off is: the problem named in the re-ask and the failure. */
export const CUT_OFF_JSON =
  "the answer was cut off at the token limit (finish_reason: length) before the JSON was complete";

/** The follow-up that asks for a complete JSON answer after a cut-off one. */
export function cutOffReaskMessage(schema: Record<string, unknown> | undefined): string {
  const shape = schema ? `\nThe JSON must satisfy this JSON Schema:\n${JSON.stringify(schema)}` : "";
  return `Your previous answer was cut off: it reached the token limit before the JSON was complete. Answer again with only the JSON, complete and as short as it can be: no other text, no indentation.${shape}`;
}

/**
 * The failure when the last JSON answer was cut off and no re-ask is left: how many answers
 * came, how many were cut off, and the fix (a larger max_tokens; or re-asking, when it was off).
 */
export function cutOffFailure(
  model: string,
  maxTokens: number | undefined,
  answers: number,
  cutOffs: number,
  retryOnInvalid: number,
): string {
  const head = `${model}: the answer was cut off (finish_reason: length) at ${limitText(maxTokens)} before the JSON was complete`;
  if (answers === 1)
    return `${head}; raise max_tokens${retryOnInvalid === 0 ? ", or set retry_on_invalid to re-ask the model for a shorter answer" : ""}`;
  const which = cutOffs === answers ? "every one cut off" : `${cutOffs} of them cut off`;
  return `${head} (after ${answers} answers, ${which}; retry_on_invalid: ${retryOnInvalid}); raise max_tokens`;
}
