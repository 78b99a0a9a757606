/**
 * `format: json` answers (docs/llm.md): the JSON a model wrote, tolerating a ```json fence around it
 * and a sentence before or after it, and the message that re-asks for a valid answer.
 */
import { parsePyJson } from "../model/py-json.ts";
import { describeSchemaErrors, validateJson } from "./json-schema.ts";

/**
 * `value` is read as Python's `json.loads` would (ints of any size exact, `4.0` a float): it is
 * what the step gives later steps. `plain` is the same JSON as `JSON.parse` reads it, for the
 * JSON-Schema check, whose numbers are plain JS numbers.
 */
export type ParsedAnswer = { ok: true; value: unknown; plain: unknown } | { ok: false; problem: string };

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
      const plain = JSON.parse(candidate) as unknown;
      return { ok: true, value: parsePyJson(candidate), plain };
    } catch (error) {
      firstError ||= error instanceof Error ? error.message : String(error);
    }
  }
  return { ok: false, problem: `the answer is not valid JSON (${firstError || "it is empty"})` };
}

/** Why an answer is not acceptable, or undefined: not JSON, or (with a schema) not matching it. */
export function answerProblems(
  text: string,
  schema: Record<string, unknown> | undefined,
): { value?: unknown; problems?: string } {
  const parsed = parseJsonAnswer(text);
  if (!parsed.ok) return { problems: parsed.problem };
  if (!schema) return { value: parsed.value };
  const errors = validateJson(schema, parsed.plain);
  return errors.length === 0
    ? { value: parsed.value }
    : { value: parsed.value, problems: `the answer does not match the schema:\n${describeSchemaErrors(errors)}` };
}

/** The follow-up message that asks the model to fix its answer. */
export function reaskMessage(problems: string, schema: Record<string, unknown> | undefined): string {
  const shape = schema ? `\nThe JSON must satisfy this JSON Schema:\n${JSON.stringify(schema)}` : "";
  return `Your previous answer could not be used: ${problems}\nAnswer again with only the corrected JSON, no other text.${shape}`;
}
