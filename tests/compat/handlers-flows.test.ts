/**
 * `trigger: on_failure` and `flow:` steps as pipelines written for the Python aiorch use
 * them: a marked handler runs only on failure; a flow step's vars reach the sub-pipeline's
 * inputs; with no outputs: and one step publishing an output: name, that result is the
 * flow's value.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { aiorch, removeScratch, SLOW } from "../run/harness.ts";

afterAll(removeScratch);

describe("trigger: on_failure", () => {
  const yaml = (exit: number) => `name: trig
steps:
  work:
    run: exit ${exit}
    on_failure: alert
  alert:
    trigger: on_failure
    run: echo ALERT {{ failed_step }}
  orphan:
    trigger: on_failure
    run: echo NEVER
`;
  test.concurrent(
    "the handler runs when the step fails, and only then; an unnamed one never runs",
    async () => {
      const failed = await aiorch(["run", "p.yaml", "--format", "json"], { files: { "p.yaml": yaml(1) } });
      expect(failed.exitCode).toBe(1);
      const doc = JSON.parse(failed.stdout) as {
        outputs: Record<string, unknown>;
        steps: Array<{ name: string; status: string }>;
      };
      expect(doc.steps.find((s) => s.name === "alert")?.status).toBe("success");
      expect(doc.steps.find((s) => s.name === "orphan")).toBeUndefined();
      const ok = await aiorch(["run", "p.yaml", "--format", "json"], { files: { "p.yaml": yaml(0) } });
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout).not.toContain("ALERT");
      expect(ok.stdout).not.toContain("NEVER");
    },
    SLOW,
  );

  test.concurrent(
    "validate warns about a handler no step names",
    async () => {
      const r = await aiorch(["validate", "p.yaml"], { files: { "p.yaml": yaml(0) } });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain(
        "step `orphan` has trigger: on_failure, but no step names it in on_failure:, so it never runs",
      );
      const bad = await aiorch(["validate", "p.yaml"], {
        files: {
          "p.yaml": yaml(0).replace(
            "trigger: on_failure\n    run: echo NEVER",
            "trigger: on_falure\n    run: echo NEVER",
          ),
        },
      });
      expect(bad.exitCode).toBe(2);
    },
    SLOW,
  );
});

describe("flow: steps as the Python aiorch runs them", () => {
  const child = `name: child
input:
  who: nobody
  n: 1
steps:
  greet:
    run: echo hello {{ who }} x{{ n }}
    output: greeting
  other:
    run: echo other
`;
  test.concurrent(
    "vars reach the sub-pipeline's inputs; the one output: is the flow's value",
    async () => {
      const parent = `name: parent
steps:
  call:
    flow: child.yaml
    vars:
      who: Ada
      n: 3
  override:
    flow: child.yaml
    vars:
      who: Ada
    input:
      who: Bob
  show:
    depends: [call, override]
    run: echo {{ call }} / {{ override }}
`;
      const r = await aiorch(["run", "parent.yaml", "--format", "json"], {
        files: { "parent.yaml": parent, "child.yaml": child },
      });
      expect(r.exitCode).toBe(0);
      expect((JSON.parse(r.stdout) as { outputs: Record<string, unknown> }).outputs.show).toBe(
        "hello Ada x3 / hello Bob x1",
      );
    },
    SLOW,
  );

  test.concurrent(
    "with outputs: declared, or several output: names, the value is the map as before",
    async () => {
      const two = child.replace("    run: echo other\n", "    run: echo other\n    output: more\n");
      const parent = "name: parent\nsteps:\n  call:\n    flow: child.yaml\n";
      const r = await aiorch(["run", "parent.yaml", "--format", "json"], {
        files: { "parent.yaml": parent, "child.yaml": two },
      });
      expect(r.exitCode).toBe(0);
      expect((JSON.parse(r.stdout) as { outputs: Record<string, unknown> }).outputs.call).toEqual({
        greet: "hello nobody x1",
        other: "other",
      });
    },
    SLOW,
  );
});
