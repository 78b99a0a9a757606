/**
 * Where each `{{ }}` of a `run:` template lands in the shell command (SPEC §4.3), checked
 * at load time: the public face of the shell scan (`shell-lexer.ts` reads the text,
 * `shell-flow.ts` follows it through `{% if %}` / `{% for %}`).
 */
import type { Stmt } from "./ast.ts";
import { ShellFlow, type ShellNode } from "./shell-flow.ts";
import { ShellLexer } from "./shell-lexer.ts";
import { ERR, type ShellProblem } from "./shell-messages.ts";
import { sameSlot, type ShellSlot } from "./shell-slot.ts";
import { newState, type Dialect } from "./shell-state.ts";

type OutputStmt = Extract<Stmt, { kind: "output" }>;

/** The result of scanning a template: one slot per output, and the tags refused outright. */
export interface ShellScan {
  /** In source order (the order codegen numbers outputs in). */
  slots: ShellSlot[];
  /** The output statements, in the same order. */
  outputs: OutputStmt[];
  /** Sorted by offset, without duplicates. */
  problems: ShellProblem[];
}

/** The node tree of a template body; `outputs` collects the output statements in order. */
function toNodes(body: readonly Stmt[], outputs: OutputStmt[], nodes: ShellNode[] = []): ShellNode[] {
  for (const s of body) {
    const last = nodes[nodes.length - 1];
    if (s.kind === "text") {
      if (last?.kind === "text") last.text += s.text;
      else nodes.push({ kind: "text", text: s.text });
    } else if (s.kind === "output") {
      nodes.push({ kind: "output", ord: outputs.length, at: s.at });
      outputs.push(s);
    } else if (s.kind === "if") {
      const branches = s.branches.map((b) => toNodes(b.body, outputs));
      if (s.otherwise) branches.push(toNodes(s.otherwise, outputs));
      nodes.push({ kind: "if", at: s.at, branches, ends: s.ends, hasElse: s.otherwise !== undefined });
    } else if (s.kind === "for") {
      const body = toNodes(s.body, outputs);
      const otherwise = s.otherwise && toNodes(s.otherwise, outputs);
      nodes.push({ kind: "for", at: s.at, body, otherwise, bodyEnd: s.bodyEnd, end: s.end });
    }
  }
  return nodes;
}

function scanNodes(nodes: readonly ShellNode[], count: number): { slots: ShellSlot[]; problems: ShellProblem[] } {
  const run = (dialect: Dialect) => {
    const lexer = new ShellLexer(dialect);
    new ShellFlow(lexer).run(nodes, [newState()]);
    return lexer;
  };
  const posix = run("posix");
  const bash = run("bash");
  const slots = Array.from({ length: count }, (_, k) => {
    const a = posix.slots[k] ?? ERR.missing;
    const b = bash.slots[k] ?? ERR.missing;
    if (b.kind === "error") return b; // bash's reading names the richer constructs
    if (a.kind === "error") return a;
    return sameSlot(a, b) ? a : ERR.dialects;
  });
  const unique = new Map<string, ShellProblem>();
  for (const p of [...posix.problems, ...bash.problems]) unique.set(`${p.at}\0${p.message}`, p);
  const problems = [...unique.values()].sort((a, b) => a.at - b.at);
  return { slots, problems };
}

/**
 * Classifies every `{{ }}` output of a `run:` template body, following `{% if %}` and
 * `{% for %}`: an output gets the slot it has on every path to it, and a tag where the
 * paths meet in different shell contexts is a problem. The text is lexed twice — as dash
 * (`/bin/sh` on Debian) and as bash read it — and an output the two would place
 * differently is an error.
 */
export function scanShellTemplate(body: readonly Stmt[]): ShellScan {
  const outputs: OutputStmt[] = [];
  const nodes = toNodes(body, outputs);
  return { ...scanNodes(nodes, outputs.length), outputs };
}

/**
 * The same for straight-line text: `pieces` are literal shell text and output tags, in
 * order; the result has one slot per output piece, in order.
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
  return scanNodes(nodes, count).slots;
}
