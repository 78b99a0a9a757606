/** `format: json` on a run: step parses stdout, as the Python aiorch does; stdout that is not JSON fails the step. */
import { afterAll, describe, expect, test } from "bun:test";
import { aiorch, removeScratch, SLOW } from "../run/harness.ts";

afterAll(removeScratch);

describe("format: json on run: steps", () => {
  test.concurrent(
    "stdout becomes a value whose fields later steps read, exactly typed",
    async () => {
      const yaml = `name: json-from-shell
steps:
  health:
    run: |
      printf '{"ok": true, "checks": 3, "ratio": 1.0, "big": 18446744073709551617, "tags": ["a", "b"]}\\n'
    format: json
  report:
    depends: [health]
    run: echo ok={{ health.ok }} checks={{ health.checks }} ratio={{ health.ratio }} big={{ health.big }} first={{ health.tags[0] }}
  typed:
    depends: [health]
    python: |
      h = inputs["health"]
      result = [type(h["ratio"]).__name__, h["big"] == 2**64 + 1, type(h["checks"]).__name__]
`;
      const r = await aiorch(["run", "p.yaml", "--format", "json"], { files: { "p.yaml": yaml } });
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      const doc = JSON.parse(r.stdout) as { outputs: Record<string, unknown> };
      expect(doc.outputs.report).toBe("ok=true checks=3 ratio=1.0 big=18446744073709551617 first=a");
      expect(doc.outputs.typed).toEqual(["float", true, "int"]);
    },
    SLOW,
  );

  test.concurrent(
    "stdout that is not JSON fails the step with its beginning shown",
    async () => {
      const yaml = "name: not-json\nsteps:\n  bad:\n    run: echo not json\n    format: json\n";
      const r = await aiorch(["run", "p.yaml"], { files: { "p.yaml": yaml } });
      expect(r.exitCode).toBe(1);
      expect(r.stdout + r.stderr).toContain("format: json is set, but stdout is not JSON");
      expect(r.stdout + r.stderr).toContain('stdout was: "not json"');
    },
    SLOW,
  );

  test.concurrent(
    "on a python: step format is ignored, with a warning",
    async () => {
      const yaml = "name: py-format\nsteps:\n  p:\n    python: result = 1\n    format: json\n";
      const r = await aiorch(["validate", "p.yaml"], { files: { "p.yaml": yaml } });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain("`format` applies to prompt: and run: steps and is ignored here");
    },
    SLOW,
  );
});
