import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { failed, okValue, PYTHON, tempDir, testPool } from "./pool-helpers.ts";

const sizeOf = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;

describe.skipIf(!PYTHON)(
  "python pool: failures (docs/execution.md#python-steps, docs/execution.md#retries-and-timeouts)",
  () => {
    const pool = testPool(1);

    test("a traceback keeps only the body's frames, names the step and shows the line", async () => {
      const body = ["total = 0", "def divide(n):", "    return n / total", "", "result = divide(10)"].join("\n");
      const outcome = failed(await pool.run({ step: "boom", body, context: {} }));
      expect(outcome.kind).toBe("error");
      expect(outcome.message).toBe("ZeroDivisionError: division by zero (step boom, line 3 of the body)");
      expect(outcome.traceback).toContain('File "<step boom>", line 5, in <module>');
      expect(outcome.traceback).toContain('File "<step boom>", line 3, in divide\n    return n / total');
      expect(outcome.traceback).not.toContain("<string>"); // the worker's own frames
      expect(outcome.traceback?.trimEnd().endsWith("ZeroDivisionError: division by zero")).toBe(true);
    });

    test("frames inside library code are dropped, the body's are kept", async () => {
      const outcome = failed(
        await pool.run({ step: "lib", body: "import json\nx = 1\njson.loads('{bad')", context: {} }),
      );
      expect(outcome.message).toStartWith("json.decoder.JSONDecodeError: Expecting property name");
      expect(outcome.message).toEndWith("(step lib, line 3 of the body)");
      expect(outcome.traceback).not.toContain("decoder.py");
    });

    test("a syntax error is reported at run time with its line", async () => {
      const outcome = failed(await pool.run({ step: "bad", body: "x = 1\ny = (\n", context: {} }));
      expect(outcome.kind).toBe("error");
      expect(outcome.message).toBe("SyntaxError: '(' was never closed (step bad, line 2 of the body)");
      expect(outcome.traceback).toContain('File "<step bad>", line 2');
    });

    test("a result that is not JSON-serialisable is an error naming its type and the step", async () => {
      const outcome = failed(await pool.run({ step: "sets", body: "result = {'a': {1, 2}}", context: {} }));
      expect(outcome.message).toContain("not JSON-serialisable");
      expect(outcome.message).toContain("set");
      expect(outcome.message).toContain("(step sets)");
      const nan = failed(await pool.run({ step: "nan", body: "result = float('nan')", context: {} }));
      expect(nan.message).toContain("NaN");
    });

    test("a timeout kills the worker: the code really stops, and the next job gets a fresh worker", async () => {
      const file = join(tempDir("timeout"), "ticks");
      const body = `import time\nwhile True:\n    open(${JSON.stringify(file)}, "a").write("x")\n    time.sleep(0.01)`;
      const before = pool.stats.started;
      const outcome = failed(await pool.run({ step: "loop", body, context: {}, timeoutMs: 300 }));
      expect(outcome.kind).toBe("timeout");
      expect(outcome.message).toBe("timed out after 300 ms (step loop)");
      const size = sizeOf(file);
      expect(size).toBeGreaterThan(0);
      await Bun.sleep(300);
      expect(sizeOf(file)).toBe(size);
      expect(okValue(await pool.run({ step: "next", body: "result = 'fresh'", context: {} }))).toBe("fresh");
      expect(pool.stats.started).toBe(before + 1);
    });

    test("a timeout also stops the processes the body started (process group)", async () => {
      const file = join(tempDir("group"), "ticks");
      const body = [
        "import subprocess, time",
        `subprocess.Popen(["sh", "-c", "while true; do echo x >> ${file}; sleep 0.01; done"])`,
        "time.sleep(60)",
      ].join("\n");
      expect(failed(await pool.run({ step: "child", body, context: {}, timeoutMs: 300 })).kind).toBe("timeout");
      await Bun.sleep(50); // SIGKILL delivery is asynchronous
      const size = sizeOf(file);
      expect(size).toBeGreaterThan(0);
      await Bun.sleep(300);
      expect(sizeOf(file)).toBe(size);
    });

    test("a worker that exits is reported as crashed with its exit code and stderr; the next job succeeds", async () => {
      const body = "import os, sys\nsys.__stderr__.write('ignored')\nos.write(2, b'last words\\n')\nos._exit(3)";
      const outcome = failed(await pool.run({ step: "die", body, context: {} }));
      expect(outcome.kind).toBe("crashed");
      expect(outcome.message).toContain("step die");
      expect(outcome.message).toContain("exit code 3");
      expect(outcome.message).toContain("last words");
      expect(okValue(await pool.run({ step: "alive", body: "result = 1", context: {} }))).toBe(1);
    });

    test("a segfault is reported as crashed with the signal and the body line", async () => {
      const outcome = failed(await pool.run({ step: "segv", body: "import ctypes\nctypes.string_at(0)", context: {} }));
      expect(outcome.kind).toBe("crashed");
      expect(outcome.message).toContain("SIGSEGV");
      expect(outcome.message).toContain('File "<step segv>", line 2');
      expect(okValue(await pool.run({ step: "alive2", body: "result = 2", context: {} }))).toBe(2);
    });

    test("abort: a running job's worker is killed and the job is cancelled", async () => {
      const controller = new AbortController();
      const started = Date.now();
      const running = pool.run({
        step: "slow",
        body: "import time\ntime.sleep(30)",
        context: {},
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 100);
      const outcome = failed(await running);
      expect(outcome.kind).toBe("cancelled");
      expect(outcome.message).toBe("cancelled (step slow)");
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(okValue(await pool.run({ step: "after", body: "result = 'ok'", context: {} }))).toBe("ok");
    });

    test("abort: an already-aborted signal and a queued job never run", async () => {
      const file = join(tempDir("abort"), "ran");
      const touch = `open(${JSON.stringify(file)}, "w").write("ran")`;
      const early = await pool.run({ step: "early", body: touch, context: {}, signal: AbortSignal.abort() });
      expect(failed(early).kind).toBe("cancelled");
      const controller = new AbortController();
      const first = pool.run({ step: "busy", body: "import time\ntime.sleep(0.3)", context: {} });
      const queued = pool.run({ step: "queued", body: touch, context: {}, signal: controller.signal });
      controller.abort();
      expect(failed(await queued).kind).toBe("cancelled");
      expect(okValue(await first)).toBe("");
      expect(sizeOf(file)).toBe(0);
    });

    test("an interpreter that cannot start makes every job crash, without hanging", async () => {
      const { PythonPool } = await import("../../src/steps/python/index.ts");
      const broken = new PythonPool({ python: "/nonexistent/python3", size: 2 });
      const outcomes = await Promise.all([1, 2, 3].map(() => broken.run({ step: "s", body: "pass", context: {} })));
      for (const outcome of outcomes) {
        expect(failed(outcome).kind).toBe("crashed");
        expect(failed(outcome).message).toContain("cannot start python");
      }
      await broken.close();
    });
  },
);
