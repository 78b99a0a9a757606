/**
 * A condition written with `{{ }}` can never be made true by a value: each value is one
 * operand, so no text a value holds can change the expression around it.
 */
import { describe, expect, test } from "bun:test";
import { TemplateRenderError, checkCondition, compileCondition } from "../../src/template/index.ts";
import { runCli, tempDir } from "../helpers/cli.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const stepStatus = (json: string) =>
  (JSON.parse(json) as { steps: Array<{ name: string; status: string }> }).steps.find((s) => s.name === "deploy")
    ?.status;
const holds = (source: string, context: Record<string, unknown>) => compileCondition(source).test(context);

/** Values that, spliced into the text, would have made `X == 'admin'` true or broken it. */
const HOSTILE = [
  "guest or 1",
  "guest' or 'a' == 'a",
  'guest" or "a" == "a',
  "",
  "(",
  "'",
  '"',
  "guest extra words",
  "1 or 1",
  "admin' or '",
  "x == x or x",
  "True",
  "admin admin",
  ") or (1",
  "{{ 1 }}",
  "not 0",
  "[1]",
];

describe("compatibility conditions fail closed", () => {
  test.each([
    "{{ role }} == 'admin'",
    "'{{ role }}' == 'admin'",
    '"{{ role }}" == "admin"',
    "{{ role }} == admin",
    "admin == {{ role }}",
  ])("%s: no value but `admin` makes it true", (condition) => {
    expect(holds(condition, { role: "admin" })).toBe(true);
    expect(holds(condition, { role: " admin " })).toBe(true);
    for (const role of HOSTILE) expect(holds(condition, { role })).toBe(false);
  });

  test("!= and `not in` stay true for every hostile value", () => {
    for (const role of HOSTILE) {
      expect(holds("{{ role }} != 'admin'", { role })).toBe(true);
      expect(holds("{{ role }} not in ['admin', 'owner']", { role })).toBe(true);
    }
  });

  test("a value is read as a literal: numbers compare as numbers, yes/no words as booleans", () => {
    expect(holds("{{ n }} > 5", { n: "7" })).toBe(true);
    expect(holds("{{ n }} > 5", { n: 3 })).toBe(false);
    expect(holds("{{ n }} == 2.5", { n: 2.5 })).toBe(true);
    expect(holds("{{ ok }}", { ok: "yes" })).toBe(true);
    expect(holds("{{ ok }}", { ok: "no" })).toBe(false);
    expect(holds("{{ ok }} == True", { ok: true })).toBe(true);
    expect(holds("{{ ok }} and {{ n }} > 1", { ok: "1 or 1", n: 0 })).toBe(false);
  });

  test("text glued to a value is part of the same operand", () => {
    expect(holds("v{{ n }} == 'v2'", { n: 2 })).toBe(true);
    expect(holds("v{{ n }} == 'v2'", { n: "2' or 'x" })).toBe(false);
    expect(holds("'{{ a }} {{ b }}' == 'x y'", { a: "x", b: "y" })).toBe(true);
    expect(holds("{{ env }}-{{ region }} == 'prod-eu'", { env: "prod", region: "eu" })).toBe(true);
  });

  test("a condition whose shape is not an expression fails the step with the rendered text", () => {
    expect(() => holds("{{ a }} {{ b }}", { a: 1, b: 2 })).toThrow(TemplateRenderError);
    expect(() => holds("{{ a }} {{ b }}", { a: 1, b: 2 })).toThrow(
      "the condition rendered as `1 2`, which is not an expression",
    );
  });

  test("statements are refused at load time, with the fix", () => {
    const [problem] = checkCondition("{% if a %}yes{% endif %} == 'yes'");
    expect(problem?.message).toBe("a condition cannot hold `{% %}` statements");
    expect(problem?.hint).toContain("write the test as an expression");
  });

  test("the bare form is suggested", () => {
    expect(compileCondition("{{ role }} == 'admin'").suggestion).toBe("role == 'admin'");
    expect(compileCondition("'{{ user.role }}' != 'guest' and {{ n | int }} > 2").suggestion).toBe(
      "user.role != 'guest' and n | int > 2",
    );
    expect(compileCondition("role == 'admin'").suggestion).toBeUndefined();
  });

  test("through the CLI: the hostile input skips the step; validate suggests the bare form", () => {
    const dir = tempDir("cond");
    const file = join(dir, "p.yaml");
    writeFileSync(
      file,
      "name: cond\ninput:\n  role: { type: string, default: guest }\nsteps:\n  deploy:\n    run: echo DEPLOYED\n    condition: \"{{ role }} == 'admin'\"\n",
    );
    for (const role of ["guest' or 'a' == 'a", "guest or 1", "("]) {
      const r = runCli(["run", file, "-i", `role=${role}`, "--no-history", "--format", "json"]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).not.toContain("DEPLOYED");
      expect(stepStatus(r.stdout)).toBe("skipped");
    }
    const admin = runCli(["run", file, "-i", "role=admin", "--no-history", "--format", "json"]);
    expect(stepStatus(admin.stdout)).toBe("success");
    const validate = runCli(["validate", file]);
    expect(validate.exitCode).toBe(0);
    expect(validate.stderr + validate.stdout).toContain("write `condition: role == 'admin'`");
  });
});
