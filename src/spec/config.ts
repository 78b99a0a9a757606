import { Type, type Static } from "@sinclair/typebox";
import { DURATION } from "./names.ts";

/** `aiorch.yaml` (§7): found next to or above the pipeline, else `$AIORCH_HOME/config.yaml`. */
export const ConfigSchema = Type.Object(
  {
    llm: Type.Optional(
      Type.Object(
        {
          model: Type.Optional(Type.String({ description: "Default model of prompt: steps." })),
          api_key: Type.Optional(Type.String({ description: "API key; write `${OPENAI_API_KEY}` rather than the key itself." })),
          base_url: Type.Optional(Type.String({ description: "OpenAI-compatible endpoint, e.g. http://localhost:11434/v1." })),
          api_base: Type.Optional(Type.String({ description: "Alias of base_url (the Python aiorch's name)." })),
          temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2, description: "Default temperature." })),
          max_tokens: Type.Optional(Type.Integer({ minimum: 1, description: "Default completion token cap." })),
          concurrency: Type.Optional(Type.Integer({ minimum: 1, description: "Requests in flight per endpoint (default 8)." })),
          timeout: Type.Optional(Type.Union([Type.String({ pattern: DURATION }), Type.Number({ minimum: 0 })], { description: "Per-request timeout: a duration (`60s`, `2m`) or a number of seconds." })),
          structured_output: Type.Optional(
            Type.Union([Type.Literal("auto"), Type.Literal("off")], { description: "Send response_format json_schema when the endpoint supports it." }),
          ),
        },
        { additionalProperties: false, description: "LLM settings." },
      ),
    ),
    storage: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(Type.Literal("sqlite", { description: "The only store: a local SQLite file." })),
          path: Type.Optional(Type.String({ description: "Where the history database lives (default $AIORCH_HOME/history.db)." })),
        },
        { additionalProperties: false, description: "Run history." },
      ),
    ),
    python: Type.Optional(Type.String({ description: "The python3 for python: steps, e.g. .venv/bin/python (relative to this file)." })),
  },
  { additionalProperties: false, title: "aiorch configuration" },
);

export type ConfigSpec = Static<typeof ConfigSchema>;
