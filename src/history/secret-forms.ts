/**
 * Which values are worth masking, and every spelling of one that may reach the history or
 * the screen (docs/history.md). Masking replaces text, so a rule that is too eager destroys data:
 * `CACHE_KEY=main` must not turn every `main` of a run into `***`. A value is masked only
 * when it looks like a secret ({@link isSecretLike}); a short or plain value is not, and the
 * docs tell users so (docs/history.md#redaction).
 */

/** A value (trimmed) shorter than this is never masked: `main`, `prod`, `hunter2`. */
export const MIN_SECRET_LENGTH = 8;

/** From this length on any value is masked, even a lowercase passphrase without digits. */
const ALWAYS_SECRET_LENGTH = 16;

/** PEM armour (`-----BEGIN RSA PRIVATE KEY-----`): the same in every key, so not a secret line. */
const PEM_ARMOUR = /^-----[A-Z0-9 ]+-----$/;

/**
 * Whether a value is secret-like: at least 8 characters (ignoring surrounding blanks), and
 * either 16 or more, or letters mixed with digits or symbols (`sk-abc123`, `Tr0ub4dor`).
 * So ordinary words (`production`, `password`), numbers and dates (`12345678`,
 * `2024-01-01`) are never masked: masking them would rewrite every occurrence of the word.
 */
export function isSecretLike(value: string): boolean {
  const text = value.trim();
  if (text.length < MIN_SECRET_LENGTH) return false;
  if (text.length >= ALWAYS_SECRET_LENGTH) return true;
  return /\p{L}/u.test(text) && /[\p{N}]|[^\p{L}\p{N}\s]/u.test(text);
}

/**
 * Every text that gives a secret away, for a secret-like `value` (none otherwise):
 * - the value, without its final newline (a PEM file read with or without it), and trimmed;
 * - for a multi-line value, each secret-like line (trimmed; PEM armour lines excepted), so
 *   a key shown line by line, indented or with CRLF is masked too;
 * - each of those as it is written inside JSON text (`pa\"ss`), also with non-ASCII as
 *   `\uXXXX` (Python's `json.dumps`), and JSON-escaped twice (JSON text held in a string,
 *   as a view of the result shows it);
 * - its base64 (bytes a python step returns are recorded as base64), whole and at the three
 *   byte alignments, so it is found inside the base64 of longer data too.
 */
export function secretForms(value: string): string[] {
  if (!isSecretLike(value)) return [];
  const bare = value.replace(/\r?\n$/, "");
  const texts = new Set([value, bare, value.trim()]);
  if (bare.includes("\n")) {
    for (const line of bare.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (isSecretLike(trimmed) && !PEM_ARMOUR.test(trimmed)) texts.add(trimmed);
    }
  }
  const forms = new Set<string>();
  for (const text of texts) {
    const json = jsonEscaped(text);
    // Twice: JSON text inside a JSON string (a python step's json.dumps shown by -v or trace).
    forms
      .add(text)
      .add(json)
      .add(asciiOnly(json))
      .add(jsonEscaped(json))
      .add(jsonEscaped(asciiOnly(json)));
  }
  for (const text of new Set([value, bare])) for (const form of base64Forms(text)) forms.add(form);
  return [...forms];
}

/** How `text` is written between the quotes of a JSON string. */
function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** JSON text with every non-ASCII UTF-16 unit as `\uXXXX`, as Python's `json.dumps` writes it by default. */
function asciiOnly(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * The base64 of the value alone, and the part of its base64 that does not depend on the
 * bytes around it, for each of the three positions it may start at in longer data: from
 * its first whole 3-byte group to its last (at least 6 bytes, so at least 8 characters).
 */
function base64Forms(text: string): string[] {
  const bytes = Buffer.from(text, "utf8");
  const forms = [bytes.toString("base64")];
  for (let shift = 0; shift < 3; shift++) {
    const length = Math.floor((bytes.length - shift) / 3) * 3;
    if (length >= 6) forms.push(bytes.subarray(shift, shift + length).toString("base64"));
  }
  return forms;
}
