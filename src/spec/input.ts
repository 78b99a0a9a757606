import { Type, type Static } from "@sinclair/typebox";

export const INPUT_TYPES = ["string", "integer", "number", "boolean", "list", "file", "http"] as const;
/** Input types of the Platform edition: refused with a pointer to `file`. */
export const PLATFORM_INPUT_TYPES = ["artifact", "connector"] as const;
export const INPUT_FORMATS = ["text", "json", "csv", "binary"] as const;

const literals = <T extends readonly string[]>(values: T, description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

const BareDefault = Type.Union(
  [Type.String(), Type.Number(), Type.Boolean(), Type.Array(Type.Unknown()), Type.Null()],
  { description: "Shorthand: the input's default value (its type is inferred from it)." },
);

export const InputFieldSchema = Type.Object(
  {
    type: Type.Optional(
      literals(
        INPUT_TYPES,
        "Declared type; command-line strings are coerced to it. Default: inferred from `default`, else string.",
      ),
    ),
    default: Type.Optional(Type.Unknown({ description: "Value used when the input is not given with -i or --input." })),
    description: Type.Optional(Type.String({ description: "What this input is for (shown by `list` and `explain`)." })),
    required: Type.Optional(
      Type.Boolean({ description: "When true, the run stops before any step unless a value is given." }),
    ),
    minimum: Type.Optional(Type.Number({ description: "Smallest allowed value (integer and number inputs)." })),
    maximum: Type.Optional(Type.Number({ description: "Largest allowed value (integer and number inputs)." })),
    format: Type.Optional(
      literals(
        INPUT_FORMATS,
        "How a file or http body is parsed. Default for files: by extension (.json, .yaml, .csv, text, else bytes).",
      ),
    ),
    delimiter: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1, description: "CSV field delimiter (default `,`)." }),
    ),
    content_type: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "MIME type of a file input (e.g. text/csv): a note for readers; `format` decides how the file is parsed.",
      }),
    ),
    max_size_mb: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: "File inputs: the largest file accepted, in MiB; a bigger one stops the run before any step.",
      }),
    ),
    url: Type.Optional(Type.String({ description: "http inputs: the URL fetched lazily on first use." })),
    method: Type.Optional(
      literals(
        ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const,
        "http inputs: request method (default GET).",
      ),
    ),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: "http inputs: request headers (`${VAR}` expanded)." }),
    ),
    body: Type.Optional(Type.Unknown({ description: "http inputs: request body (objects are sent as JSON)." })),
  },
  { additionalProperties: false, description: "A typed input declaration." },
);

/** An `input:` entry: a bare default value, or a typed field. */
export const InputEntrySchema = Type.Union([InputFieldSchema, BareDefault]);

export type InputField = Static<typeof InputFieldSchema>;
