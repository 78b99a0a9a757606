/**
 * The render-time half of the shell check: for a `run:` template whose places the load
 * scan could not settle for every value (`ShellScan.dynamic`), the command is rendered
 * with each value replaced by a marker, the real rendered text is lexed (as dash and as
 * bash read it, straight-line: no template paths are left), and each value is then
 * checked and quoted for the place it actually landed in. A heredoc line that a value
 * shares with other text is checked on the final text: it fails only when it equals
 * the terminator.
 */
import { ShellFault, probeShell } from "./shell-output.ts";
import { scanShellSlots } from "./shell-scan.ts";
import { ShellValueError, checkTerminator, insertIntoSlot, type ShellSlot } from "./shell-slot.ts";

const MARKER = /\0(\d+)\0/g;

/** Checks the whole lines around `[at, end)` of `text` against a heredoc terminator. */
function checkLines(text: string, at: number, end: number, slot: Extract<ShellSlot, { kind: "heredoc" }>): void {
  const start = text.lastIndexOf("\n", at - 1) + 1;
  const stop = text.indexOf("\n", end);
  try {
    checkTerminator(text.slice(start, stop < 0 ? text.length : stop), slot.terminator, slot.strip !== false);
  } catch (e) {
    if (e instanceof ShellValueError) throw new ShellValueError(e.problem.replace("it puts", "with the text around it, it puts"), e.hint);
    throw e;
  }
}

/**
 * The command made of literal `texts` with `values[k]` between `texts[k]` and
 * `texts[k + 1]`: the places are read on this very text, each value is checked and
 * quoted for its place (`insertIntoSlot`), and heredoc lines shared with other text are
 * checked once assembled. `fail` gets the first value that cannot go where it is.
 */
export function placeValues(
  texts: readonly string[],
  values: readonly string[],
  fail: (k: number, e: ShellValueError) => never = (_, e) => {
    throw e;
  },
): string {
  const pieces: Array<{ text: string } | { output: true }> = [{ text: texts[0]! }];
  values.forEach((_, k) => pieces.push({ output: true }, { text: texts[k + 1]! }));
  const slots = scanShellSlots(pieces);
  let out = texts[0]!;
  const joined: Array<{ at: number; end: number; k: number }> = [];
  values.forEach((value, k) => {
    const slot = slots[k]!;
    let placed: string;
    try {
      placed = insertIntoSlot(value, slot);
    } catch (e) {
      if (e instanceof ShellValueError) fail(k, e);
      throw e;
    }
    if (slot.kind === "heredoc" && slot.joined) joined.push({ at: out.length, end: out.length + placed.length, k });
    out += placed + texts[k + 1]!;
  });
  for (const { at, end, k } of joined) {
    try {
      checkLines(out, at, end, slots[k] as Extract<ShellSlot, { kind: "heredoc" }>);
    } catch (e) {
      if (e instanceof ShellValueError) fail(k, e);
      throw e;
    }
  }
  return out;
}

/**
 * Renders a shell template whose values are placed at render time. `render` runs the
 * template (its outputs go through `finalizeShell`). Throws `ShellFault` (a RenderFault
 * naming the output) for a value its place cannot take.
 */
export function renderShell(render: () => string): string {
  const { text, outs } = probeShell(render);
  if (outs.length === 0) return text;
  const texts: string[] = [];
  let from = 0;
  for (const m of text.matchAll(MARKER)) {
    if (Number(m[1]) !== texts.length) break;
    texts.push(text.slice(from, m.index));
    from = m.index + m[0].length;
  }
  texts.push(text.slice(from));
  if (texts.length !== outs.length + 1 || texts.some((t) => t.includes("\0"))) {
    throw new ShellFault("", "the command contains a NUL byte", "remove it: no shell command can carry one", outs[0]!.site);
  }
  return placeValues(
    texts,
    outs.map((o) => o.text),
    (k, e) => {
      throw new ShellFault(outs[k]!.text, e.problem, e.hint, outs[k]!.site);
    },
  );
}
