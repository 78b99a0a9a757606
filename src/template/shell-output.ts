import { RenderFault } from "./errors.ts";
import { ShellValueError, insertIntoSlot, type ShellSlot } from "./shell-slot.ts";
import { compactJson, pyJsonText, toText, undefinedFault } from "./to-text.ts";
import { RawValue, Undefined, isDict } from "./values.ts";

/** One `{{ }}` output of a shell template: the value and where it lands in the command. */
export class ShellOut {
  constructor(
    readonly value: unknown,
    readonly slot: ShellSlot,
    readonly site: number,
  ) {}
}

/** A value refused for its place in the command; the template names the output (`describe`). */
export class ShellFault extends RenderFault {
  constructor(
    readonly value: string,
    readonly problem: string,
    readonly hint: string,
    site: number,
  ) {
    super(`${problem} (${hint})`, site);
  }

  /** The message, for the output whose expression text is `expr` (at `where`, e.g. "line 3 of the command"). */
  describe(expr: string, where?: string): string {
    const shown = JSON.stringify(this.value.length > 60 ? `${this.value.slice(0, 60)}…` : this.value).slice(1, -1);
    return `\`${expr}\`${where ? ` (${where})` : ""} is \`${shown}\`: ${this.problem}; ${this.hint}`;
  }
}

/**
 * The text of a value in a shell command: strings as they are, lists and objects as
 * Python's `json.dumps` writes them (`["a", "b"]`, `{"k": 1}`), as the Python tool did,
 * so scripts that parse the text see the same; None as an empty word (`''`), as the Python
 * tool wrote it; other values as JSON (`5`, `true`, `1.0`).
 */
export function shellText(value: unknown): string {
  if (value instanceof Undefined && !value.lenient) throw undefinedFault(value);
  if (typeof value === "string") return value;
  if (value instanceof Undefined || value === null || value === undefined) return "";
  if (Array.isArray(value) || isDict(value)) return pyJsonText(value);
  return compactJson(value);
}

/** `text` in `slot`, or a `ShellFault` for output `site`. */
export function placeValue(text: string, slot: ShellSlot, site: number): string {
  try {
    return insertIntoSlot(text, slot);
  } catch (e) {
    if (e instanceof ShellValueError) throw new ShellFault(text, e.problem, e.hint, site);
    throw e;
  }
}

/** Set while a render-time pass collects the outputs (`probeShell`). */
let probe: Array<{ text: string; site: number }> | undefined;

/** The marker of the `k`-th output in the probe render: NUL bytes, which no command may contain. */
export const marker = (k: number): string => `\0${k}\0`;

/**
 * Runs `render` with every output replaced by `marker(k)`; returns the text and the
 * outputs' texts, in render order.
 */
export function probeShell(render: () => string): { text: string; outs: Array<{ text: string; site: number }> } {
  const saved = probe;
  const outs: Array<{ text: string; site: number }> = [];
  probe = outs;
  try {
    return { text: render(), outs };
  } finally {
    probe = saved;
  }
}

/**
 * The shell-mode output finalisation (SPEC docs/templates.md#how-values-are-rendered): the value's text (`shellText`), quoted
 * for its slot (`insertIntoSlot`). `| raw` values get the text rules and no quoting;
 * plain strings are the engine's own literal text.
 */
export function finalizeShell(v: unknown): string {
  if (v instanceof ShellOut) {
    const text = shellText(v.value);
    if (probe) {
      probe.push({ text, site: v.site });
      return marker(probe.length - 1);
    }
    return placeValue(text, v.slot, v.site);
  }
  if (v instanceof RawValue) return toText(v.value);
  return toText(v);
}
