/**
 * Unfinished answers on the streamed path: with `-v` on a terminal a prompt step streams its
 * answer (SSE), and it must be judged as the whole answer is: empty → the attempt fails and
 * nothing is cached; cut off at max_tokens → a warning (text) or a re-ask (JSON). Run by the
 * compiled binary on a pseudo-terminal (util-linux `script`), as a user at a terminal runs it.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { builtBinary } from "../helpers/binary.ts";
import { behave, startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { llmProject } from "../helpers/llm-project.ts";
import { removeScratch, SLOW } from "../run/harness.ts";

let binary = "";
let server: LlmServer;
beforeAll(async () => {
  if (!Bun.which("script")) throw new Error("these tests need util-linux `script` to give aiorch a terminal");
  binary = builtBinary();
  server = await startLlmServer();
}, 120_000);
beforeEach(() => server.reset());
afterAll(async () => {
  await server.stop();
  removeScratch();
});

const project = (label: string, pipeline: string): string => llmProject(server, label, pipeline);

/** `aiorch run p.yaml -v` on a pseudo-terminal: its exit code and lines (without the terminal's \r). */
async function onTerminal(cwd: string): Promise<{ code: number; lines: string[] }> {
  const child = Bun.spawn(["script", "-qec", `'${binary}' run p.yaml -v`, "/dev/null"], {
    cwd,
    env: { ...process.env, AIORCH_HOME: join(cwd, ".home"), NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  return { code, lines: out.replace(/\r/g, "").split("\n") };
}

function cacheRows(cwd: string): string[] {
  const file = join(cwd, ".home", "history.db");
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true });
  try {
    return (db.query("SELECT response FROM llm_cache").all() as { response: string }[]).map((row) => row.response);
  } finally {
    db.close();
  }
}

describe("streamed answers (-v on a terminal)", () => {
  test(
    "an empty streamed answer fails the step and is not cached: the next run streams a real one",
    async () => {
      const cwd = project("stream-empty", "name: ask\nsteps:\n  q:\n    model: test-model\n    prompt: Say hello\n");
      server.script(behave.empty());
      const failed = await onTerminal(cwd);
      expect(server.stats.bodies[0]).toMatchObject({ stream: true });
      expect(failed.code).toBe(1);
      expect(failed.lines.find((l) => l.startsWith("✗ q"))).toMatch(
        /^✗ q +\S+ +test-model returned an empty answer \(finish_reason: stop\); check that the prompt asks for an answer/,
      );
      expect(cacheRows(cwd)).toEqual([]);

      const next = await onTerminal(cwd);
      expect(next.code).toBe(0);
      expect(server.stats.requests).toBe(2);
      expect(next.lines).toContain("    echo: Say hello");
      expect(cacheRows(cwd)).toEqual(["echo: Say hello"]);
    },
    SLOW,
  );

  test(
    "a streamed text answer cut off at max_tokens: shown as it came, then the warning; not cached",
    async () => {
      const cwd = project(
        "stream-cut",
        "name: ask\nsteps:\n  q:\n    model: test-model\n    max_tokens: 2\n    prompt: Say hello\n",
      );
      const { code, lines } = await onTerminal(cwd);
      expect(code).toBe(0);
      expect(server.stats.bodies[0]).toMatchObject({ stream: true, max_tokens: 2 });
      const streamed = lines.indexOf("    echo: Sa");
      const done = lines.findIndex((l) => l.startsWith("✓ q"));
      expect(streamed).toBeGreaterThan(0);
      expect(done).toBe(streamed + 1);
      expect(lines[done + 1]).toBe(
        "    ! test-model: the answer was cut off (finish_reason: length) at max_tokens: 2; the result is the incomplete text, not cached: raise max_tokens to get all of it",
      );
      expect(cacheRows(cwd)).toEqual([]);
    },
    SLOW,
  );

  test(
    "a streamed JSON answer cut off is re-asked, and the complete one is the result",
    async () => {
      const cwd = project(
        "stream-cut-json",
        "name: extract\nsteps:\n  person:\n    model: test-model\n    retry_on_invalid: 1\n    schema:\n      type: object\n      required: [name]\n      properties: {name: {type: string}}\n    prompt: Extract the person from Ada as JSON.\n",
      );
      server.script(behave.cutOff('{"name": "A'), behave.json({ name: "Ada" }));
      const { code, lines } = await onTerminal(cwd);
      expect(code).toBe(0);
      expect(server.stats.bodies.map((b) => b.stream)).toEqual([true, true]);
      expect(server.stats.bodies[1]!.messages.at(-1)!.content as string).toStartWith(
        "Your previous answer was cut off",
      );
      expect(lines.find((l) => l.startsWith("✓ person"))).toContain('{"name":"Ada"}');
      const asked = lines.indexOf('    {"name": "A');
      expect(lines.slice(asked, asked + 3)).toEqual([
        '    {"name": "A',
        "    ↻ re-asking: the answer was cut off at the token limit (finish_reason: length) before the JSON was complete",
        '    {"name":"Ada"}',
      ]);
      expect(lines.some((l) => l.includes("!"))).toBe(false);
      expect(cacheRows(cwd)).toEqual(['{"name":"Ada"}']);
    },
    SLOW,
  );
});
