/**
 * Heredoc bodies: entering and leaving them, and their lines, read one character at a
 * time: where the shell ends the body, and which outputs sit next to text that could
 * join a value into the terminator line.
 *
 * Where the body ends: a line equal to the terminator (after removing leading tabs for
 * `<<-`) that holds no output — an output's own lines are checked by `insertIntoSlot`.
 * In an unquoted body a line ending in an odd number of `\` continues: bash compares the
 * joined line with the terminator, dash never ends the body on a continued line.
 *
 * The joins `insertIntoSlot` cannot see (`E{{x}}`, `{{x}}F`, `{{a}}{{b}}`, `1:{{x}}`): an
 * output that shares its line with text or another output is flagged, and its rendered
 * line is checked (`shell-render.ts`): a body fails only when a rendered line is the
 * terminator. A value alone on its line is checked by itself.
 */
import { newLine, type BodyLine, type Dialect, type Heredoc, type LexState } from "./shell-state.ts";
import { stripTabs } from "./shell-slot.ts";

const norm = (h: Heredoc, text: string) => (h.strip ? stripTabs(text) : text);
/** `<<-` strips any number of leading tabs: one stands for them all (keeps loops finite). */
const canonTabs = (h: Heredoc, text: string) => (h.strip ? text.replace(/^\t\t+/, "\t") : text);
/** `ok` of the text, or of the text without a final `\` that a continuation may still remove. */
const withJoin = (h: Heredoc, text: string, ok: (t: string) => boolean) =>
  ok(text) || (h.expands && text.endsWith("\\") && ok(text.slice(0, -1)));

const startsTerminator = (h: Heredoc, text: string) => h.terminator.startsWith(norm(h, text));
/** Text between outputs (or after the last) that could still be part of a terminator line. */
const inTerminator = (h: Heredoc, text: string) =>
  h.terminator.includes(text) || (h.strip && h.terminator.startsWith(stripTabs(text)));

/** One character of the line that is not `\n`. */
export function lineChar(line: BodyLine, h: Heredoc, c: string, dialect: Dialect): void {
  line.text = true;
  if (line.afterOutput) line.danger = true; // text after a value: the rendered line is checked
  if (line.term !== undefined) {
    const term = canonTabs(h, line.term + c);
    const alive = dialect === "bash" ? withJoin(h, term, (t) => startsTerminator(h, t)) : startsTerminator(h, term);
    line.term = alive ? term : undefined;
  }
  if (line.seg !== undefined) {
    const seg = canonTabs(h, line.seg + c);
    const alive = withJoin(h, seg, (t) => (line.afterOutput ? inTerminator(h, t) : startsTerminator(h, t)));
    line.seg = alive ? seg : undefined;
  }
  line.odd = c === "\\" ? !line.odd : false;
}

/** True when the `\n` about to be read ends the body: the line so far is the terminator line. */
export function endsBody(line: BodyLine, h: Heredoc, dialect: Dialect): boolean {
  if (line.term === undefined || norm(h, line.term) !== h.terminator) return false;
  return dialect === "posix" || !(h.expands && line.odd);
}

/** The outputs to flag when the line turns out dangerous. */
const flagged = (line: BodyLine) => (line.danger ? [...line.outs] : []);

/** An output on the line (`ord`); returns the outputs to flag. */
export function lineOutput(line: BodyLine, h: Heredoc, ord: number): number[] {
  const t = h.terminator;
  const seg = line.seg;
  if (line.text || line.afterOutput) line.danger = true; // text before a value, or another value: the rendered line is checked
  if (seg !== undefined && !line.afterOutput) {
    const first = norm(h, seg);
    if (first !== "" && t.startsWith(first)) line.danger = true;
  } else if (seg !== undefined) {
    if (t.includes(seg) || (h.strip && stripTabs(seg) !== "" && t.startsWith(stripTabs(seg)))) line.danger = true;
  }
  line.outs.push(ord);
  line.afterOutput = true;
  line.seg = "";
  line.term = undefined;
  line.odd = false;
  return flagged(line);
}

/** The text after the last output, at the end of the logical line; returns the outputs to flag. */
export function lineFinish(line: BodyLine, h: Heredoc): number[] {
  const seg = line.seg;
  if (line.afterOutput && seg !== undefined && seg !== "" && h.terminator.endsWith(seg)) line.danger = true;
  return flagged(line);
}

/** A `\n` that did not end the body; returns the outputs to flag. */
export function lineBreak(line: BodyLine, h: Heredoc, dialect: Dialect): number[] {
  const continued = h.expands && line.odd;
  line.odd = false;
  if (dialect === "bash") line.term = continued ? line.term?.slice(0, -1) : "";
  else line.term = continued ? undefined : "";
  if (continued) {
    line.seg = line.seg?.slice(0, -1);
    return [];
  }
  const flags = lineFinish(line, h);
  line.seg = "";
  line.afterOutput = false;
  line.danger = false;
  line.text = false;
  line.outs = [];
  return flags;
}

/** After the newline that ends a command with heredocs: the first body starts (the command text is kept for later). */
export function openBody(s: LexState, heredocs: readonly Heredoc[]): void {
  s.body = { heredoc: heredocs[0]!, queue: heredocs.slice(1), outer: s.stack, line: newLine() };
  s.stack = [{ kind: "hdbody" }];
  s.escaped = false;
  s.dollar = "none";
}

/** The terminator line was read: the next heredoc's body, or back to the command text. */
export function closeBody(s: LexState): void {
  const body = s.body!;
  s.body = undefined;
  s.stack = body.outer;
  if (body.queue.length) openBody(s, body.queue);
  s.escaped = false;
  s.dollar = "none";
}
