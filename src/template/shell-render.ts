/**
 * The render-time half of the shell check: for a `run:` template whose places the load
 * scan could not settle for every value (`ShellScan.dynamic`), the command is rendered
 * with each value replaced by a marker, the real rendered text is lexed (as dash and as
 * bash read it, straight-line: no template paths are left), and each value is then
 * checked and quoted for the place it actually landed in. A heredoc line that a value
 * forms with the text around it is checked on the final text: it fails only when it
 * equals the terminator.
 */
import { ShellFault, placeValue, probeShell } from "./shell-output.ts";
import { scanShellSlots } from "./shell-scan.ts";
import { ShellValueError, checkTerminator, type ShellSlot } from "./shell-slot.ts";

const MARKER = /\0(\d+)\0/g;

/** Splits the probe text at its markers; throws when literal text holds a NUL byte (the markers would be ambiguous). */
function split(text: string, count: number, site: number): Array<{ text: string } | { output: number }> {
  const pieces: Array<{ text: string } | { output: number }> = [];
  let from = 0;
  let k = 0;
  for (const m of text.matchAll(MARKER)) {
    if (Number(m[1]) !== k) break;
    pieces.push({ text: text.slice(from, m.index) }, { output: k++ });
    from = m.index + m[0].length;
  }
  const rest = text.slice(from);
  if (k !== count || rest.includes("\0") || pieces.some((p) => "text" in p && p.text.includes("\0"))) {
    throw new ShellFault("", "the command contains a NUL byte", "remove it: no shell command can carry one", site);
  }
  pieces.push({ text: rest });
  return pieces;
}

/** Checks the whole lines around `[at, end)` of `text` against a heredoc terminator. */
function checkLines(text: string, at: number, end: number, slot: Extract<ShellSlot, { kind: "heredoc" }>): void {
  const start = text.lastIndexOf("\n", at - 1) + 1;
  const stop = text.indexOf("\n", end);
  checkTerminator(text.slice(start, stop < 0 ? text.length : stop), slot.terminator);
}

/**
 * Renders a shell template whose values are placed at render time. `render` runs the
 * template (its outputs go through `finalizeShell`). Throws `ShellFault` (a RenderFault
 * naming the output) for a value its place cannot take.
 */
export function renderShell(render: () => string): string {
  const { text, outs } = probeShell(render);
  if (outs.length === 0) return text;
  const pieces = split(text, outs.length, outs[0]!.site);
  const slots = scanShellSlots(pieces.map((p) => ("text" in p ? p : { output: true as const })));
  let out = "";
  const joined: Array<{ at: number; end: number; k: number }> = [];
  for (const piece of pieces) {
    if ("text" in piece) {
      out += piece.text;
      continue;
    }
    const k = piece.output;
    const { text: value, site } = outs[k]!;
    const slot = slots[k]!;
    const placed = placeValue(value, slot, site);
    if (slot.kind === "heredoc" && slot.joined) joined.push({ at: out.length, end: out.length + placed.length, k });
    out += placed;
  }
  for (const { at, end, k } of joined) {
    const slot = slots[k] as Extract<ShellSlot, { kind: "heredoc" }>;
    try {
      checkLines(out, at, end, slot);
    } catch (e) {
      if (e instanceof ShellValueError) throw new ShellFault(outs[k]!.text, e.problem.replace("it puts", "with the text around it, it puts"), e.hint, outs[k]!.site);
      throw e;
    }
  }
  return out;
}

