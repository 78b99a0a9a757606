/**
 * Python steps cannot break each other: jobs share a worker, so what one body changes in the
 * builtins, other modules, interpreter settings or signal handlers is put back before the
 * next job; a job that leaves threads running retires its worker; a worker that dies is
 * blamed on the job it was running.
 */
import { describe, expect, test } from "bun:test";
import { PythonPool } from "../../src/steps/python/index.ts";
import { failed, okValue, PYTHON, testPool } from "./pool-helpers.ts";

describe.skipIf(!PYTHON)("python pool: one job cannot break the next", () => {
  const pool = testPool(1);

  test.concurrent.each([
    ["builtins replaced", "import builtins\nbuiltins.len = lambda x: -1\nbuiltins.print = None"],
    ["builtins deleted", "import builtins\ndel builtins.sorted\n__builtins__.max = min"],
    ["a module the worker uses", "import json, os\njson.dumps = None\njson.loads = None\nos.getcwd = None"],
    [
      "through setattr and __dict__",
      "import json, math\nsetattr(math, 'pi', 3)\njson.__dict__['JSONDecodeError'] = None",
    ],
    ["interpreter settings", "import sys\nsys.setrecursionlimit(40)\nsys.settrace(lambda *a: None)"],
    ["the worker's own functions", "import __main__\n__main__.dumps = None\n__main__.loads = None"],
    [
      "an alarm and a signal handler",
      "import signal\nsignal.signal(signal.SIGALRM, lambda *a: 1 / 0)\nsignal.alarm(1)",
    ],
  ])("%s", async (_label, body) => {
    // A pool of one worker per case, so the cases (each waits 1.2 s) run at once.
    const pool = new PythonPool({ python: PYTHON ?? "python3", size: 1 });
    try {
      okValue(await pool.run({ step: "clobber", body: `${body}\nresult = 'done'`, context: {} }));
      const check = [
        "import json, math, sys, time",
        "time.sleep(1.2)  # past the alarm the clobbering job set",
        "result = [len([1, 2, 3]), sorted([2, 1]), max(1, 2), json.dumps({'a': 1}), json.loads('[1]'), math.pi > 3.1, sys.getrecursionlimit() >= 1000]",
      ].join("\n");
      expect(okValue(await pool.run({ step: "after", body: check, context: {} }))).toEqual([
        3,
        [1, 2],
        2,
        '{"a": 1}',
        [1],
        true,
        true,
      ]);
    } finally {
      await pool.close();
    }
  });

  test("a job that leaves a thread running retires its worker: the thread cannot end a later job", async () => {
    okValue(await pool.run({ step: "warm", body: "result = 0", context: {} })); // the worker the timer job will run on
    const started = pool.stats.started;
    okValue(
      await pool.run({
        step: "timer",
        body: "import threading, os\nthreading.Timer(0.3, os._exit, [9]).start()\nresult = 1",
        context: {},
      }),
    );
    expect(
      okValue(
        await pool.run({ step: "later", body: "import time\ntime.sleep(0.8)\nresult = 'survived'", context: {} }),
      ),
    ).toBe("survived");
    expect(pool.stats.started).toBe(started + 1);
  });

  test("a worker that dies is blamed on the step that killed it", async () => {
    const outcome = failed(await pool.run({ step: "killer", body: "import os\nos._exit(7)", context: {} }));
    expect(outcome.kind).toBe("crashed");
    expect(outcome.message).toStartWith("the python worker died while running step killer (exit code 7)");
    expect(okValue(await pool.run({ step: "next", body: "result = 'fresh worker'", context: {} }))).toBe(
      "fresh worker",
    );
  });
});
