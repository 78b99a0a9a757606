/**
 * docs/templates.md#how-values-are-rendered end to end: text that one step produces (quotes, `$(…)`, backticks, newlines,
 * `; touch pwned`) flows into later `run:` steps and cannot run commands. Every command
 * prints the value back; the value must come out unchanged and no canary file may appear.
 */
import { afterAll, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { removeScratch, runFixtureJson, SLOW } from "./harness.ts";

afterAll(removeScratch);

const EVIL = [
  `it's "quoted" $(touch pwned-subst) \`touch pwned-backtick\` ; touch pwned-semicolon`,
  "&& touch pwned-and | touch pwned-pipe > pwned-redirect",
  "'; touch pwned-squote; '",
  '"; touch pwned-dquote; "',
  "$HOME ${PATH} * ~ \\ end $((6 * 7))",
].join("\n");

const canaries = (dir: string) => readdirSync(dir).filter((f) => f.startsWith("pwned"));

test.concurrent(
  "hostile text from a step is one plain word, heredoc text, a foreach item and a flow input: never code",
  async () => {
    const run = await runFixtureJson("hostile/hostile.yaml", [], { files: { "evil.txt": EVIL } });
    expect(run.exitCode).toBe(0);
    expect(canaries(run.cwd)).toEqual([]);
    const out = run.doc.outputs;
    expect(out.evil).toBe(EVIL);
    expect(out.from_shell).toBe(EVIL);
    expect(out.plain_word).toBe(EVIL);
    expect(out.two_words).toBe(`[${EVIL}][${EVIL}]`);
    expect(out.second_hand).toBe(EVIL);
    expect(out.heredoc_single).toBe(EVIL);
    expect(out.heredoc_double).toBe(EVIL);
    expect(out.heredoc_backslash).toBe(EVIL);
    expect(out.per_line).toEqual(EVIL.split("\n"));
    expect(out.through_flow).toEqual({ echoed: EVIL });
  },
  SLOW,
);

test.concurrent(
  "a value holding the heredoc's terminator line is refused instead of ending the heredoc early",
  async () => {
    const run = await runFixtureJson("hostile/terminator.yaml");
    expect(run.exitCode).toBe(1);
    expect(run.doc.outputs.sneaky).toBe("before\nEOF\ntouch pwned-terminator");
    expect(run.step("heredoc")).toMatchObject({
      status: "failed",
      error:
        "`sneaky` (line 2 of the command) is `before\\nEOF\\ntouch pwned-terminator`: it puts the heredoc terminator line `EOF` into the body, which would end the heredoc early; choose a heredoc terminator the value cannot contain",
    });
    expect(canaries(run.cwd)).toEqual([]);
  },
  SLOW,
);
