/**
 * Differential tests: every case is rendered by our engine and by real Jinja2
 * (python3 + jinja2, StrictUndefined, keep_trailing_newline) in one process, and the
 * results must agree: same text, same JSON value, or both failing. Cases marked
 * `divergence` are the deliberate differences of SPEC docs/templates.md#undefined-names/docs/templates.md#how-values-are-rendered; for them we check our
 * own output and that Jinja's really differs.
 */
import { describe, expect, test } from "bun:test";
import { BUILTINS, FILTER_NAMES, checkTemplate, compileTemplate } from "../../src/template/index.ts";
import { BUILTIN_FILTER_CASES } from "./cases-builtin-filters.ts";
import { BUILTIN_TEST_CASES, REFUSED_CASES } from "./cases-builtin-tests.ts";
import { EXPRESSION_CASES } from "./cases-expressions.ts";
import { FILTER_CASES } from "./cases-filters.ts";
import { BLOCK_CASES } from "./cases-blocks.ts";
import { PYTHON_CASES } from "./cases-python.ts";
import { STATEMENT_CASES } from "./cases-statements.ts";
import { BASE_CONTEXT, type DiffCase } from "./differential-case.ts";

type Outcome = { ok: true; text: string } | { ok: true; json: string } | { ok: false; error: string };

const CASES: DiffCase[] = [
  ...EXPRESSION_CASES,
  ...FILTER_CASES,
  ...STATEMENT_CASES,
  ...BUILTIN_FILTER_CASES,
  ...BUILTIN_TEST_CASES,
  ...REFUSED_CASES,
  ...PYTHON_CASES,
  ...BLOCK_CASES,
];

function contextOf(c: DiffCase): Record<string, unknown> {
  return { ...BASE_CONTEXT, ...c.context };
}

/** The expression inside a value case's `{{ … }}`. */
function expressionOf(c: DiffCase): string {
  return c.template.slice(2, -2).trim();
}

function runJinja(cases: DiffCase[]): Outcome[] {
  const input = cases.map((c) => ({
    template: c.template,
    context: contextOf(c),
    expr: c.json ? expressionOf(c) : null,
  }));
  const proc = Bun.spawnSync(["python3", `${import.meta.dir}/jinja-oracle.py`], {
    stdin: Buffer.from(JSON.stringify(input)),
  });
  if (proc.exitCode !== 0) throw new Error(`jinja oracle failed: ${proc.stderr.toString()}`);
  return JSON.parse(proc.stdout.toString()) as Outcome[];
}

function runOurs(c: DiffCase): Outcome {
  try {
    const template = compileTemplate(c.template);
    if (c.json) return { ok: true, json: JSON.stringify(template.evaluate(contextOf(c))) };
    return { ok: true, text: template.render(contextOf(c)) };
  } catch (e) {
    if (e instanceof Error && (e.name === "TemplateSyntaxError" || e.name === "TemplateRenderError"))
      return { ok: false, error: e.message };
    throw e;
  }
}

const jinja = runJinja(CASES);

/** Jinja2's own lists of built-ins, asked from the installed jinja2 (never written down here). */
const JINJA = (() => {
  const script =
    "import json, jinja2.defaults as d; print(json.dumps({'filters': sorted(d.DEFAULT_FILTERS), 'tests': sorted(d.DEFAULT_TESTS), 'globals': sorted(d.DEFAULT_NAMESPACE)}))";
  const proc = Bun.spawnSync(["python3", "-c", script]);
  if (proc.exitCode !== 0) throw new Error(`python3 -c … failed: ${proc.stderr.toString()}`);
  return JSON.parse(proc.stdout.toString()) as { filters: string[]; tests: string[]; globals: string[] };
})();

describe("differential: our engine vs Jinja2", () => {
  test("has at least 600 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(600);
  });

  test("every built-in of Jinja2 (asked from jinja2.defaults) is used in two cases, or refused at load time", () => {
    const templates = CASES.map((c) => c.template);
    const uses = (pattern: RegExp) => templates.filter((t) => pattern.test(t)).length;
    const esc = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const refused = BUILTINS.refused;
    const missing: string[] = [];
    for (const name of JINJA.filters) {
      if (Object.hasOwn(refused.filters, name)) {
        expect(checkTemplate(`{{ x | ${name} }}`)[0]).toMatchObject(refused.filters[name]!);
        continue;
      }
      expect(BUILTINS.filters).toContain(name);
      const used = uses(new RegExp(`\\|\\s*${esc(name)}\\b`)) + uses(new RegExp(`map\\('${esc(name)}'`));
      if (used < 2) missing.push(`filter ${name} (${used})`);
    }
    for (const name of JINJA.tests) {
      expect(BUILTINS.tests).toContain(name);
      const used =
        uses(new RegExp(`\\bis (not )?${esc(name)}\\b`)) +
        uses(new RegExp(`(select|reject)(attr)?\\((\\S+, )?'${esc(name)}'`));
      if (used < 2) missing.push(`test ${name} (${used})`);
    }
    for (const name of JINJA.globals) {
      if (Object.hasOwn(refused.globals, name)) {
        expect(checkTemplate(`{{ ${name}() }}`)[0]).toMatchObject(refused.globals[name]!);
        continue;
      }
      expect(BUILTINS.globals).toContain(name);
      const used = uses(new RegExp(`\\b${name}\\(`));
      if (used < 2) missing.push(`global ${name} (${used})`);
    }
    for (const name of BUILTINS.methods) {
      if (["next", "reset", "cycle", "changed"].includes(name)) continue;
      if (uses(new RegExp(`\\.${name}\\(`)) < 1) missing.push(`method ${name}`);
    }
    expect(missing).toEqual([]);
  });

  test("covers every filter, test, method, operator, loop field and whitespace control of SPEC docs/templates.md#syntax", () => {
    const all = CASES.map((c) => c.template).join("\n");
    for (const filter of FILTER_NAMES) expect(all).toMatch(new RegExp(`\\|\\s*${filter}\\b`));
    for (const t of ["defined", "not defined", "none", "not none", "number", "string"])
      expect(all).toContain(`is ${t} `);
    for (const m of [
      "items",
      "keys",
      "values",
      "get",
      "upper",
      "lower",
      "strip",
      "split",
      "startswith",
      "endswith",
      "replace",
    ])
      expect(all).toContain(`.${m}(`);
    for (const op of [
      " + ",
      " - ",
      " * ",
      " / ",
      " // ",
      " % ",
      " ** ",
      " ~ ",
      " == ",
      " != ",
      " < ",
      " > ",
      " <= ",
      " >= ",
      " in ",
      " not in ",
      " and ",
      " or ",
      "not ",
      " if ",
      " else ",
    ]) {
      expect(all).toContain(op);
    }
    for (const field of ["loop.index ", "loop.index0", "loop.first", "loop.last", "loop.length"])
      expect(all).toContain(field);
    for (const tag of [
      "{{-",
      "-}}",
      "{%-",
      "-%}",
      "{#-",
      "-#}",
      "{% else %}no items{% endfor %}",
      "{% set ",
      "{% elif ",
    ])
      expect(all).toContain(tag);
  });

  CASES.forEach((c, i) => {
    const theirs = jinja[i]!;
    const label = `${c.json ? "value" : "text"} ${JSON.stringify(c.template)}`;
    test(label, () => {
      const ours = runOurs(c);
      if (c.divergence) {
        const expected = c.divergence.ours;
        if (typeof expected === "string") expect(ours).toEqual({ ok: true, text: expected });
        else expect(ours.ok).toBe(false);
        expect(theirs).not.toEqual(ours);
        return;
      }
      if (!theirs.ok) {
        expect(ours).toMatchObject({ ok: false });
        return;
      }
      if ("json" in theirs) {
        expect(ours).toHaveProperty("json");
        if ("json" in ours) expect(JSON.parse(ours.json)).toEqual(JSON.parse(theirs.json));
        return;
      }
      expect(ours).toEqual(theirs);
    });
  });
});
