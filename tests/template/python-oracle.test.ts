/**
 * python3 as the oracle for the Python semantics the template runtime re-implements:
 * printf-style `%`, format specs, the str methods and `pprint.pformat`, over a grid of
 * values (python-oracle.py computes the expected results; a case that raises in Python
 * must raise here). Floats travel as their repr so integral ones stay floats.
 */
import { describe, expect, test } from "bun:test";
import { compileTemplate } from "../../src/template/index.ts";
import { FILTERS } from "../../src/template/filters.ts";
import { formatValue } from "../../src/template/py-format-spec.ts";
import { percentFormat } from "../../src/template/py-format.ts";
import { IntegralFloat } from "../../src/template/values.ts";

interface Case {
  kind: "percent" | "format" | "method" | "pprint";
  spec: string;
  value: unknown;
  ok: boolean;
  r: unknown;
}

const proc = Bun.spawnSync(["python3", `${import.meta.dir}/python-oracle.py`]);
if (proc.exitCode !== 0) throw new Error(`python-oracle.py failed: ${proc.stderr.toString()}`);
const CASES = JSON.parse(proc.stdout.toString()) as Case[];

/** A value as the engine holds it: `{float: repr}` becomes a number, integral ones boxed. */
function decode(v: unknown): unknown {
  if (v && typeof v === "object" && "float" in v) {
    const text = (v as { float: string }).float;
    const n = text === "inf" ? Infinity : text === "-inf" ? -Infinity : text === "nan" ? NaN : Number(text);
    return Number.isInteger(n) || Object.is(n, -0) ? new IntegralFloat(n) : n;
  }
  return v;
}

function ours(c: Case): { ok: boolean; r: unknown } {
  const value = decode(c.value);
  try {
    if (c.kind === "percent") return { ok: true, r: percentFormat(c.spec, [value], true, 0) };
    if (c.kind === "format") return { ok: true, r: formatValue(value, c.spec, 0) };
    if (c.kind === "pprint") return { ok: true, r: FILTERS.pprint!(0, value) };
    const call = c.spec.replace(/True/g, "true").replace(/None/g, "none");
    return { ok: true, r: compileTemplate(`{{ s.${call} }}`).evaluate({ s: value }) };
  } catch (e) {
    if (e instanceof Error) return { ok: false, r: e.message };
    throw e;
  }
}

describe("the Python semantics of the runtime, against python3", () => {
  test("has the whole grid", () => {
    expect(CASES.length).toBeGreaterThan(2500);
  });
  for (const kind of ["percent", "format", "method", "pprint"] as const) {
    test(`${kind}: same result, or both raise`, () => {
      const wrong: string[] = [];
      for (const c of CASES.filter((x) => x.kind === kind)) {
        const got = ours(c);
        const same = got.ok === c.ok && (!c.ok || JSON.stringify(got.r) === JSON.stringify(c.r));
        if (!same)
          wrong.push(
            `${JSON.stringify(c.spec)} on ${JSON.stringify(c.value)}: python ${JSON.stringify(c.r)}, ours ${JSON.stringify(got.r)}`,
          );
      }
      expect(wrong).toEqual([]);
    });
  }
});
