/**
 * Names that are special to JavaScript objects are plain data here: a step, input, output
 * or CSV column called `__proto__` or `constructor` keeps its value; and a foreach step's
 * `save:` that reads `item` writes one file per item.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, SLOW } from "./harness.ts";

afterAll(removeScratch);

describe("names like __proto__ and constructor", () => {
  test.concurrent(
    "as a step, an input, an output: alias and a CSV column",
    async () => {
      const yaml = `name: protos
input:
  constructor: { type: string, default: c }
  rows: { type: file, default: rows.csv }
steps:
  __proto__:
    run: echo proto {{ constructor }}
    output: toString
  reader:
    depends: [__proto__]
    run: echo {{ __proto__ }} / {{ toString }} / {{ rows[0].__proto__ }} {{ rows[0].constructor }}
  py:
    depends: [__proto__]
    python: |
      result = [inputs["__proto__"], inputs["constructor"], inputs["rows"][0]["__proto__"]]
`;
      const r = await aiorch(["run", "p.yaml", "--format", "json"], {
        files: { "p.yaml": yaml, "rows.csv": "name,__proto__,constructor\nx,1,2\n" },
      });
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      const outputs = (JSON.parse(r.stdout) as { outputs: Record<string, unknown> }).outputs;
      expect(outputs.reader).toBe("proto c / proto c / 1 2");
      expect(outputs.py).toEqual(["proto c", "c", "1"]);
      expect(Object.keys(outputs)).toContain("__proto__");
    },
    SLOW,
  );
});

describe("save: on a foreach step", () => {
  test.concurrent(
    "a path that reads item writes one file per item; one that does not writes the list",
    async () => {
      const yaml = `name: per-item
steps:
  each:
    foreach: [a, b]
    run: echo got {{ item }}
    save: out/{{ item_index }}-{{ item }}.txt
  all:
    foreach: [a, b]
    run: echo {{ item }}
    save: out/all.json
`;
      const r = await aiorch(["run", "p.yaml"], { files: { "p.yaml": yaml } });
      expect(r.exitCode).toBe(0);
      expect(readFileSync(join(r.cwd, "out/0-a.txt"), "utf8")).toBe("got a");
      expect(readFileSync(join(r.cwd, "out/1-b.txt"), "utf8")).toBe("got b");
      expect(JSON.parse(readFileSync(join(r.cwd, "out/all.json"), "utf8"))).toEqual(["a", "b"]);
    },
    SLOW,
  );

  test.concurrent(
    "-v says where save: wrote",
    async () => {
      const yaml =
        "name: saving\nsteps:\n  each:\n    foreach: [a, b]\n    run: echo {{ item }}\n    save: out/{{ item }}.txt\n";
      const r = await aiorch(["run", "p.yaml", "-v"], { files: { "p.yaml": yaml } });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain("saved: out/a.txt, out/b.txt");
      const quiet = await aiorch(["run", "p.yaml"], { files: { "p.yaml": yaml } });
      expect(quiet.stdout).not.toContain("saved:");
    },
    SLOW,
  );
});
