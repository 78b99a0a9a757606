import type { ShellSlot } from "./shell-slot.ts";

/** The two shells a `run:` command must mean the same thing in: dash (`/bin/sh`) and bash. */
export type Dialect = "posix" | "bash";
/** What the lexer just read that a value glued on next would change: `$`, `$name`, a leading `~`. */
export type Tail = "none" | "bare" | "name" | "tilde";
type CasePhase = "subject" | "in" | "pattern" | "body";

/** Command text: the top level, or the inside of `$( … )`. */
export interface CmdCtx {
  kind: "cmd";
  subst: boolean;
  paren: number;
  /** At a place where a reserved word (`case`, `esac`, `((`) is recognised. */
  cmdPos: boolean;
  inWord: boolean;
  /** The current word (see `canonWord`): what decides keywords, assignments and subscripts. */
  word: string;
  plain: boolean;
  /** Unquoted `{` not yet closed in the current word: bash brace expansion (saturates at `BRACE_CAP`). */
  brace: number;
  /** Inside `name[` or a leading `[` of a word: a subscript where a builtin reads a variable name, a glob bracket elsewhere. */
  subscript: boolean;
  /**
   * The command name of the current simple command, as far as it matters (`eval`, `read`,
   * `declare`…, `?` for any other, `command` while `command`/`builtin` waits for the name),
   * or "" before it.
   */
  cmd: string;
  /** The previous argument when it was an option (canonical, see `canonWord`), else "". */
  prev: string;
  /** The option letters a declaration command was given that change its arguments: `i`, `n`. */
  opts: string;
  /** The current word is an assignment to a variable declared `-i` (the value is arithmetic). */
  assignInt: boolean;
  /** The current word is the target of a redirection (`> file`, `< file`). */
  redir: boolean;
  /** Inside the parentheses of an array assignment `a=( … )`. */
  array: boolean;
  /** Every word so far in this command was an assignment: bash reads `name[ … ]` whole here. */
  afterAssign: boolean;
  /**
   * Inside bash `[[ … ]]`: `arith` when the previous word was an arithmetic operator
   * (`-eq` …), `outs` the outputs of the current word, `lastOuts` of the previous one
   * (the left operand when an operator follows).
   */
  test: { arith: boolean; prev: string; outs: number[]; lastOuts: number[] } | undefined;
  cases: Array<{ baseline: number; phase: CasePhase }>;
}

/** One level of shell quoting or expansion the lexer is inside. */
export type Ctx =
  | CmdCtx
  | { kind: "sq" | "dq" | "ansi" | "bq" | "comment" | "hdbody" }
  /** `assoc`: the array is declared `-A`, so the subscript is a string key, not arithmetic. */
  | { kind: "subscript"; depth: number; assoc: boolean }
  /** `head`: the text after `${` while it can still decide that the rest is arithmetic (`${v:`, `${a[`). */
  | { kind: "param"; inDq: boolean; head: string }
  | { kind: "arith"; paren: number; bracket: boolean };

/** A heredoc whose delimiter was read; `owner` is the stack depth of the command text that started it. */
export interface Heredoc {
  terminator: string;
  strip: boolean;
  expands: boolean;
  owner: number;
}

/**
 * The heredoc body line being read, as far as it matters: whether it can still be the
 * terminator line, and whether the text around its outputs could join a value into one.
 * Texts that can no longer matter are dropped (`undefined`), so that different texts
 * that lead to the same decisions compare equal.
 */
export interface BodyLine {
  /** The line so far (bash: the logical line, dash: the physical one) while it can still equal the terminator. */
  term: string | undefined;
  /** Text since the last output (or since the line start) while it could still join a value into the terminator. */
  seg: string | undefined;
  afterOutput: boolean;
  /** Text next to an output on this line could spell the terminator: flag every output on it. */
  danger: boolean;
  /** The line has text besides its outputs (then the rendered line is checked, not the value alone). */
  text: boolean;
  outs: number[];
  /** The line ends in an odd number of backslashes (a continuation in an unquoted body). */
  odd: boolean;
}

/** Inside a heredoc body: the heredoc, the ones whose bodies follow, the command text to return to. */
export interface Body {
  heredoc: Heredoc;
  queue: Heredoc[];
  outer: Ctx[];
  line: BodyLine;
}

/** Everything the lexer knows at one point of the text; the scan carries one per path. */
export interface LexState {
  stack: Ctx[];
  escaped: boolean;
  dollar: Tail;
  pending: Heredoc[];
  poison: ShellSlot | undefined;
  body: Body | undefined;
  /** The delimiter being read runs into the next output. */
  delimiterOutput: boolean;
}

/** `{` counts above this stay open for good: a bound that keeps loops finite and errs on the safe side. */
export const BRACE_CAP = 4;

/** Fresh command text: the top level (`subst` false) or the inside of `$( … )`. */
export const newCmd = (subst: boolean): CmdCtx => ({
  kind: "cmd",
  subst,
  paren: 0,
  cmdPos: true,
  inWord: false,
  word: "",
  plain: true,
  brace: 0,
  subscript: false,
  cmd: "",
  prev: "",
  opts: "",
  assignInt: false,
  redir: false,
  array: false,
  afterAssign: false,
  test: undefined,
  cases: [],
});

/** The state at the start of a command. */
export const newState = (): LexState => ({
  stack: [newCmd(false)],
  escaped: false,
  dollar: "none",
  pending: [],
  poison: undefined,
  body: undefined,
  delimiterOutput: false,
});

/** A fresh line of a heredoc body. */
export const newLine = (): BodyLine => ({
  term: "",
  seg: "",
  afterOutput: false,
  danger: false,
  text: false,
  outs: [],
  odd: false,
});

const cloneCtx = (c: Ctx): Ctx =>
  c.kind === "cmd"
    ? {
        ...c,
        test: c.test && { ...c.test, outs: [...c.test.outs], lastOuts: [...c.test.lastOuts] },
        cases: c.cases.map((k) => ({ ...k })),
      }
    : { ...c };

/** A deep copy: states on different paths never share mutable parts. */
export function cloneState(s: LexState): LexState {
  return {
    ...s,
    stack: s.stack.map(cloneCtx),
    pending: s.pending.map((h) => ({ ...h })),
    body: s.body && {
      heredoc: { ...s.body.heredoc },
      queue: s.body.queue.map((h) => ({ ...h })),
      outer: s.body.outer.map(cloneCtx),
      line: { ...s.body.line, outs: [...s.body.line.outs] },
    },
  };
}

/**
 * Identifies states that read the rest of the text alike. Output lists and the heredoc
 * line's `danger` are left out: they only add errors, and `mergeState` unions them.
 */
export function variantKey(s: LexState): string {
  return JSON.stringify(s, (key, value: unknown) =>
    key === "outs" || key === "lastOuts" || key === "danger" ? undefined : value,
  );
}

const union = (into: number[], from: readonly number[]): boolean => {
  let changed = false;
  for (const o of from) {
    if (!into.includes(o)) {
      into.push(o);
      changed = true;
    }
  }
  return changed;
};

/** Merges `from` (same `variantKey`) into `into`; true when `into` gained an output or a danger. */
export function mergeState(into: LexState, from: LexState): boolean {
  let changed = false;
  const stacks: Array<[Ctx[], Ctx[]]> = [[into.stack, from.stack]];
  if (into.body && from.body) {
    stacks.push([into.body.outer, from.body.outer]);
    changed = union(into.body.line.outs, from.body.line.outs) || changed;
    if (from.body.line.danger && !into.body.line.danger) into.body.line.danger = changed = true;
  }
  for (const [a, b] of stacks) {
    a.forEach((ctx, k) => {
      const other = b[k];
      if (ctx.kind === "cmd" && ctx.test && other?.kind === "cmd" && other.test) {
        changed = union(ctx.test.outs, other.test.outs) || changed;
        changed = union(ctx.test.lastOuts, other.test.lastOuts) || changed;
      }
    });
  }
  return changed;
}

/** One level of the shell context, for comparing paths at a join: a key and words for messages. */
export interface Frame {
  key: string;
  label: string;
}

const CTX_LABELS: Record<string, string> = {
  sq: "a `'…'` quote",
  dq: 'a `"…"` quote',
  ansi: "a `$'…'` quote",
  bq: "a backtick command",
  param: "a `${ … }` expansion",
  arith: "a `$(( … ))` arithmetic expansion",
  subscript: "an array subscript `[ … ]`",
};

function ctxFrames(stack: readonly Ctx[], out: Frame[]): void {
  for (const ctx of stack) {
    if (ctx.kind === "cmd") {
      if (ctx.subst) out.push({ key: "$(", label: "a `$( … )` command substitution" });
      for (let k = 0; k < ctx.paren; k++) out.push({ key: "(", label: "a `( … )` subshell" });
      for (const c of ctx.cases) out.push({ key: `case ${c.baseline} ${c.phase}`, label: "a `case`" });
      if (ctx.test) out.push({ key: "[[", label: "a `[[ … ]]` test" });
    } else if (ctx.kind === "arith") out.push({ key: `arith ${ctx.paren} ${ctx.bracket}`, label: CTX_LABELS.arith! });
    else if (ctx.kind === "subscript") out.push({ key: `subscript ${ctx.depth}`, label: CTX_LABELS.subscript! });
    else if (ctx.kind === "param") out.push({ key: `param ${ctx.inDq}`, label: CTX_LABELS.param! });
    else if (ctx.kind !== "comment" && ctx.kind !== "hdbody") out.push({ key: ctx.kind, label: CTX_LABELS[ctx.kind]! });
  }
}

const heredocKey = (h: Heredoc) => `${h.terminator}\0${h.strip}\0${h.expands}\0${h.owner}`;

/**
 * The nesting of quotes, expansions, subshells, `case`s and heredocs at a point: what
 * every path into a join must agree on. A comment is left out (it ends at the newline
 * on every path), and so is everything about the current word.
 */
export function frames(s: LexState): Frame[] {
  const out: Frame[] = [];
  if (s.body) {
    ctxFrames(s.body.outer, out);
    const queue = s.body.queue.map(heredocKey).join("\n");
    out.push({ key: `heredoc ${heredocKey(s.body.heredoc)} ${queue}`, label: "a heredoc" });
  }
  ctxFrames(s.stack, out);
  for (const h of s.pending) out.push({ key: `pending ${heredocKey(h)}`, label: "a heredoc" });
  if (s.escaped) out.push({ key: "escaped", label: "a backslash escape" });
  return out;
}

/** `frames` as one comparable string. */
export const shapeKey = (s: LexState): string =>
  frames(s)
    .map((f) => f.key)
    .join("\n");

/**
 * How the context of `odd` differs from `ref`: the first level where they part, named
 * from `odd`'s side (`closes` false: `odd` has it open) or from `ref`'s (`closes` true).
 */
export function describeDifference(odd: LexState, ref: LexState): { open: string; closes: boolean } {
  const a = frames(odd);
  const b = frames(ref);
  let k = 0;
  while (k < a.length && k < b.length && a[k]!.key === b[k]!.key) k++;
  if (k < a.length) return { open: a[k]!.label, closes: false };
  return { open: b[k]?.label ?? "a shell context", closes: true };
}
