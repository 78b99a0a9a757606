import { Type, type Static } from "@sinclair/typebox";
import { DURATION, VARIABLE_NAME, STEP_NAME } from "./names.ts";

/** The keys that say what a step does; the model's `Primitive` is the union of its step types, which normalize checks these against. */
export const PRIMITIVES = ["prompt", "python", "run", "flow"] as const;

const Duration = (description: string) =>
  Type.Union([Type.String({ pattern: DURATION }), Type.Number({ minimum: 0 })], {
    description: `${description} A duration such as \`500ms\`, \`2s\`, \`1m\`, \`1h\` (a bare number is seconds).`,
  });

const EnvMap = (description: string) =>
  Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), { description });

const Template = (description: string) => Type.String({ description: `${description} (templated)` });

export const StepSchema = Type.Object(
  {
    prompt: Type.Optional(Template("Primitive: an LLM prompt; the answer is the result")),
    python: Type.Optional(
      Type.String({
        description: "Primitive: a Python body run in a worker; reads `inputs[...]`, sets `result` (never templated).",
      }),
    ),
    run: Type.Optional(Template("Primitive: a /bin/sh command; stdout is the result; every {{ }} is shell-quoted")),
    flow: Type.Optional(Template("Primitive: path of a sub-pipeline, relative to this file")),

    depends: Type.Optional(
      Type.Union(
        [Type.Array(Type.String({ pattern: STEP_NAME }), { uniqueItems: true }), Type.String({ pattern: STEP_NAME })],
        {
          description: "Steps this step waits for (never inferred). Their results are readable by name.",
        },
      ),
    ),
    output: Type.Optional(
      Type.String({
        pattern: VARIABLE_NAME,
        description: "Extra name under which the result is published (the step name still works).",
      }),
    ),
    condition: Type.Optional(
      Type.Union([Type.String(), Type.Boolean()], {
        description: 'Expression; the step runs only when it is truthy, else it is skipped (e.g. `category == "bug"`).',
      }),
    ),
    foreach: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.Unknown())], {
        description:
          "Fan out over a list: a name (`rows`), a template (`{{ data.items }}`) or a literal list. Each iteration sees `item` and `item_index`.",
      }),
    ),
    parallel: Type.Optional(
      Type.Boolean({ description: "With foreach: run iterations concurrently (default false)." }),
    ),
    concurrency: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10000,
        description: "With foreach: cap on iterations in flight (default 8).",
      }),
    ),
    on_item_failure: Type.Optional(
      Type.Union([Type.Literal("fail"), Type.Literal("continue")], {
        description:
          "With foreach: `fail` (default) fails the step at the first failed item; `continue` runs every item, the step succeeds with None in the failed slots, and the failures are listed.",
      }),
    ),
    retry: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 10, description: "Extra attempts after a failure (0-10, default 0)." }),
    ),
    retry_delay: Type.Optional(Duration("Delay between attempts (default 0).")),
    retry_strategy: Type.Optional(
      Type.Union([Type.Literal("fixed"), Type.Literal("exponential")], {
        description:
          "`fixed` (default) or `exponential`: the delay doubles each attempt, with jitter, capped by retry_max_delay.",
      }),
    ),
    retry_max_delay: Type.Optional(Duration("Cap on the exponential delay (default 60s).")),
    on_failure: Type.Optional(
      Type.String({
        pattern: STEP_NAME,
        description: "Handler step run when this step finally fails; it sees `failed_step` and `error`.",
      }),
    ),
    trigger: Type.Optional(
      Type.Literal("on_failure", {
        description:
          "`on_failure`: this step is a handler — it runs only when a step that names it in on_failure: fails (the Python aiorch's marker; naming it is enough here).",
      }),
    ),
    timeout: Type.Optional(Duration("Per-attempt time limit (for foreach: per iteration).")),
    env: Type.Optional(EnvMap("Extra environment for this step's process (`${VAR}` and `${VAR:-default}` expanded).")),
    cwd: Type.Optional(Template("Working directory for run:/python: (default: where `aiorch run` was invoked)")),
    save: Type.Optional(Template("Write the result to this path (strings as-is, other values as JSON)")),
    vars: Type.Optional(
      Type.Record(Type.String({ pattern: VARIABLE_NAME }), Type.Unknown(), {
        description: "Step-local variables merged into the template context (string values are templated).",
      }),
    ),
    description: Type.Optional(Type.String({ description: "Free text shown by `list` and `explain`." })),
    model: Type.Optional(Template("prompt: the model name, e.g. gpt-4o-mini")),
    temperature: Type.Optional(
      Type.Number({ minimum: 0, maximum: 2, description: "prompt: sampling temperature (0-2)." }),
    ),
    max_tokens: Type.Optional(Type.Integer({ minimum: 1, description: "prompt: cap on completion tokens." })),
    system: Type.Optional(Template("prompt: the system message")),
    format: Type.Optional(
      Type.Union([Type.Literal("text"), Type.Literal("json")], {
        description: "prompt: `text` (default) or `json` (the answer is parsed as JSON).",
      }),
    ),
    schema: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "prompt: JSON Schema the parsed answer must satisfy (implies format: json).",
      }),
    ),
    retry_on_invalid: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10,
        description: "prompt: re-ask the model this many times with the validation errors.",
      }),
    ),
    cache: Type.Optional(
      Type.Boolean({ description: "prompt: `false` disables the LLM response cache for this step." }),
    ),
    max_cost: Type.Optional(
      Type.Number({ minimum: 0, description: "prompt: USD cap for this step; exceeding it fails the step." }),
    ),
    input: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "flow: values for the sub-pipeline's inputs (string values are templated).",
      }),
    ),
  },
  { additionalProperties: false, description: "A step: exactly one of prompt, python, run, flow, plus options." },
);

export type StepSpec = Static<typeof StepSchema>;
