import { RenderFault } from "./errors.ts";
import { ShellValueError, insertIntoSlot, type ShellSlot } from "./shell-slot.ts";
import { compactJson, toText, undefinedFault } from "./to-text.ts";
import { RawValue, Undefined } from "./values.ts";

/** One `{{ }}` output of a shell template: the value and where it lands in the command. */
export class ShellOut {
  constructor(
    readonly value: unknown,
    readonly slot: ShellSlot,
    readonly site: number,
  ) {}
}

/**
 * The shell-mode output finalisation (SPEC §4.3): strings as-is and everything else as
 * JSON, then quoted for its slot (`insertIntoSlot`). `| raw` values get the text rules
 * and no quoting; plain strings are the engine's own literal text.
 */
export function finalizeShell(v: unknown): string {
  if (v instanceof ShellOut) {
    const value = v.value;
    if (value instanceof Undefined && !value.lenient) throw undefinedFault(value);
    const text = typeof value === "string" ? value : value instanceof Undefined ? "" : compactJson(value);
    try {
      return insertIntoSlot(text, v.slot);
    } catch (e) {
      if (e instanceof ShellValueError) throw new RenderFault(e.message, v.site);
      throw e;
    }
  }
  if (v instanceof RawValue) return toText(v.value);
  return toText(v);
}
