/** Input files that would exhaust memory or the stack are input errors (exit 2), never an internal error. */
import { afterAll, describe, expect, test } from "bun:test";
import { aiorch, removeScratch, SLOW } from "./harness.ts";

afterAll(removeScratch);

const BOMB = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(
    ["b", "c", "d", "e", "f", "g"].map(
      (name, i) => `${name}: &${name} [${Array(9).fill(`*${"abcdef"[i]}`).join(",")}]`,
    ),
  )
  .join("\n");

describe("YAML alias bombs in input files", () => {
  test.concurrent.each([
    [
      "--input FILE",
      ["--input", "bomb.yaml"],
      "--input bomb.yaml: invalid YAML: YAML aliases expand into too many copies",
    ],
    [
      "-i KEY=@FILE",
      ["-i", "g=@bomb.yaml"],
      "input `g`: file bomb.yaml: invalid YAML: YAML aliases expand into too many copies",
    ],
  ])(
    "%s",
    async (_label, args, message) => {
      const yaml = "name: t\ninput:\n  g: [x]\nsteps:\n  x:\n    run: echo hi\n";
      const r = await aiorch(["run", "p.yaml", ...args], { files: { "p.yaml": yaml, "bomb.yaml": `${BOMB}\n` } });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain("internal error");
    },
    SLOW,
  );
});
