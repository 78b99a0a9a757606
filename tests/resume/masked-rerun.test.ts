/**
 * Masked data is never replayed (issue 12 item 3): a step whose recorded result held a
 * masked secret is run again by `resume`, `run --step` and `run --from` — with every step
 * downstream of it — instead of handing `***` on (`release/***-2024` was deployed). Real
 * CLI, real history file.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, scratch, SLOW } from "../run/harness.ts";
import { onlyRunId, readHistory, runsIn } from "./helpers.ts";

afterAll(removeScratch);

const TOKEN = "tok-5d6e7f8a9b";
const ENV = { DEPLOY_TOKEN: TOKEN };

const PIPELINE = `
name: deploy
steps:
  branch:
    run: echo "release/$DEPLOY_TOKEN-2024"
  size:
    depends: [branch]
    python: result = len(inputs["branch"])
  deploy:
    depends: [branch]
    python: |
      import os
      if not os.path.exists("ok.txt"):
          raise RuntimeError("not yet")
      open("deployed.txt", "w").write(inputs["branch"])
      result = "deployed"
`;

const REAL = `release/${TOKEN}-2024`;

describe("a recorded result that held a masked secret is never reused", () => {
  test.concurrent(
    "resume runs it again, and its dependents, which get the real value; so do run --step and --from (for what they read)",
    async () => {
      const cwd = scratch("masked-rerun");
      writeFileSync(join(cwd, "p.yaml"), PIPELINE);
      const first = await aiorch(["run", "p.yaml"], { cwd, env: ENV });
      expect(first.exitCode).toBe(1);
      const id = onlyRunId(cwd);

      writeFileSync(join(cwd, "ok.txt"), "");
      const resumed = await aiorch(["resume", id], { cwd, env: ENV });
      expect({ code: resumed.exitCode, stderr: resumed.stderr }).toEqual({ code: 0, stderr: "" });
      expect(readFileSync(join(cwd, "deployed.txt"), "utf8")).toBe(REAL);
      const recorded = readHistory(cwd, (store) => store.getSteps(id));
      expect(recorded.find((s) => s.name === "branch")).toMatchObject({
        status: "success",
        output: "release/***-2024",
        masked: true,
      });
      expect(recorded.find((s) => s.name === "size")).toMatchObject({
        status: "success",
        output: REAL.length,
        masked: false,
      });
      expect(resumed.stdout).toContain("re-running `branch`: its recorded input or result held a masked secret");
      expect(resumed.stdout).toContain("re-running `size`: it depends on `branch`, which runs again");
      const again = readHistory(cwd, (store) => store.getSteps(runsIn(cwd)[0]!.id));
      // Run again, not reused: one attempt each, no "reused from" reason.
      for (const name of ["branch", "size", "deploy"])
        expect(again.find((s) => s.name === name)).toMatchObject({ status: "success", attempts: 1, reason: null });

      rmSync(join(cwd, "deployed.txt"));
      const step = await aiorch(["run", "p.yaml", "--step", "deploy"], { cwd, env: ENV });
      expect({ code: step.exitCode, stderr: step.stderr }).toEqual({ code: 0, stderr: "" });
      expect(step.stdout).toContain("re-running `branch`: its recorded input or result held a masked secret");
      expect(readFileSync(join(cwd, "deployed.txt"), "utf8")).toBe(REAL);

      // --from size: branch, which size reads, runs again; deploy, which size does not need, is reused.
      rmSync(join(cwd, "deployed.txt"));
      const from = await aiorch(["run", "p.yaml", "--from", "size"], { cwd, env: ENV });
      expect({ code: from.exitCode, stderr: from.stderr }).toEqual({ code: 0, stderr: "" });
      expect(from.stdout).toContain("re-running `branch`: its recorded input or result held a masked secret");
      const latest = readHistory(cwd, (store) => store.getSteps(runsIn(cwd)[0]!.id));
      expect(latest.find((s) => s.name === "size")).toMatchObject({ output: REAL.length, attempts: 1 });
      expect(latest.find((s) => s.name === "deploy")).toMatchObject({ status: "success", attempts: 0 });
      expect(existsSync(join(cwd, "deployed.txt"))).toBe(false);
    },
    SLOW,
  );

  test.concurrent(
    "a foreach item whose result was masked runs again on resume; the others are reused",
    async () => {
      const cwd = scratch("masked-items");
      writeFileSync(
        join(cwd, "p.yaml"),
        `name: items
steps:
  each:
    foreach: "[0, 1, 2]"
    python: |
      import os
      item = inputs["item"]
      open("ran-%d.txt" % item, "a").write("x")
      if item == 2 and not os.path.exists("ok.txt"):
          raise RuntimeError("not yet")
      result = os.environ["DEPLOY_TOKEN"] if item == 0 else "plain-%d" % item
  show:
    depends: [each]
    python: |
      open("shown.txt", "w").write(inputs["each"][0])
      result = "ok"
`,
      );
      expect((await aiorch(["run", "p.yaml"], { cwd, env: ENV })).exitCode).toBe(1);
      writeFileSync(join(cwd, "ok.txt"), "");
      const resumed = await aiorch(["resume", onlyRunId(cwd)], { cwd, env: ENV });
      expect({ code: resumed.exitCode, stderr: resumed.stderr }).toEqual({ code: 0, stderr: "" });
      // Item 0 (masked) and item 2 (failed) ran twice; item 1 was reused.
      expect([0, 1, 2].map((i) => readFileSync(join(cwd, `ran-${i}.txt`), "utf8"))).toEqual(["xx", "x", "xx"]);
      expect(readFileSync(join(cwd, "shown.txt"), "utf8")).toBe(TOKEN);
    },
    SLOW,
  );
});
