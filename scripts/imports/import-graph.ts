/**
 * The imports between the top folders of `src/`: every `import … from`, `export … from`,
 * bare `import "…"` and `import("…")` of a relative path, read from the text (a regular
 * expression over whole statements: the TypeScript we install has no compiler API to ask).
 * A statement counts where it starts; `import type` counts like any other (see ARCHITECTURE.md).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** One import of a file in another top folder. */
export interface FolderImport {
  /** The importing file, relative to the repository (`src/llm/transport.ts`). */
  file: string;
  line: number;
  /** The imported file, relative to the repository. */
  target: string;
  /** Top folders: `engine`, `llm`; `main.ts` for src/main.ts. */
  from: string;
  to: string;
  /** `import type …` or every name imported with `type`: erased from the build, counted all the same. */
  typeOnly: boolean;
}

// `import x from "a"`, `export { y } from "a"`, `import type { z } from "a"` (over several lines),
// `import "a"`, `import("a")`. A statement is matched only where a line starts with it, so
// an `import` in a comment or in the middle of a string does not count.
const STATEMENT =
  /^[ \t]*(?:import|export)\s+(type\s+)?([^;"'`]*?)\bfrom\s*["']([^"']+)["']|^[ \t]*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

/** The `.ts` files under `dir` (declaration files left out), sorted. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
    })
    .sort();
}

/** `engine` for src/engine/…, `main.ts` for a file directly in src/; undefined outside src/. */
export function topFolderOf(src: string, file: string): string | undefined {
  const path = relative(src, file);
  if (path.startsWith("..") || path === "") return undefined;
  return path.split(sep)[0];
}

/** Whether the names between `import`/`export` and `from` are all types (`{ type A, type B }`). */
function namesAreTypes(names: string): boolean {
  const braces = /^\{([\s\S]*)\}$/.exec(names.trim());
  if (!braces) return false;
  const each = braces[1]!
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  return each.length > 0 && each.every((name) => name.startsWith("type "));
}

/** Every import from one top folder of `root/src` into another (package files such as package.json left out). */
export function folderImports(root: string): FolderImport[] {
  const src = join(root, "src");
  const found: FolderImport[] = [];
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, "utf8");
    const from = topFolderOf(src, file)!;
    for (const match of text.matchAll(STATEMENT)) {
      const specifier = match[3] ?? match[4] ?? match[5]!;
      if (!specifier.startsWith(".")) continue;
      const target = resolve(dirname(file), specifier);
      const to = topFolderOf(src, target);
      if (to === undefined || to === from) continue;
      found.push({
        file: relative(root, file),
        line: text.slice(0, match.index).split("\n").length,
        target: relative(root, target),
        from,
        to,
        typeOnly: Boolean(match[1]) || (match[2] !== undefined && namesAreTypes(match[2])),
      });
    }
  }
  return found;
}
