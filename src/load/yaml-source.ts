import {
  LineCounter,
  parseDocument,
  isMap,
  isPair,
  isScalar,
  visit,
  type Document,
  type Node,
  type Scalar,
} from "yaml";
import type { Diagnostic } from "../errors/diagnostic.ts";
import { describeYamlError } from "./yaml-errors.ts";

/** A YAML file read with source positions kept, so every later problem can point at a line and column. */
export class SourceFile {
  readonly lines: string[];
  private readonly counter: LineCounter;
  constructor(
    readonly path: string,
    readonly text: string,
    readonly doc: Document.Parsed,
    counter: LineCounter,
  ) {
    this.counter = counter;
    this.lines = text.split(/\r?\n/);
  }

  private jsValue: unknown;
  private stepIndex?: Map<string, { key: Node; value: Node | null }>;

  /** The document as plain data (computed once). */
  get value(): unknown {
    if (this.jsValue === undefined) this.jsValue = this.doc.toJS({ maxAliasCount: 1000 }) ?? null;
    return this.jsValue;
  }

  /** The key and value nodes of a step under `steps:` (indexed once: pipelines can have hundreds of steps). */
  stepEntry(name: string): { key: Node; value: Node | null } | undefined {
    if (!this.stepIndex) {
      this.stepIndex = new Map();
      const steps = this.doc.get("steps", true);
      if (isMap(steps)) {
        for (const pair of steps.items) {
          if (isPair(pair) && isScalar(pair.key) && !this.stepIndex.has(String(pair.key.value))) {
            this.stepIndex.set(String(pair.key.value), { key: pair.key, value: (pair.value as Node | null) ?? null });
          }
        }
      }
    }
    return this.stepIndex.get(name);
  }

  /** The key and value nodes of `field` inside a step's mapping. */
  stepField(step: string, field: string): { key: Node; value: Node | null } | undefined {
    const node = this.stepEntry(step)?.value;
    if (!isMap(node)) return undefined;
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === field);
    return pair ? { key: pair.key as Node, value: (pair.value as Node | null) ?? null } : undefined;
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; col: number } {
    const { line, col } = this.counter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line, col };
  }

  /** A diagnostic located at `offset`, carrying its source line for the caret snippet. */
  at(
    offset: number,
    fields: Omit<Diagnostic, "file" | "line" | "col" | "severity"> & { severity?: Diagnostic["severity"] },
  ): Diagnostic {
    const { line, col } = this.position(offset);
    return { severity: "error", ...fields, file: this.path, line, col, sourceLine: this.lines[line - 1] ?? "" };
  }

  /** Offset where a node's text starts (0 for a node without a range). */
  static start(node: Node | null | undefined): number {
    return node?.range?.[0] ?? 0;
  }

  /**
   * Maps an offset inside a scalar's parsed value to an offset in the file. Exact for
   * plain and quoted one-line scalars without escapes and for literal blocks (`|`);
   * approximate (clamped to the node) for folded and multi-line flow scalars.
   */
  valueOffset(node: Scalar, offsetInValue: number): number {
    const [start, end] = node.range ?? [0, 0];
    const value = typeof node.value === "string" ? node.value : String(node.value);
    if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
      const before = value.slice(0, offsetInValue);
      const lineIndex = before.split("\n").length - 1;
      const colInValue = offsetInValue - (before.lastIndexOf("\n") + 1);
      const headerLine = this.position(start).line;
      const sourceLineNo = headerLine + 1 + lineIndex;
      const sourceLine = this.lines[sourceLineNo - 1] ?? "";
      const indent = sourceLine.length - sourceLine.trimStart().length;
      const lineStart = this.lineStartOffset(sourceLineNo);
      return Math.min(lineStart + indent + colInValue, end);
    }
    const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? 1 : 0;
    return Math.min(start + quoted + offsetInValue, Math.max(start, end - quoted));
  }

  private lineStartOffset(line: number): number {
    let offset = 0;
    for (let i = 0; i < line - 1 && i < this.lines.length; i++) offset += this.lines[i]!.length + 1;
    return offset;
  }
}

export interface LoadedYaml {
  source?: SourceFile;
  diagnostics: Diagnostic[];
}

/** Parses YAML text (duplicate keys are errors); syntax problems come back as diagnostics, never thrown. */
export function parseYaml(path: string, text: string): LoadedYaml {
  const counter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
    keepSourceTokens: false,
  });
  const source = new SourceFile(path, text, doc, counter);
  const diagnostics = doc.errors.map((error) => {
    const problem = describeYamlError(text, error);
    return source.at(problem.offset, { message: problem.message, hint: problem.hint });
  });
  for (const warning of doc.warnings) {
    diagnostics.push(
      source.at(warning.pos[0], { severity: "warning", message: `YAML: ${firstSentence(warning.message)}` }),
    );
  }
  if (!diagnostics.some((d) => d.severity === "error")) {
    const bomb = aliasExpansionProblem(source, doc);
    if (bomb) diagnostics.push(bomb);
  }
  return { source, diagnostics };
}

/**
 * A document whose aliases expand past `MAX_ALIAS_EXPANSION` nodes (a "billion laughs"
 * file) would take the memory of every copy: refused at its first alias, before any value
 * is built.
 */
function aliasExpansionProblem(source: SourceFile, doc: Document): Diagnostic | undefined {
  try {
    void source.value;
    return undefined;
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    let first: number | undefined;
    visit(doc, {
      Alias: (_key, node) => {
        first ??= node.range?.[0];
        return visit.BREAK;
      },
    });
    return source.at(first ?? 0, {
      message:
        "YAML aliases here expand into too many copies (more than 1,000 alias uses): the file would take huge memory to read",
      hint: "write the values out, or use fewer nested aliases (*name)",
    });
  }
}

function firstSentence(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
