/**
 * The documentation pages (README.md and docs/*.md) and what the docs tests read in their
 * markdown: fenced blocks with the marker comment before them, the prose around them, code
 * spans, GitHub's heading anchors, `##` sections.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./cli.ts";

/** Every page the docs tests check. */
export const PAGES = [
  "README.md",
  ...readdirSync(join(REPO_ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];
/** A page's text (its path from the repository root). */
export const read = (page: string) => readFileSync(join(REPO_ROOT, page), "utf8");

export interface Block {
  lang: string;
  body: string;
  /** The `<!-- … -->` comment on the line before the fence, if any. */
  marker: string | undefined;
  line: number;
}

/** Fenced blocks (``` or ~~~), with their language and the marker comment before them. */
export function fencedBlocks(text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence)) body.push(lines[j++]!.slice(open[1]!.length));
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === "") k--;
    const marker = k >= 0 ? /^<!--\s*(.*?)\s*-->$/.exec(lines[k]!.trim())?.[1] : undefined;
    blocks.push({ lang: open[3]!, body: body.join("\n"), marker, line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The text outside fenced blocks (block lines blanked, so line numbers stay). */
export function prose(text: string): string {
  const lines = text.split("\n");
  let fence: string | undefined;
  return lines
    .map((line) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence) {
        if (marker?.startsWith(fence)) fence = undefined;
        return "";
      }
      if (marker) {
        fence = marker;
        return "";
      }
      return line;
    })
    .join("\n");
}

/** Inline code spans of the prose. */
export function codeSpans(text: string): string[] {
  return [...prose(text).matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)].map((m) => m[2]!.trim());
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces → `-`, repeats numbered. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const plain = match[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

/** `## heading` sections of a page: heading text → section text (code included). */
export function sections(text: string, level: number): { heading: string; body: string }[] {
  const hashes = "#".repeat(level);
  const out: { heading: string; body: string }[] = [];
  const plain = prose(text).split("\n");
  const raw = text.split("\n");
  let current: { heading: string; lines: string[] } | undefined;
  for (let i = 0; i < raw.length; i++) {
    const heading = new RegExp(`^${hashes}\\s+(.+?)\\s*$`).exec(plain[i]!);
    const higher = /^(#+)\s/.exec(plain[i]!);
    if (heading || (higher && higher[1]!.length < level)) {
      if (current) out.push({ heading: current.heading, body: current.lines.join("\n") });
      current = heading ? { heading: heading[1]!, lines: [] } : undefined;
      continue;
    }
    current?.lines.push(raw[i]!);
  }
  if (current) out.push({ heading: current.heading, body: current.lines.join("\n") });
  return out;
}
