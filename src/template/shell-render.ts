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

/** A line ends in an odd number of `\`: in an unquoted heredoc body, bash joins it with the next. */
const continues = (line: string) => /(^|[^\\])(\\\\)*\\$/.test(line);

/**
 * Checks the whole lines around `[at, end)` of `text` against a heredoc terminator: the
 * physical lines (as dash reads them) and, in an unquoted body, the lines joined at a
 * `\`-newline (as bash compares them with the terminator).
 */
function checkLines(text: string, at: number, end: number, slot: Extract<ShellSlot, { kind: "heredoc" }>): void {
  let start = text.lastIndexOf("\n", at - 1) + 1;
  let stop = text.indexOf("\n", end);
  if (stop < 0) stop = text.length;
  if (slot.expands) {
    while (start > 0 && continues(text.slice(text.lastIndexOf("\n", start - 2) + 1, start - 1)))
      start = text.lastIndexOf("\n", start - 2) + 1;
    while (stop < text.length && continues(text.slice(text.lastIndexOf("\n", stop - 1) + 1, stop))) {
      const next = text.indexOf("\n", stop + 1);
      stop = next < 0 ? text.length : next;
    }
  }
  const lines = text.slice(start, stop);
  const joined = slot.expands
    ? lines.split("\n").reduce((acc, line) => (continues(acc) ? `${acc.slice(0, -1)}${line}` : `${acc}\n${line}`))
    : lines;
  try {
    checkTerminator(lines, slot.terminator, slot.strip !== false);
    checkTerminator(joined, slot.terminator, slot.strip !== false);
  } catch (e) {
    if (!(e instanceof ShellValueError)) throw e;
    throw new ShellValueError(e.problem.replace("it puts", "with the text around it, it puts"), e.hint);
  }
}

const SLOT_CACHE_LIMIT = 512;
const slotCache = new Map<string, ShellSlot[]>();

/** The places of the values between `texts`, lexed once per distinct text (a loop renders the same text many times). */
function slotsFor(texts: readonly string[]): ShellSlot[] {
  const key = texts.join("\0");
  const hit = slotCache.get(key);
  if (hit) return hit;
  const pieces: Array<{ text: string } | { output: true }> = [{ text: texts[0]! }];
  for (const text of texts.slice(1)) pieces.push({ output: true }, { text });
  const slots = scanShellSlots(pieces);
  if (slotCache.size >= SLOT_CACHE_LIMIT) slotCache.delete(slotCache.keys().next().value!);
  slotCache.set(key, slots);
  return slots;
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
  const slots = slotsFor(texts);
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
    throw new ShellFault(
      "",
      "the command contains a NUL byte",
      "remove it: no shell command can carry one",
      outs[0]!.site,
    );
  }
  return placeValues(
    texts,
    outs.map((o) => o.text),
    (k, e) => {
      throw new ShellFault(outs[k]!.text, e.problem, e.hint, outs[k]!.site);
    },
  );
}
