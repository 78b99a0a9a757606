/**
 * `prompt:` steps with a schema, end to end (docs/llm.md): the schema sent as response_format,
 * invalid answers re-asked with what is wrong, numbers read as Python reads them. The real
 * CLI in a child process talks HTTP to the local OpenAI-compatible server (prompt-setup.ts).
 */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { behave } from "../helpers/llm-server.ts";
import { SLOW } from "../run/harness.ts";
import { doc, project, resetServer, run, server, stopServer } from "./prompt-setup.ts";

beforeEach(resetServer);
afterAll(stopServer);

describe("JSON answers", () => {
  const SCHEMA = `name: extract
steps:
  person:
    model: gpt-4o-mini
    retry_on_invalid: 2
    schema:
      type: object
      required: [name, age]
      properties:
        name: { type: string }
        age: { type: integer, minimum: 0 }
    prompt: Extract the person from "Ada, 36" as JSON.
`;

  test(
    "invalid JSON is re-asked; the schema is sent as response_format",
    async () => {
      const cwd = project("reask", SCHEMA);
      server.script(
        behave.text("Sure! Here it is: {name: Ada"),
        behave.text('```json\n{"name": "Ada", "age": 36}\n```'),
      );
      const outcome = await run(cwd);
      expect(outcome.exitCode).toBe(0);
      expect(doc(outcome).outputs).toEqual({ person: { name: "Ada", age: 36 } });
      expect(server.stats.requests).toBe(2);
      expect(server.stats.responseFormats[0]).toMatchObject({
        type: "json_schema",
        json_schema: { schema: { required: ["name", "age"] } },
      });
      const reask = server.stats.bodies[1]!.messages.at(-1)!.content as string;
      expect(reask).toContain("not valid JSON");
    },
    SLOW,
  );

  test(
    "a JSON answer's numbers are read as Python's json.loads reads them: 4.0 a float, big ints exact (issue 10)",
    async () => {
      const pipeline = `name: exact
steps:
  numbers:
    model: gpt-4o-mini
    schema:
      type: object
      properties:
        score: { type: number }
        id: { type: integer, minimum: 0 }
    prompt: Give me the numbers as JSON.
  check:
    depends: [numbers]
    python: |
      n = inputs["numbers"]
      result = [type(n["score"]).__name__, n["id"] == 2**64 + 1]
`;
      const cwd = project("exact-json", pipeline);
      server.script(behave.text('{"score": 4.0, "id": 18446744073709551617}'));
      const outcome = await run(cwd);
      expect(outcome.exitCode).toBe(0);
      expect(doc(outcome).outputs.check).toEqual(["float", true]);
      expect(outcome.stdout).toContain('"score": 4.0,\n      "id": 18446744073709551617');
    },
    SLOW,
  );

  test(
    "schema violations are listed in the re-ask; after retry_on_invalid the step fails with them",
    async () => {
      const cwd = project("violations", SCHEMA);
      server.rule(() => behave.json({ name: 7, age: -1 }));
      const outcome = await run(cwd);
      expect(outcome.exitCode).toBe(1);
      expect(server.stats.requests).toBe(3);
      const reask = server.stats.bodies[1]!.messages.at(-1)!.content as string;
      expect(reask).toContain("at /name: must be a string");
      expect(reask).toContain("at /age: must be >= 0");
      const error = doc(outcome).steps[0]!.error!;
      expect(error).toContain("does not match the schema");
      expect(error).toContain("after 3 answers");
    },
    SLOW,
  );
});
