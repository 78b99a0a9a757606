/**
 * Step output shown on the terminal cannot drive the terminal (issue 12 item 10): escape
 * sequences and control characters are shown escaped (`\x1b[2J`) by the live view, `-v`,
 * error lines and `trace`, while `--format json` and the history keep the exact text.
 * Real CLI, real history file.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, scratch, SLOW } from "./harness.ts";
import { readHistory } from "../resume/helpers.ts";

afterAll(removeScratch);

const PIPELINE = `
name: hostile
steps:
  clear:
    run: printf 'before\\033[2Jbell\\007\\033]0;title\\007back\\rover\\tdone'
  fail:
    run: printf 'boom\\033[2J\\033[31m' >&2; exit 3
`;

/** What `clear` prints, exactly. */
const EXACT = "before\x1b[2Jbell\x07\x1b]0;title\x07back\rover\tdone";
/** What a terminal is shown of it. */
const SHOWN = "before\\x1b[2Jbell\\x07\\x1b]0;title\\x07back\\rover\tdone";

/** Control characters a terminal would act on: everything below space but newline and tab, DEL, C1. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe("control characters in step output", () => {
  test.concurrent(
    "are shown escaped by the view, -v, errors and trace; JSON and the history keep them exactly",
    async () => {
      const cwd = scratch("escapes");
      writeFileSync(join(cwd, "p.yaml"), PIPELINE);
      const text = await aiorch(["run", "p.yaml", "-v"], { cwd });
      expect(text.exitCode).toBe(1);
      const json = await aiorch(["run", "p.yaml", "--format", "json"], { cwd });
      expect(json.exitCode).toBe(1);
      const id = readHistory(cwd, (store) => store.listRuns()[1]!.id);
      const trace = await aiorch(["trace", id, "-v"], { cwd });
      expect(trace.exitCode).toBe(0);

      expect(text.stdout).toContain(SHOWN);
      expect(text.stdout).toContain("boom\\x1b[2J\\x1b[31m");
      expect(trace.stdout).toContain(SHOWN);
      for (const [name, out] of Object.entries({
        text: text.stdout + text.stderr,
        trace: trace.stdout + trace.stderr,
        json: json.stdout + json.stderr,
      })) {
        expect({ name, control: CONTROL.test(out) }).toEqual({ name, control: false });
      }

      const doc = JSON.parse(json.stdout) as {
        outputs: Record<string, unknown>;
        steps: { name: string; error: string | null }[];
      };
      expect(doc.outputs.clear).toBe(EXACT);
      expect(json.stdout).toContain("\\u001b[2J");
      const steps = readHistory(cwd, (store) => store.getSteps(id));
      expect(steps.find((s) => s.name === "clear")!.output).toBe(EXACT);
      expect(steps.find((s) => s.name === "fail")!.failedAttempts?.[0]?.output?.stderr).toContain(
        "boom\x1b[2J\x1b[31m",
      );
      expect(trace.stdout).toContain("boom\\x1b[2J\\x1b[31m");
    },
    SLOW,
  );
});
