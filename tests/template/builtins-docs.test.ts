/**
 * docs/templates.md lists exactly the built-ins the engine has: the filters table, the
 * tests table, the globals table, the methods table, and every refused built-in under
 * "Not supported" (the differential suite checks the engine's lists against Jinja2's own).
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTINS } from "../../src/template/index.ts";

const page = readFileSync(join(import.meta.dir, "..", "..", "docs", "templates.md"), "utf8");

/** The text of the section `## title`, up to the next `## `. */
function section(title: string): string {
  const start = page.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/templates.md has no section ${title}`);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

/** The first column of the section's first table, one cell per row. */
function firstColumn(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("|---"))
    .slice(1)
    .map((line) => line.slice(2, line.indexOf(" | ")));
}

const names = (cell: string): string[] => [...cell.matchAll(/`([^`\s(]+)(?:\([^`]*\))?`/g)].map((m) => m[1]!);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

describe("docs/templates.md lists the built-ins", () => {
  test("filters", () => {
    expect(sorted(firstColumn(section("Filters")).flatMap(names))).toEqual(sorted(BUILTINS.filters));
  });

  test("tests (the symbol names are given in prose)", () => {
    const documented = firstColumn(section("Tests")).flatMap(names);
    expect(sorted(documented)).toEqual(sorted(BUILTINS.tests));
  });

  test("globals", () => {
    const documented = firstColumn(section("Globals")).flatMap((cell) =>
      [...cell.matchAll(/`(\w+)\(/g)].map((m) => m[1]!),
    );
    expect(sorted(documented)).toEqual(sorted(BUILTINS.globals));
  });

  test("methods", () => {
    const table = section("Methods")
      .split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("|---"))
      .slice(1);
    const cells = table.map((line) => line.slice(line.indexOf(" | ") + 3).replace(/\([^)]*\)/g, ""));
    const documented = cells.flatMap((cell) => [...cell.matchAll(/`(\w+)`/g)].map((m) => m[1]!));
    expect(sorted(documented)).toEqual(sorted(BUILTINS.methods));
  });

  test("refused built-ins, with their reason", () => {
    const text = section("Not supported");
    for (const name of Object.keys(BUILTINS.refused.filters)) expect(text).toContain(`filter \`${name}\``);
    for (const name of Object.keys(BUILTINS.refused.globals)) expect(text).toContain(`\`${name}()\``);
    for (const name of Object.keys(BUILTINS.refused.methods)) expect(text).toContain(`\`.${name}()\``);
  });
});
