import { Eta, type TemplateFunction } from "eta";
import { RUNTIME } from "./runtime.ts";
import { finalizeShell } from "./shell-output.ts";
import type { ShellSlot } from "./shell-slot.ts";
import { toText } from "./to-text.ts";

const BASE = {
  tags: ["{{", "}}"] as [string, string],
  parse: { exec: "", interpolate: "=", raw: "~" },
  useWith: true,
  /** Generated code reads the data only through the fixed keys `$c`, `$r`, `$t`, `$o`. */
  varName: "$d",
  autoEscape: false,
  autoTrim: false as const,
  autoFilter: true,
  cache: false,
};

/** The Eta instance of each mode, made on first use; `filterFunction` is the SPEC docs/templates.md#how-values-are-rendered output finalisation. */
let etas: { text: Eta; shell: Eta } | undefined;
const etaFor = (mode: "text" | "shell"): Eta =>
  (etas ??= {
    text: new Eta({ ...BASE, filterFunction: toText }),
    shell: new Eta({ ...BASE, filterFunction: finalizeShell }),
  })[mode];

/** A compiled Eta program and the instance it must run on. */
export interface Program {
  run(context: Record<string, unknown>, slots?: readonly ShellSlot[], box?: { v: unknown }): string;
}

/** Compiles generated Eta source in the given mode. */
export function compileProgram(source: string, mode: "text" | "shell"): Program {
  const eta = etaFor(mode);
  const fn: TemplateFunction = eta.compile(source);
  return {
    run: (context, slots, box) => fn.call(eta, { $c: context, $r: RUNTIME, $t: slots, $o: box }),
  };
}
