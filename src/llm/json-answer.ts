/**
 * `format: json` answers (§7): the JSON a model wrote, tolerating a ```json fence around it
 * and a sentence before or after it, and the message that re-asks for a valid answer.
 */
import { describeSchemaErrors, validateJson } from "./json-schema.ts";

export type ParsedAnswer = { ok: true; value: unknown } | { ok: false; problem: string };

const FENCE = /```[a-zA-Z]*\s*\n?([\s\S]*?)\n?\s*```/;

/** The JSON value in a model's answer. */
export function parseJsonAnswer(text: string): ParsedAnswer {
  const fenced = FENCE.exec(text)?.[1];
  const candidates = [fenced, text.trim()];
  // A sentence around the JSON: from the first opening bracket to the last closing one.
  const start = text.search(/[[{]/);
  const end = Math.max(text.lastIndexOf("}"), text.lastIndexOf("]"));
  if (start >= 0 && end > start) candidates.push(text.slice(start, end + 1));
  let firstError = "";
  for (const candidate of candidates) {
    if (candidate === undefined || candidate.trim() === "") continue;
    try {
      return { ok: true, value: JSON.parse(candidate) as unknown };
    } catch (error) {
      firstError ||= error instanceof Error ? error.message : String(error);
    }
  }
  return { ok: false, problem: `the answer is not valid JSON (${firstError || "it is empty"})` };
}

/** Why an answer is not acceptable, or undefined: not JSON, or (with a schema) not matching it. */
export function answerProblems(text: string, schema: Record<string, unknown> | undefined): { value?: unknown; problems?: string } {
  const parsed = parseJsonAnswer(text);
  if (!parsed.ok) return { problems: parsed.problem };
  if (!schema) return { value: parsed.value };
  const errors = validateJson(schema, parsed.value);
  return errors.length === 0 ? { value: parsed.value } : { value: parsed.value, problems: `the answer does not match the schema:\n${describeSchemaErrors(errors)}` };
}

/** The follow-up message that asks the model to fix its answer. */
export function reaskMessage(problems: string, schema: Record<string, unknown> | undefined): string {
  const shape = schema ? `\nThe JSON must satisfy this JSON Schema:\n${JSON.stringify(schema)}` : "";
  return `Your previous answer could not be used: ${problems}\nAnswer again with only the corrected JSON, no other text.${shape}`;
}
