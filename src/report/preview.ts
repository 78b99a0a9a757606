import { stringifyPyJson } from "../model/py-json.ts";

/** Bytes in a shown value: their size. */
const bytesShown = (bytes: Uint8Array): string => `<${bytes.byteLength} bytes>`;

/**
 * A one-line preview of a result: first line of a string, compact JSON otherwise, cut to
 * `width`. `shown` (the live view's masking of secrets) is applied before the cut, so that
 * a secret cut in half is still masked.
 */
export function previewValue(value: unknown, width = 60, shown: (text: string) => string = (text) => text): string {
  let text: string;
  if (value === undefined) return "";
  if (typeof value === "string") text = value.split("\n").find((l) => l.trim() !== "") ?? "";
  else if (value instanceof Uint8Array) text = `<${value.byteLength} bytes>`;
  else text = stringifyPyJson(value, { bytes: bytesShown });
  const lines = typeof value === "string" ? value.split("\n").filter((l) => l.trim() !== "").length : 1;
  text = shown(text);
  if (lines > 1) text += ` (+${lines - 1} line${lines > 2 ? "s" : ""})`;
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** The full result for `-v`: strings as they are, other values as indented JSON. */
export function fullValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return stringifyPyJson(value, { indent: 2, bytes: bytesShown });
}
