/**
 * A prompt step's `schema:` checked by the compiled binary: Ajv compiles validators with
 * `new Function` and is loaded lazily (a `require` the bundler must resolve), so both the
 * load-time check and the answer check are run by the executable, not only by the sources.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { builtBinary } from "../helpers/binary.ts";
import { behave, startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { llmProject } from "../helpers/llm-project.ts";
import { removeScratch, SLOW } from "../run/harness.ts";

let binary = "";
let server: LlmServer;
beforeAll(async () => {
  binary = builtBinary();
  server = await startLlmServer();
}, 120_000);
afterAll(async () => {
  await server.stop();
  removeScratch();
});

const project = (label: string, pipeline: string): string => llmProject(server, label, pipeline);

/** Runs the binary without blocking: the LLM server answers from this process. */
async function aiorch(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([binary, ...args], {
    cwd,
    env: { ...process.env, AIORCH_HOME: join(cwd, ".home"), NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout, stderr };
}

const INVOICE = `name: extract
steps:
  invoice:
    model: test-model
    retry_on_invalid: 1
    schema:
      $schema: http://json-schema.org/draft-07/schema#
      definitions:
        line: { type: object, required: [sku, qty], properties: { sku: { type: string }, qty: { type: integer, minimum: 1 } } }
      type: object
      required: [due, lines]
      properties:
        due: { type: string, format: date }
        lines: { type: array, minItems: 1, items: { $ref: "#/definitions/line" } }
    prompt: Extract the invoice as JSON.
`;

test(
  "the binary checks answers with Ajv: a violating answer is re-asked with the problems, the corrected one is the result",
  async () => {
    const cwd = project("schema-answer", INVOICE);
    server.reset();
    server.script(
      behave.json({ due: "03/04/2024", lines: [{ sku: "a", qty: 0 }] }),
      behave.json({ due: "2024-04-03", lines: [{ sku: "a", qty: 2 }] }),
    );
    const r = await aiorch(cwd, ["run", "p.yaml", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).outputs).toEqual({ invoice: { due: "2024-04-03", lines: [{ sku: "a", qty: 2 }] } });
    expect(server.stats.requests).toBe(2);
    const reask = server.stats.bodies[1]!.messages.at(-1)!.content as string;
    expect(reask).toContain("- at /due: must be a valid date (YYYY-MM-DD)\n- at /lines/0/qty: must be >= 1");
  },
  SLOW,
);

test("the binary checks the schema itself at load time, with the place in the YAML", async () => {
  const cwd = project(
    "schema-load",
    INVOICE.replace("minItems: 1", "minItems: -1").replace("type: integer", "type: int"),
  );
  const r = await aiorch(cwd, ["validate", "p.yaml"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    'p.yaml:9:103: error: step `invoice`, schema/definitions/line/properties/qty/type: unknown type "int": did you mean "integer"?',
  );
  expect(r.stderr).toContain(
    "p.yaml:14:41: error: step `invoice`, schema/properties/lines/minItems: must be a whole number >= 0",
  );
});
