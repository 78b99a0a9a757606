/**
 * `bun run imports` (part of `bun run check`): fails when an import between the top folders
 * of src/ is one ARCHITECTURE.md's folder table does not allow, or when top folders import
 * each other in a cycle. Prints each offending import as file:line with the rule it breaks.
 * `bun scripts/check-imports.ts ROOT` checks another tree (ROOT/ARCHITECTURE.md, ROOT/src).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { folderImports } from "./imports/import-graph.ts";
import { layerProblems, readLayerRules } from "./imports/layer-rules.ts";

const root = resolve(process.argv[2] ?? join(import.meta.dir, ".."));
const folders = readdirSync(join(root, "src"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() || (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")))
  .map((entry) => entry.name);
const imports = folderImports(root);
const problems = layerProblems(imports, readLayerRules(readFileSync(join(root, "ARCHITECTURE.md"), "utf8")), folders);
if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`\nimports: ${problems.length} problem(s); the rules are the "may import" column of ARCHITECTURE.md`);
  process.exit(1);
}
console.log(`imports: ${imports.length} imports between ${folders.length} top folders of src/ follow ARCHITECTURE.md`);
