import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { PythonPool } from "../../src/steps/python/index.ts";
import { okValue, PYTHON, tempDir, testPool } from "./pool-helpers.ts";

const MB = 1024 * 1024;

describe.skipIf(!PYTHON)(
  "python pool: queueing, shared context, env and cwd (docs/execution.md#python-steps, docs/execution.md#foreach)",
  () => {
    test("200 jobs on a pool of 2 all complete, each with its own result", async () => {
      const pool = testPool(2);
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          pool.run({
            step: "each",
            body: "result = {'i': inputs['item'], 'sq': inputs['item'] ** 2}",
            context: {},
            extra: { item: i },
          }),
        ),
      );
      expect(outcomes.map(okValue)).toEqual(Array.from({ length: 200 }, (_, i) => ({ i, sq: i * i })));
      expect(pool.stats.started).toBe(2);
      expect(pool.stats.jobs).toBe(200);
    });

    test("a 1 MB shared context of 1,000 jobs with one contextId reaches each worker once", async () => {
      const pool = testPool(2);
      const context = { big: "x".repeat(MB), rows: Array.from({ length: 2000 }, (_, i) => ({ i, name: `row ${i}` })) };
      const body = "result = len(inputs['big']) + inputs['item']";
      const outcomes = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          pool.run({ step: "fan", body, context, contextId: "run-1:fan", extra: { item: i } }),
        ),
      );
      expect(outcomes.map(okValue)).toEqual(Array.from({ length: 1000 }, (_, i) => MB + i));
      expect(pool.stats.contextBytesSent).toBeGreaterThan(MB);
      expect(pool.stats.contextBytesSent).toBeLessThan(3 * MB);
    });

    test("without a contextId the same context object is recognised, and a shared value is sent once across contexts", async () => {
      const pool = testPool(1);
      const big = { text: "y".repeat(MB) };
      const a = { big, n: 1 };
      const b = { big, n: 2 };
      for (let i = 0; i < 50; i++) {
        const context = i % 2 ? a : b;
        expect(okValue(await pool.run({ step: "s", body: "result = inputs['n']", context }))).toBe(context.n);
      }
      expect(pool.stats.contextBytesSent).toBeLessThan(1.1 * MB);
    });

    test("env and cwd apply to one job (local modules import) and are restored after it", async () => {
      const pool = testPool(1);
      const dir = tempDir("cwd");
      writeFileSync(join(dir, "helper_mod.py"), "VALUE = 42\n");
      const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", AIORCH_TEST_VAR: "yes" };
      const body = [
        "import os, helper_mod",
        "result = [os.getcwd(), os.environ.get('AIORCH_TEST_VAR'), helper_mod.VALUE, 'HOME' in os.environ]",
      ].join("\n");
      expect(okValue(await pool.run({ step: "in", body, context: {}, env, cwd: dir }))).toEqual([
        dir,
        "yes",
        42,
        false,
      ]);
      const after =
        "import os, sys\nresult = [os.getcwd(), os.environ.get('AIORCH_TEST_VAR'), 'HOME' in os.environ, sys.path[0]]";
      const value = okValue(await pool.run({ step: "out", body: after, context: {} }));
      expect(value).toEqual([process.cwd(), null, "HOME" in process.env, expect.not.stringContaining(dir)]);
    });

    test("a body's own changes to os.environ and the cwd do not leak into the next job", async () => {
      const pool = testPool(1);
      const dir = tempDir("leak");
      await pool.run({
        step: "leak",
        body: `import os\nos.environ['LEAKED'] = '1'\nos.chdir(${JSON.stringify(dir)})`,
        context: {},
      });
      const value = okValue(
        await pool.run({
          step: "check",
          body: "import os\nresult = [os.environ.get('LEAKED'), os.getcwd()]",
          context: {},
        }),
      );
      expect(value).toEqual([null, process.cwd()]);
    });

    test("throughput (printed, not asserted): 1,000 and 10,000 trivial jobs on a pool of the CPU count", async () => {
      const size = availableParallelism();
      const measure = async (pool: PythonPool, count: number): Promise<number> => {
        const started = performance.now();
        const outcomes = await Promise.all(
          Array.from({ length: count }, (_, i) =>
            pool.run({
              step: "double",
              body: "result = inputs['item'] * 2",
              context: {},
              contextId: "bench",
              extra: { item: i },
            }),
          ),
        );
        const elapsed = performance.now() - started;
        expect(outcomes.every((o, i) => o.ok && o.value === i * 2)).toBe(true);
        return elapsed;
      };
      const cold = new PythonPool({ python: PYTHON ?? "python3", size });
      const first = await measure(cold, 1000);
      const warm = await measure(cold, 1000);
      const tenThousand = await measure(cold, 10_000);
      await cold.close();
      console.log(
        `python pool of ${size} (${PYTHON}): 1,000 jobs ${first.toFixed(0)} ms cold (workers starting), ` +
          `${warm.toFixed(0)} ms warm; 10,000 jobs ${tenThousand.toFixed(0)} ms`,
      );
    }, 60_000);
  },
);
