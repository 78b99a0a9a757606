/**
 * The view on a terminal (the compiled binary in a pseudo-terminal): several foreach steps
 * running at once each keep a progress line, redrawn in place, and Ctrl-C clears them
 * before the message about stopping.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { builtBinary, inPty } from "../helpers/binary.ts";
import { removeScratch, scratch } from "./harness.ts";

afterAll(removeScratch);

let binary = "";
beforeAll(() => {
  binary = builtBinary();
}, 60_000);

const env = (cwd: string) => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: process.env.HOME ?? cwd,
  AIORCH_HOME: join(cwd, ".aiorch-home"),
  TERM: "xterm",
  NO_COLOR: "1",
});

describe("progress on a terminal", () => {
  test("two foreach steps at once: two progress lines, redrawn in place, gone at the end", async () => {
    const cwd = scratch("tty");
    const each = (name: string) => `  ${name}:\n    foreach: [1, 2, 3, 4, 5, 6, 7, 8]\n    run: sleep 0.3\n`;
    writeFileSync(join(cwd, "p.yaml"), `name: two\nsteps:\n${each("left")}${each("right")}`);
    const run = await inPty([binary, "run", "p.yaml"], { cwd, env: env(cwd) });
    expect(run.exitCode).toBe(0);
    // The board of two lines is taken back (cursor up 2, clear below) before each redraw.
    expect(run.raw).toContain("\x1b[2A\r\x1b[0J");
    expect(run.raw).toMatch(/ {2}left {2}\d\/8 \(\d+%\)/);
    expect(run.raw).toMatch(/ {2}right {2}\d\/8 \(\d+%\)/);
    // Whatever was drawn last is cleared before the summary.
    const summary = run.raw.indexOf("two succeeded");
    expect(run.raw.lastIndexOf("items/s", summary)).toBeLessThan(run.raw.lastIndexOf("\x1b[0J", summary));
  }, 60_000);

  test("Ctrl-C clears the progress lines before saying it stops", async () => {
    const cwd = scratch("tty-int");
    writeFileSync(join(cwd, "p.yaml"), "name: long\nsteps:\n  fan:\n    foreach: [1, 2, 3]\n    run: sleep 20\n");
    const run = await inPty([binary, "run", "p.yaml"], { cwd, env: env(cwd), interruptAfter: "items/s" });
    expect(run.exitCode).toBe(130);
    const stop = run.raw.indexOf("interrupted: stopping running steps");
    expect(stop).toBeGreaterThan(-1);
    expect(run.raw.lastIndexOf("items/s", stop)).toBeLessThan(run.raw.lastIndexOf("\x1b[0J", stop));
    expect(run.raw.slice(stop)).not.toContain("items/s");
  }, 60_000);
});
