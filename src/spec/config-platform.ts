import { Type } from "@sinclair/typebox";

/**
 * Blocks of the Python aiorch's config that only its Platform (the web server, team
 * policies) reads. They are accepted, typed (so a misspelled key is still an error), and
 * ignored with one warning that names them: a config shared with the Python tool loads.
 */
export const PLATFORM_BLOCKS = {
  server: Type.Object(
    {
      host: Type.Optional(Type.String()),
      port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
      secret: Type.Optional(Type.String()),
      open_browser: Type.Optional(Type.Boolean()),
      auth_enabled: Type.Optional(Type.Boolean()),
      secret_key: Type.Optional(Type.String()),
    },
    {
      additionalProperties: false,
      description: "The Python aiorch's `aiorch serve` web server (Platform only): accepted and ignored.",
    },
  ),
  policy: Type.Object(
    {
      shell: Type.Optional(
        Type.Object(
          {
            mode: Type.Optional(
              Type.Union([Type.Literal("unrestricted"), Type.Literal("allowlist"), Type.Literal("blocklist")]),
            ),
            commands: Type.Optional(Type.Array(Type.String())),
          },
          { additionalProperties: false },
        ),
      ),
      max_cost_per_step: Type.Optional(Type.Number({ minimum: 0 })),
      max_cost_per_run: Type.Optional(Type.Number({ minimum: 0 })),
    },
    {
      additionalProperties: false,
      description:
        "The Python aiorch's team policies (Platform only): accepted and ignored; use --max-cost and a step's max_cost for spending caps.",
    },
  ),
};

/** Why each Platform block is ignored, for the warning. */
export const PLATFORM_REASONS: Record<keyof typeof PLATFORM_BLOCKS, string> = {
  server: "aiorch has no web server",
  policy: "team policies belong to the Platform; --max-cost and a step's max_cost cap spending",
};
