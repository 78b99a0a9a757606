import { setOwn } from "../model/own-key.ts";

/** A CSV problem, with the 1-based line of the file where the offending record starts. */
export class CsvError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "CsvError";
    this.line = line;
  }
}

interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

/**
 * Parses CSV text (RFC 4180) into one object per data row, keyed by the header row.
 *
 * Quoted fields may hold the delimiter, doubled quotes (`""` → `"`) and line breaks;
 * `\r\n` and `\n` both end a record; a leading byte-order mark is dropped; blank lines
 * (the trailing one included) are skipped. Values stay strings: no type guessing.
 * A header-only or empty text gives `[]`.
 *
 * @param delimiter one character, default `,`.
 * @throws CsvError naming the line when a row's field count differs from the header's,
 *   a quote is never closed, text follows a closing quote, or a header name is empty or repeated.
 */
export function parseCsv(text: string, delimiter = ","): Record<string, string>[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new CsvError(
      1,
      `the delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  const records = readRecords(text.startsWith("\uFEFF") ? text.slice(1) : text, delimiter);
  const header = records.shift();
  if (!header) return [];
  const keys = checkHeader(header);
  return records.map((record) => {
    if (record.fields.length !== keys.length) {
      throw new CsvError(
        record.line,
        `has ${record.fields.length} field${record.fields.length === 1 ? "" : "s"}, the header has ${keys.length} (quote a value that contains ${describe(delimiter)})`,
      );
    }
    const row: Record<string, string> = {};
    keys.forEach((key, i) => setOwn(row, key, record.fields[i]!));
    return row;
  });
}

function checkHeader(header: CsvRecord): string[] {
  const seen = new Set<string>();
  header.fields.forEach((name, i) => {
    if (name === "")
      throw new CsvError(header.line, `column ${i + 1} of the header row has no name: give every column a name`);
    if (seen.has(name))
      throw new CsvError(header.line, `the header row names column \`${name}\` twice: column names must be unique`);
    seen.add(name);
  });
  return header.fields;
}

function describe(delimiter: string): string {
  return delimiter === "\t" ? "a tab" : `\`${delimiter}\``;
}

/** Splits text into records; a blank line (no characters at all) is not a record. */
function readRecords(text: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let atFieldStart = true;
  let i = 0;
  const endRecord = () => {
    const blank = fields.length === 0 && field === "" && atFieldStart;
    if (!blank) records.push({ line: recordLine, fields: [...fields, field] });
    fields = [];
    field = "";
    atFieldStart = true;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && atFieldStart && field === "") {
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvError(quoteLine, 'a quoted value is never closed (a `"` is missing)');
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\n") line++;
        field += c;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== "\n" && next !== "\r") {
        throw new CsvError(
          line,
          `unexpected text after a closing quote: write a quote inside a quoted value as \`""\``,
        );
      }
      atFieldStart = false;
      continue;
    }
    if (ch === delimiter) {
      fields.push(field);
      field = "";
      atFieldStart = true;
      i++;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      endRecord();
      line++;
      recordLine = line;
      continue;
    }
    field += ch;
    atFieldStart = false;
    i++;
  }
  endRecord();
  return records;
}
