/**
 * Runs the shell lexer along every path through a template's `{% if %}` and `{% for %}`.
 *
 * The rendered command is one of many texts: one branch of each `{% if %}`, any number
 * of passes of each `{% for %}` body. The scan carries the set of lexer states that can
 * hold at each point (one per distinct reading: different words, a different command
 * position…), runs each piece of text from every one of them, and gives each `{{ }}` the
 * slot it has in all of them (an error in any wins). Loops are run until the set of
 * states at the top of the body stops growing.
 *
 * On top of that, the rule users see: at every join (`{% elif %}`, `{% else %}`,
 * `{% endif %}`, the end of a `{% for %}` body and of its `{% else %}`) every path must be
 * in the same shell context — the same quotes, `$(`, `${`, subshells, `case`s and
 * heredocs open (`frames`). A branch or a loop body that leaves one open is refused at
 * that tag; an `{% if %}` without `{% else %}` has an empty branch that leaves nothing
 * open.
 */
import { END, OUT, type Follow } from "./shell-cursor.ts";
import type { ShellLexer } from "./shell-lexer.ts";
import { branchProblem, loopProblem, tooComplexProblem, type BranchTag } from "./shell-messages.ts";
import { cloneState, describeDifference, mergeState, shapeKey, variantKey, type LexState } from "./shell-state.ts";

/** The template as the shell scan sees it: literal text, outputs, and the control structure around them. */
export type ShellNode =
  /** Literal text; consecutive text (around `{% set %}` and comments) is one node. */
  | { kind: "text"; text: string }
  /** The `ord`-th output of the template (source order), its tag at `at`. */
  | { kind: "output"; ord: number; at: number }
  /** Branches in order (the `{% else %}` last when `hasElse`); `ends[k]` is the tag that ends branch k. */
  | { kind: "if"; at: number; branches: ShellNode[][]; ends: number[]; hasElse: boolean }
  /** `bodyEnd` is the `{% else %}` or `{% endfor %}` after the body, `end` the `{% endfor %}`. */
  | { kind: "for"; at: number; body: ShellNode[]; otherwise: ShellNode[] | undefined; bodyEnd: number; end: number };

/** More readings than this at one point, or more loop rounds, and the scan gives up (the outputs are decided at render time). */
const MAX_STATES = 64;
const MAX_ROUNDS = 32;
/**
 * Loop body runs per `{% for %}` of the template, over the whole scan: past this, the scan
 * gives up instead of working harder, so its cost stays linear in the template's size
 * whatever the nesting (about 40 runs per loop are seen with an `{% if %}` in every level).
 */
const ROUNDS_PER_LOOP = 64;

/** How many `{% for %}` nodes `nodes` holds, at any depth. */
function loopCount(nodes: readonly ShellNode[]): number {
  let count = 0;
  for (const node of nodes) {
    if (node.kind === "for") count += 1 + loopCount(node.body) + loopCount(node.otherwise ?? []);
    else if (node.kind === "if") for (const branch of node.branches) count += loopCount(branch);
  }
  return count;
}

const union = (...sets: Follow[]): Follow => new Set(sets.flatMap((s) => [...s]));

/** What can come first in a node list from one position on, and whether it can produce no text at all. */
interface Firsts {
  chars: Follow;
  empty: boolean;
}

const NOTHING: Firsts = { chars: new Set(), empty: true };
const firstsCache = new WeakMap<readonly ShellNode[], Firsts[]>();

/**
 * `Firsts` of every suffix of `nodes`, worked out once per node list: a body nested 800
 * deep is asked at every level of the scan, and walking into it again each time made the
 * scan quadratic in the depth.
 */
function firstsOf(nodes: readonly ShellNode[]): Firsts[] {
  let table = firstsCache.get(nodes);
  if (table) return table;
  table = new Array<Firsts>(nodes.length + 1);
  table[nodes.length] = NOTHING;
  for (let k = nodes.length - 1; k >= 0; k--) {
    const own = nodeFirsts(nodes[k]!);
    const rest = table[k + 1]!;
    table[k] = own.empty ? { chars: union(own.chars, rest.chars), empty: rest.empty } : own;
  }
  firstsCache.set(nodes, table);
  return table;
}

function nodeFirsts(node: ShellNode): Firsts {
  switch (node.kind) {
    case "text":
      return node.text === "" ? NOTHING : { chars: new Set([node.text[0]!]), empty: false };
    case "output":
      return { chars: new Set([OUT]), empty: false };
    case "if": {
      const branches = node.branches.map((b) => firstsOf(b)[0]!);
      return { chars: union(...branches.map((b) => b.chars)), empty: !node.hasElse || branches.some((b) => b.empty) };
    }
    case "for": {
      // without `{% else %}` the loop can run no pass; with it, a pass or the else runs
      const body = firstsOf(node.body)[0]!;
      const otherwise = node.otherwise ? firstsOf(node.otherwise)[0]! : NOTHING;
      return { chars: union(body.chars, otherwise.chars), empty: body.empty || otherwise.empty };
    }
  }
}

/** What can come first in `nodes` (from `from`), on some path; `after` when they can produce nothing. */
function firstOf(nodes: readonly ShellNode[], from: number, after: Follow): Follow {
  const { chars, empty } = firstsOf(nodes)[from]!;
  return empty ? union(chars, after) : chars;
}

/** The shell-context shapes of a set of states, as one comparable key. */
const shapes = (states: readonly LexState[]) => [...new Set(states.map(shapeKey))].sort().join("\n\n");

/** One dialect's scan of a template's node tree. */
export class ShellFlow {
  /** The end states of each `{% for %}` by the states it was entered from (see `forNode`). */
  private readonly loopRuns = new Map<ShellNode, Map<string, LexState[]>>();

  constructor(private readonly lexer: ShellLexer) {}

  /** Loop body runs left before the scan gives up (see `ROUNDS_PER_LOOP`). */
  private roundsLeft = 0;

  /** Scans `nodes` from `states`; returns the states at the end of the template. */
  run(nodes: readonly ShellNode[], states: LexState[]): LexState[] {
    this.roundsLeft = ROUNDS_PER_LOOP * loopCount(nodes);
    const end = this.seq(nodes, undefined, new Set([END]), states);
    for (const s of end) this.lexer.finish(s);
    return end;
  }

  /** `nodes` from `states`; `closeAt` is the tag after them, `follow` what comes after them. */
  private seq(
    nodes: readonly ShellNode[],
    closeAt: number | undefined,
    follow: Follow,
    states: LexState[],
  ): LexState[] {
    nodes.forEach((node, k) => {
      const after = firstOf(nodes, k + 1, follow);
      if (node.kind === "output") {
        this.lexer.gluedTo(node.ord, after);
        states = this.distinct(
          states.map((s) => this.lexer.output(s, node.ord)),
          node.at,
        );
        return;
      }
      const nextNode = nodes[k + 1];
      const nextAt = nextNode && nextNode.kind !== "text" ? nextNode.at : closeAt;
      if (node.kind === "text")
        states = this.distinct(
          states.map((s) => this.lexer.text(s, node.text, after, nextAt)),
          nextAt,
        );
      else if (node.kind === "if") states = this.ifNode(node, after, states);
      else states = this.forNode(node, after, states);
    });
    return states;
  }

  /** Merges states that read the rest alike; gives up (a problem at `at`) past `MAX_STATES`. */
  private distinct(states: LexState[], at: number | undefined): LexState[] {
    if (states.length < 2) return states; // nothing to merge: the usual straight-line case, without building keys
    const byKey = new Map<string, LexState>();
    for (const s of states) {
      const key = variantKey(s);
      const seen = byKey.get(key);
      if (seen) mergeState(seen, s);
      else byKey.set(key, s);
    }
    const out = [...byKey.values()];
    if (out.length <= MAX_STATES) return out;
    if (at !== undefined) this.lexer.problems.push(tooComplexProblem(at, false));
    return out.slice(0, MAX_STATES);
  }

  private ifNode(node: Extract<ShellNode, { kind: "if" }>, after: Follow, entry: LexState[]): LexState[] {
    const results = node.branches.map((b, k) => this.seq(b, node.ends[k], after, entry.map(cloneState)));
    if (!node.hasElse) results.push(entry);
    const keys = results.map(shapes);
    // without `{% else %}` the empty branch is the reference; otherwise the most common ending
    const ref = node.hasElse ? mostCommon(keys) : keys.length - 1;
    const kept: LexState[] = [];
    results.forEach((states, k) => {
      if (keys[k] === keys[ref]) kept.push(...states);
      else {
        const tag: BranchTag = k === 0 ? "if" : node.hasElse && k === node.branches.length - 1 ? "else" : "elif";
        const [odd, like] = [states[0], results[ref]![0]];
        const { open, closes } =
          odd && like ? describeDifference(odd, like) : { open: "a shell context", closes: false };
        this.lexer.problems.push(branchProblem(node.ends[k]!, tag, open, closes));
      }
    });
    return this.distinct(kept, node.ends[node.ends.length - 1]);
  }

  /**
   * A `{% for %}` from `entry`, run once per distinct entry: a loop nested in another one's
   * body is reached again on every pass of the outer loop, mostly from states it has
   * already run from, and running it again each time made 800 nested loops take minutes
   * (each level ran every level inside it again). The same entry states (outputs in the
   * current word included) give the same end states, and the slots and problems the run
   * records are already recorded (recording is a join: the same slot again changes nothing).
   */
  private forNode(node: Extract<ShellNode, { kind: "for" }>, after: Follow, entry: LexState[]): LexState[] {
    const key = `${[...after].join("\0")}\n${entry.map((s) => JSON.stringify(s)).join("\n")}`;
    let runs = this.loopRuns.get(node);
    if (!runs) this.loopRuns.set(node, (runs = new Map()));
    const known = runs.get(key);
    if (known) return known.map(cloneState);
    const out = this.loop(node, after, entry);
    runs.set(key, out.map(cloneState));
    return out;
  }

  private loop(node: Extract<ShellNode, { kind: "for" }>, after: Follow, entry: LexState[]): LexState[] {
    const bodyFollow = union(firstOf(node.body, 0, after), after);
    const entryShapes = new Set(entry.map(shapeKey));
    const conforming = (states: readonly LexState[], at: number, part: "body" | "else") => {
      const odd = states.find((s) => !entryShapes.has(shapeKey(s)));
      if (odd) {
        const { open, closes } = describeDifference(odd, entry[0]!);
        this.lexer.problems.push(loopProblem(at, part, open, closes));
      }
      return states.filter((s) => entryShapes.has(shapeKey(s)));
    };
    // body-entry states already run (merged outputs can make one run again), and the body's end states
    const seen = new Map(entry.map((s) => [variantKey(s), s]));
    const ends = new Map<string, LexState>();
    let frontier = entry;
    for (let round = 0; frontier.length; round++) {
      if (round === MAX_ROUNDS || this.roundsLeft-- <= 0) {
        this.lexer.problems.push(tooComplexProblem(node.bodyEnd, true));
        break;
      }
      const out = conforming(
        this.seq(node.body, node.bodyEnd, bodyFollow, frontier.map(cloneState)),
        node.bodyEnd,
        "body",
      );
      frontier = [];
      for (const s of out) {
        const key = variantKey(s);
        const end = ends.get(key);
        if (end) mergeState(end, s);
        else ends.set(key, cloneState(s));
        const prev = seen.get(key);
        if (!prev) {
          seen.set(key, s);
          frontier.push(s);
        } else if (mergeState(prev, s)) frontier.push(prev);
      }
    }
    const none = node.otherwise
      ? conforming(this.seq(node.otherwise, node.end, after, entry.map(cloneState)), node.end, "else")
      : entry;
    const out = [...none, ...ends.values()];
    return this.distinct(out.length ? out : entry, node.end); // nothing conforms: already refused, go on from the entry
  }
}

/** The index of the first of the most frequent keys. */
function mostCommon(keys: readonly string[]): number {
  let best = 0;
  let bestCount = 0;
  keys.forEach((key, k) => {
    const count = keys.filter((other) => other === key).length;
    if (count > bestCount) [best, bestCount] = [k, count];
  });
  return best;
}
