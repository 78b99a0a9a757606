/**
 * A template that reads a step it does not depend on, in an earlier layer (the Python
 * aiorch ran layer by layer, so that step had finished): it runs, waiting for that step,
 * with a warning that names the depends: to add. A read of a later or same-layer step is
 * still an error.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { aiorch, removeScratch, SLOW } from "../run/harness.ts";

afterAll(removeScratch);

const PIPELINE = `name: implied
steps:
  slow:
    run: sleep 0.3; echo SLOW
  quick:
    run: echo QUICK
  reader:
    depends: [quick]
    run: echo {{ slow }}+{{ quick }}
`;

describe("reads of an earlier layer become dependencies", () => {
  test.concurrent(
    "the reader waits for the step it reads and gets its result",
    async () => {
      const r = await aiorch(["run", "p.yaml", "--format", "json"], { files: { "p.yaml": PIPELINE } });
      expect(r.exitCode).toBe(0);
      const doc = JSON.parse(r.stdout) as { outputs: Record<string, string> };
      expect(doc.outputs.reader).toBe("SLOW+QUICK");
      expect(r.stderr).toContain(
        "warning: step `reader` reads `slow` without depending on `slow`; it waits for `slow` as the Python aiorch's layer order did",
      );
      const plan = await aiorch(["plan", "p.yaml"], { files: { "p.yaml": PIPELINE } });
      expect(plan.exitCode).toBe(0);
    },
    SLOW,
  );

  test.concurrent(
    "validate warns with the fix and exits 0",
    async () => {
      const r = await aiorch(["validate", "p.yaml"], { files: { "p.yaml": PIPELINE } });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain("hint: add `slow` to the depends: of `reader`");
    },
    SLOW,
  );

  test.concurrent(
    "a read of a step in the same or a later layer is still an error",
    async () => {
      const later = `${PIPELINE}  first:\n    run: echo {{ reader }}\n`;
      const r = await aiorch(["validate", "p.yaml"], { files: { "p.yaml": later } });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain("`first` reads `reader` but does not depend on it");
    },
    SLOW,
  );
});
