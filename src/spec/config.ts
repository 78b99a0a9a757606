import { Type, type Static } from "@sinclair/typebox";
import { DURATION } from "./names.ts";
import { PLATFORM_BLOCKS } from "./config-platform.ts";

/**
 * Providers `llm.provider` may name: the LiteLLM prefixes whose OpenAI-compatible
 * endpoint aiorch knows (`src/llm/providers.ts` maps each to its URL and key variable).
 * `google` is the Python aiorch's name for `gemini`.
 */
export const LLM_PROVIDERS = [
  "openai",
  "anthropic",
  "gemini",
  "google",
  "groq",
  "mistral",
  "deepseek",
  "together_ai",
  "ollama",
  "ollama_chat",
  "openrouter",
  "cohere",
  "xai",
] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** The Python tool's level names (any case); DEBUG shows what `-v` shows. */
export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL"] as const;

const literals = <T extends readonly string[]>(values: T, description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

const SinkSchema = Type.Object(
  {
    type: Type.Optional(
      Type.Union([Type.Literal("file"), Type.Literal("stdout")], {
        description: "`file`: a JSON-lines log of each run; `stdout`: the terminal view only.",
      }),
    ),
    path: Type.Optional(Type.String({ description: "The folder of the run logs (default $AIORCH_HOME/logs)." })),
    format: Type.Optional(
      Type.String({ description: "Accepted for the Python tool's stdout sink; the terminal view has its own format." }),
    ),
    options: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "Accepted for custom sinks of the Python tool; ignored.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** `aiorch.yaml` (docs/llm.md): found next to or above the pipeline, else `$AIORCH_HOME/config.yaml`. */
export const ConfigSchema = Type.Object(
  {
    llm: Type.Optional(
      Type.Object(
        {
          model: Type.Optional(
            Type.String({
              description: "Default model of prompt: steps; LiteLLM's `provider/model` names route to that provider.",
            }),
          ),
          provider: Type.Optional(
            literals(
              LLM_PROVIDERS,
              "Where models without a `provider/` prefix go (the Python aiorch's llm.provider); default: decided by the model name.",
            ),
          ),
          api_key: Type.Optional(
            Type.String({ description: "API key; write `${OPENAI_API_KEY}` rather than the key itself." }),
          ),
          base_url: Type.Optional(
            Type.String({ description: "OpenAI-compatible endpoint, e.g. http://localhost:11434/v1." }),
          ),
          api_base: Type.Optional(Type.String({ description: "Alias of base_url (LiteLLM's name)." })),
          temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2, description: "Default temperature." })),
          max_tokens: Type.Optional(Type.Integer({ minimum: 1, description: "Default completion token cap." })),
          concurrency: Type.Optional(
            Type.Integer({ minimum: 1, description: "Requests in flight per endpoint (default 8)." }),
          ),
          timeout: Type.Optional(
            Type.Union([Type.String({ pattern: DURATION }), Type.Number({ minimum: 0 })], {
              description: "Per-request timeout: a duration (`60s`, `2m`) or a number of seconds.",
            }),
          ),
          structured_output: Type.Optional(
            Type.Union([Type.Literal("auto"), Type.Literal("off")], {
              description: "Send response_format json_schema when the endpoint supports it.",
            }),
          ),
          prices: Type.Optional(
            Type.Record(
              Type.String({ minLength: 1 }),
              Type.Object(
                {
                  input: Type.Number({ minimum: 0, description: "USD per million prompt tokens." }),
                  output: Type.Number({ minimum: 0, description: "USD per million completion tokens." }),
                },
                { additionalProperties: false },
              ),
              {
                description:
                  "Rates by model name (USD per million tokens), over the built-in table, a provider-reported cost and the $0 of an endpoint on this machine.",
              },
            ),
          ),
        },
        { additionalProperties: false, description: "LLM settings." },
      ),
    ),
    defaults: Type.Optional(
      Type.Object(
        {
          timeout: Type.Optional(
            Type.Union([Type.String({ pattern: DURATION }), Type.Number({ minimum: 0 })], {
              description: "`timeout:` of every step that sets none.",
            }),
          ),
          retry: Type.Optional(Type.Integer({ minimum: 0, description: "`retry:` of every step that sets none." })),
        },
        {
          additionalProperties: false,
          description: "Step fields for the steps that do not set them (step > defaults).",
        },
      ),
    ),
    logging: Type.Optional(
      Type.Object(
        {
          level: Type.Optional(
            Type.String({
              description:
                "DEBUG shows each step's rendered text and full result (as -v); INFO, WARNING, ERROR: the usual view. The command line wins.",
            }),
          ),
          sink: Type.Optional(
            Type.Union([Type.Literal("file"), Type.Literal("stdout"), SinkSchema, Type.Array(SinkSchema)], {
              description: "`file`: each run's events as JSON lines in $AIORCH_HOME/logs/run-<id>.jsonl.",
            }),
          ),
        },
        { additionalProperties: false, description: "Run logs (the Python aiorch's logging block)." },
      ),
    ),
    storage: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(
            Type.Union([Type.Literal("sqlite"), Type.Literal("memory"), Type.Literal("postgres")], {
              description:
                "`sqlite` (the default): the history file; `memory`: record nothing; `postgres`: Platform only, the SQLite file is used.",
            }),
          ),
          path: Type.Optional(
            Type.String({
              description:
                "Where the history database lives (default $AIORCH_HOME/history.db; `~` is the home folder).",
            }),
          ),
        },
        { additionalProperties: false, description: "Run history." },
      ),
    ),
    env: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
        description:
          "Variables for every step and for `${VAR}` in this file; the environment, the pipeline's env: and a step's env: win over them.",
      }),
    ),
    redaction: Type.Optional(
      Type.Union(
        [
          Type.Null(),
          Type.Object(
            {
              enabled: Type.Optional(Type.Boolean({ description: "false: mask nothing (default true)." })),
              patterns: Type.Optional(
                Type.Array(Type.String(), {
                  description:
                    "Regular expressions whose matches are masked as `***`, in addition to the built-in rules.",
                }),
              ),
              env_keys: Type.Optional(
                Type.Array(Type.String(), {
                  description:
                    "Variables whose values are secrets, in addition to *_KEY, *_TOKEN, *_SECRET, *_PASSWORD.",
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ],
        { description: "Secrets masked in the history, the output and the LLM cache." },
      ),
    ),
    python: Type.Optional(
      Type.String({ description: "The python3 for python: steps, e.g. .venv/bin/python (relative to this file)." }),
    ),
    server: Type.Optional(PLATFORM_BLOCKS.server),
    policy: Type.Optional(PLATFORM_BLOCKS.policy),
  },
  { additionalProperties: false, title: "aiorch configuration" },
);

export type ConfigSpec = Static<typeof ConfigSchema>;
