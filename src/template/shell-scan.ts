/**
 * Where each `{{ }}` of a `run:` template lands in the shell command (SPEC docs/templates.md#how-values-are-rendered), worked
 * out at load time: the public face of the shell scan (`shell-lexer.ts` reads the text,
 * `shell-flow.ts` follows it through `{% if %}` / `{% for %}`).
 *
 * The scan decides what it can for every value and leaves the rest to render time: an
 * output whose place it cannot be sure of — after a construct it cannot follow, past its
 * limits, where sh and bash or two template paths disagree, in a template with a
 * statement it does not know — gets the `render` slot, and the renderer lexes the real
 * rendered text instead (`shell-render.ts`). Only a place wrong for every value (inside
 * quotes, after `\` or `$`, in the arguments of `eval`) is an `error` slot.
 */
import type { Stmt } from "./ast.ts";
import { ShellFlow, type ShellNode } from "./shell-flow.ts";
import { ShellLexer } from "./shell-lexer.ts";
import { renderSlot, type ShellProblem } from "./shell-messages.ts";
import { sameSlot, type ShellSlot } from "./shell-slot.ts";
import { newState, type Dialect } from "./shell-state.ts";

type OutputStmt = Extract<Stmt, { kind: "output" }>;

/** The result of scanning a template: one slot per output. */
export interface ShellScan {
  /** In source order (the order codegen numbers outputs in). */
  slots: ShellSlot[];
  /** The output statements, in the same order. */
  outputs: OutputStmt[];
  /** Why the scan could not follow the template (then every slot is `render`); sorted by offset. */
  problems: ShellProblem[];
  /** Some output is decided at render time: the template renders through `renderShell`. */
  dynamic: boolean;
}

/** The node tree of a template body; `outputs` collects the output statements in order; `unknown` any other statement. */
function toNodes(
  body: readonly Stmt[],
  outputs: OutputStmt[],
  flags: { unknown: boolean },
  nodes: ShellNode[] = [],
): ShellNode[] {
  for (const s of body) {
    const last = nodes[nodes.length - 1];
    if (s.kind === "text") {
      if (last?.kind === "text") last.text += s.text;
      else nodes.push({ kind: "text", text: s.text });
    } else if (s.kind === "output") {
      nodes.push({ kind: "output", ord: outputs.length, at: s.at });
      outputs.push(s);
    } else if (s.kind === "if") {
      const branches = s.branches.map((b) => toNodes(b.body, outputs, flags));
      if (s.otherwise) branches.push(toNodes(s.otherwise, outputs, flags));
      nodes.push({ kind: "if", at: s.at, branches, ends: s.ends, hasElse: s.otherwise !== undefined });
    } else if (s.kind === "for") {
      const body = toNodes(s.body, outputs, flags);
      const otherwise = s.otherwise && toNodes(s.otherwise, outputs, flags);
      nodes.push({ kind: "for", at: s.at, body, otherwise, bodyEnd: s.bodyEnd, end: s.end });
    } else if (s.kind === "with") {
      toNodes(s.body, outputs, flags, nodes); // its body is command text like any other
    } else if (s.kind === "macro" || (s.kind === "capture" && s.target !== undefined)) {
      // a macro or a block `set` writes no command text: its outputs are text of a value (codegen gives them no slot)
    } else if (s.kind !== "set" || "body" in s) {
      flags.unknown = true; // a statement kind this scan does not know: its outputs are placed at render time
    }
  }
  return nodes;
}

/** All the literal text of the nodes, an output as `\0`: for the `declare -i` pre-scan. */
function flatText(nodes: readonly ShellNode[]): string {
  const one = (n: ShellNode): string => {
    if (n.kind === "text") return n.text;
    if (n.kind === "output") return "\0";
    if (n.kind === "if") return n.branches.map(flatText).join("\n");
    return `${flatText(n.body)}\n${flatText(n.otherwise ?? [])}`;
  };
  return nodes.map(one).join("");
}

const DECLARE_OPTS =
  /(?:^|[\s;&|(){}`])(?:declare|typeset|local|readonly|export)((?:[ \t]+[-+][A-Za-z]+)+)([^;&|)\n]*)/g;

/**
 * The variables `text` declares with option `flag` — `i` (`declare -i n`, `local -ri
 * x=1`): assigning to them evaluates the value as arithmetic; `A` (`declare -A m`): their
 * subscripts are string keys, not arithmetic — anywhere, and `*` when such a
 * declaration names one it cannot read. Text order does not matter (a loop can run the
 * declaration before the assignment).
 */
export function declaredNames(text: string, flag: "i" | "A"): Set<string> {
  const names = new Set<string>();
  if (!new RegExp(`-[A-Za-z]*${flag}`).test(text)) return names;
  for (const m of text.matchAll(DECLARE_OPTS)) {
    if (!m[1]!.replace(/[^A-Za-z]/g, "").includes(flag)) continue;
    for (const word of m[2]!.trim().split(/[ \t]+/)) {
      const name = /^[A-Za-z_]\w*/.exec(word)?.[0];
      if (word === "") continue;
      if (name && !word.slice(name.length).includes("\0") && /^(\[|\+?=|$)/.test(word.slice(name.length)))
        names.add(name);
      else if (!/^[-+]/.test(word)) names.add("*");
    }
  }
  return names;
}

/** One slot for both readings: an error in either wins; different places are decided at render time. */
function combine(a: ShellSlot | undefined, b: ShellSlot | undefined, glued: boolean): ShellSlot {
  if (!a || !b) return renderSlot();
  if (b.kind === "error") return b; // bash's reading names the richer constructs
  if (a.kind === "error") return a;
  if (b.kind === "render" || a.kind === "render") return b.kind === "render" ? b : a;
  // bash alone reads arithmetic and names in `a[…]=`, `[[ … ]]`: its check is stricter, and its values are plain words to sh
  if (a.kind === "word" && b.kind === "word") {
    return { kind: "word", force: a.force || b.force || glued, ...((a.array || b.array) && { array: true }) };
  }
  if (a.kind === "word" && (b.kind === "number" || b.kind === "name")) return b;
  if (b.kind === "word" && (a.kind === "number" || a.kind === "name")) return a;
  if (!sameSlot(a, b)) return renderSlot();
  return a.kind === "word" && glued ? { ...a, force: true } : a;
}

function scanNodes(nodes: readonly ShellNode[], count: number, unknown: boolean): Omit<ShellScan, "outputs"> {
  const text = flatText(nodes);
  const ints = declaredNames(text, "i");
  const assocs = declaredNames(text, "A");
  const run = (dialect: Dialect) => {
    const lexer = new ShellLexer(dialect, ints, assocs);
    new ShellFlow(lexer).run(nodes, [newState()]);
    return lexer;
  };
  const posix = run("posix");
  const bash = run("bash");
  const unique = new Map<string, ShellProblem>();
  for (const p of [...posix.problems, ...bash.problems]) unique.set(`${p.at}\0${p.message}`, p);
  const problems = [...unique.values()].sort((a, b) => a.at - b.at);
  if (unknown || problems.length)
    return { slots: Array.from({ length: count }, () => renderSlot()), problems, dynamic: true };
  const glued = (k: number) => posix.glued.has(k) || bash.glued.has(k);
  const slots = Array.from({ length: count }, (_, k) => combine(posix.slots[k], bash.slots[k], glued(k)));
  const dynamic = slots.some((s) => s.kind === "render" || (s.kind === "heredoc" && s.joined === true));
  return { slots, problems, dynamic };
}

/**
 * Classifies every `{{ }}` output of a `run:` template body, following `{% if %}` and
 * `{% for %}`: an output gets the slot it has on every path to it. The text is lexed
 * twice — as dash (`/bin/sh` on Debian) and as bash read it.
 */
export function scanShellTemplate(body: readonly Stmt[]): ShellScan {
  const outputs: OutputStmt[] = [];
  const flags = { unknown: false };
  const nodes = toNodes(body, outputs, flags);
  return { ...scanNodes(nodes, outputs.length, flags.unknown), outputs };
}

/**
 * The same for straight-line text — a rendered command with its values cut out:
 * `pieces` are literal shell text and outputs, in order; one slot per output piece.
 */
export function scanShellSlots(pieces: ReadonlyArray<{ text: string } | { output: true }>): ShellSlot[] {
  const nodes: ShellNode[] = [];
  let count = 0;
  for (const piece of pieces) {
    const last = nodes[nodes.length - 1];
    if ("output" in piece) nodes.push({ kind: "output", ord: count++, at: 0 });
    else if (last?.kind === "text") last.text += piece.text;
    else nodes.push({ kind: "text", text: piece.text });
  }
  return scanNodes(nodes, count, false).slots;
}
