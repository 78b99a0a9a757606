/**
 * Names as pipelines written for the Python aiorch use them: a step called `loop`, a step
 * called like an input, an `output:` called like another step — each runs, and reads what
 * the Python aiorch reads (an alias over an input or a step's name, an input over a step's
 * name), with a warning at validate that says which value templates get.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { aiorch, removeScratch, SLOW } from "../run/harness.ts";

afterAll(removeScratch);

async function runJson(yaml: string, args: string[] = []) {
  const r = await aiorch(["run", "p.yaml", "--format", "json", ...args], { files: { "p.yaml": yaml } });
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr}`);
  return { ...r, doc: JSON.parse(r.stdout) as { outputs: Record<string, unknown> } };
}

describe("names shared as in the Python aiorch", () => {
  test.concurrent(
    "a step may be called `loop`; inside {% for %} `loop` is still the loop",
    async () => {
      const { doc } = await runJson(`name: loop-step
steps:
  loop:
    run: echo iteration
  after:
    depends: [loop]
    run: "echo got {{ loop }} {% for x in 'ab' %}{{ loop.index }}{% endfor %}"
  py:
    depends: [loop]
    python: |
      result = inputs["loop"] + "!"
`);
      expect(doc.outputs).toEqual({ loop: "iteration", after: "got iteration 12", py: "iteration!" });
    },
    SLOW,
  );

  test.concurrent(
    "a step called like an input: templates read the input; the step's output: alias reads the step",
    async () => {
      const yaml = `name: step-like-input
input:
  topic: owls
steps:
  topic:
    run: echo the {{ topic }} talk
    output: subtitle
  use:
    depends: [topic]
    run: echo {{ topic }} / {{ subtitle }}
`;
      const { doc } = await runJson(yaml);
      expect(doc.outputs.use).toBe("owls / the owls talk");
      const v = await aiorch(["validate", "p.yaml"], { files: { "p.yaml": yaml } });
      expect(v.exitCode).toBe(0);
      expect(v.stderr).toContain(
        "warning: `topic` names both input `topic` and step `topic`; templates read input `topic` under that name",
      );
    },
    SLOW,
  );

  test.concurrent(
    "an output: called like another step: readers get the aliased result, as the Python aiorch gives them",
    async () => {
      const yaml = `name: alias-like-step
steps:
  analyze:
    python: |
      result = {"chars": 42}
    output: report
  report:
    depends: [analyze]
    run: echo chars={{ report.chars }}
    output: summary
  last:
    depends: [report]
    run: echo {{ summary }} {{ report.chars }}
`;
      const { doc } = await runJson(yaml);
      expect(doc.outputs.report).toBe("chars=42");
      expect(doc.outputs.last).toBe("chars=42 42");
      const v = await aiorch(["validate", "p.yaml"], { files: { "p.yaml": yaml } });
      expect(v.exitCode).toBe(0);
      expect(v.stderr).toContain("templates read the output: of step `analyze` under that name");
    },
    SLOW,
  );

  test.concurrent(
    "an output: called like an input: steps after it read the result, others the input",
    async () => {
      const { doc } = await runJson(`name: alias-like-input
input:
  data: raw
steps:
  clean:
    run: echo cleaned
    output: data
  before:
    run: echo {{ data }}
  after:
    depends: [clean]
    run: echo {{ data }}
`);
      expect(doc.outputs.before).toBe("raw");
      expect(doc.outputs.after).toBe("cleaned");
    },
    SLOW,
  );
});
