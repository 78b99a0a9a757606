import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const script = join(import.meta.dir, "..", "scripts", "check-imports.ts");

const TABLE = `# Architecture

| folder | what it holds | may import |
|---|---|---|
| \`src/main.ts\` | entry | \`cli/\` |
| \`src/cli/\` | commands | \`engine/\` \`model/\` |
| \`src/engine/\` | the run | \`model/\` |
| \`src/model/\` | types | — |
`;

/** A repository with ARCHITECTURE.md (the table above unless given) and these files under src/. */
function tree(files: Record<string, string>, architecture = TABLE): string {
  const root = mkdtempSync(join(tmpdir(), "aiorch-imports-"));
  writeFileSync(join(root, "ARCHITECTURE.md"), architecture);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, "src", path)), { recursive: true });
    writeFileSync(join(root, "src", path), text);
  }
  return root;
}

function check(root: string): { exitCode: number; stdout: string; stderr: string } {
  try {
    const done = Bun.spawnSync([process.execPath, script, root], { stdout: "pipe", stderr: "pipe" });
    return { exitCode: done.exitCode, stdout: done.stdout.toString(), stderr: done.stderr.toString() };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const LAYERED = {
  "main.ts": `import { run } from "./cli/run.ts";\nrun();\n`,
  "cli/run.ts": `import { start } from "../engine/start.ts";\nimport type { Step } from "../model/step.ts";\nexport const run = () => start([] as Step[]);\n`,
  "engine/start.ts": `import type { Step } from "../model/step.ts";\nexport const start = (steps: Step[]) => steps.length;\n`,
  "model/step.ts": `export interface Step { name: string }\n`,
};

describe("bun run imports: the layers of ARCHITECTURE.md", () => {
  test("imports that follow the table pass", () => {
    const result = check(tree(LAYERED));
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("imports: 4 imports between 4 top folders of src/ follow ARCHITECTURE.md\n");
    expect(result.exitCode).toBe(0);
  });

  test("an upward import fails, naming the file, the line and the rule; and so does the cycle it closes", () => {
    const result = check(
      tree({
        ...LAYERED,
        "engine/start.ts": `import type { Step } from "../model/step.ts";\n\nimport { run } from "../cli/run.ts";\nexport const start = (steps: Step[]) => steps.length + (run ? 0 : 1);\n`,
      }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "src/engine/start.ts:3: imports src/cli/run.ts: engine/ may import model/ (ARCHITECTURE.md), not cli/\n",
    );
    expect(result.stderr).toContain(
      "cycle between top folders: cli/ → engine/ → cli/ (src/cli/run.ts:1, src/engine/start.ts:3)\n",
    );
  });

  test("a type-only import counts, over several lines", () => {
    const result = check(
      tree({
        ...LAYERED,
        "model/step.ts": `import type {\n  Runner,\n} from "../engine/runner.ts";\nexport interface Step { name: string; runner?: Runner }\n`,
        "engine/runner.ts": `export type Runner = () => void;\n`,
      }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "src/model/step.ts:1: imports src/engine/runner.ts (type-only): model/ may import nothing (ARCHITECTURE.md), not engine/\n",
    );
  });

  test("re-exports and dynamic imports count; an import in a comment does not", () => {
    const result = check(
      tree({
        ...LAYERED,
        "model/index.ts": `// import { run } from "../cli/run.ts";\nexport { start } from "../engine/start.ts";\nexport const later = () => import("../cli/run.ts");\n`,
      }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "src/model/index.ts:2: imports src/engine/start.ts: model/ may import nothing (ARCHITECTURE.md), not engine/\n",
    );
    expect(result.stderr).toContain(
      "src/model/index.ts:3: imports src/cli/run.ts: model/ may import nothing (ARCHITECTURE.md), not cli/\n",
    );
    expect(result.stderr).not.toContain("model/index.ts:1:");
  });

  test("a folder missing from the table, and a table that allows a cycle, are reported", () => {
    const cyclic = TABLE.replace("| `src/model/` | types | — |", "| `src/model/` | types | `engine/` |");
    const result = check(tree({ ...LAYERED, "util/sleep.ts": `export const sleep = 1;\n` }, cyclic));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "src/util/ is not in ARCHITECTURE.md's folder table: add a row saying what it holds and what it may import\n",
    );
    expect(result.stderr).toContain(
      'ARCHITECTURE.md: the "may import" column allows a cycle: engine/ → model/ → engine/\n',
    );
  });
});
