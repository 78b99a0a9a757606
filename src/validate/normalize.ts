import { resolve } from "node:path";
import { exactYamlValue } from "../load/yaml-exact.ts";
import { SourceFile } from "../load/yaml-source.ts";
import {
  DEFAULT_FOREACH_CONCURRENCY,
  DEFAULT_RETRY_MAX_DELAY_MS,
  type ConditionSpec,
  type ForeachSpec,
  type InputSpec,
  type InputType,
  type Pipeline,
  type Primitive,
  type PromptSettings,
  type Step,
} from "../model/pipeline.ts";
import { PRIMITIVES } from "../spec/step.ts";
import { parseDuration } from "../model/duration.ts";
import { IntegralFloat } from "../model/py-value.ts";

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const int = (v: unknown, fallback: number): number => (Number.isInteger(v) ? (v as number) : fallback);
const strings = (v: unknown): Record<string, string> =>
  isRecord(v)
    ? Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== null && typeof x !== "object")
          .map(([k, x]) => [k, String(x)]),
      )
    : {};

/**
 * Turns the parsed YAML value into the Pipeline model. Tolerant by design: fields that
 * failed the structure check are dropped (they are already reported), so the semantic
 * and DAG layers can still run and report everything in one pass.
 */
export function normalizePipeline(source: SourceFile): Pipeline {
  const raw = source.value;
  const doc: Raw = isRecord(raw) ? raw : {};
  const stepsRaw = isRecord(doc.steps) ? doc.steps : {};
  // A handler runs only when a step it handles fails: named by an on_failure:, or marked `trigger: on_failure`.
  const handlerNames = new Set([
    ...Object.values(stepsRaw).flatMap((s) => (isRecord(s) && typeof s.on_failure === "string" ? [s.on_failure] : [])),
    ...Object.entries(stepsRaw).flatMap(([name, s]) => (isRecord(s) && s.trigger === "on_failure" ? [name] : [])),
  ]);
  const steps = Object.entries(stepsRaw).map(([name, spec]) =>
    normalizeStep(source, name, isRecord(spec) ? spec : {}, handlerNames.has(name)),
  );
  const pipeline: Pipeline = {
    name: str(doc.name) ?? "",
    file: resolve(source.path),
    declaresInputs: doc.input !== undefined && doc.input !== null,
    inputs: isRecord(doc.input)
      ? Object.entries(doc.input).map(([name, entry]) => normalizeInput(name, entry, exactDefaultOf(source, name)))
      : [],
    env: strings(doc.env),
    steps,
    flows: new Map(),
  };
  if (typeof doc.description === "string") pipeline.description = doc.description;
  if (isRecord(doc.outputs)) pipeline.outputs = exactAt(source, ["outputs"], doc.outputs) as Raw;
  return pipeline;
}

/** Reads a default's numbers as Python does (`3.0` a float, big ints exact), from the YAML node at `input.<name>.<path>`. */
type ExactDefault = (path: string[], value: unknown) => unknown;

/**
 * A value written in the YAML (a `vars` value, a `foreach` list, a flow's `input`, `outputs`)
 * with its numbers read as Python reads them, so `7.0` reaches a step as a float.
 */
function exactAt(source: SourceFile, path: string[], value: unknown): unknown {
  return exactYamlValue(source.doc.getIn(path, true), source.doc, value);
}

function exactDefaultOf(source: SourceFile, name: string): ExactDefault {
  return (path, value) => exactYamlValue(source.doc.getIn(["input", name, ...path], true), source.doc, value);
}

function inferType(value: unknown): InputType {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "bigint") return "integer";
  if (value instanceof IntegralFloat) return "number";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (Array.isArray(value)) return "list";
  return "string";
}

/**
 * A declared input. `default: null` is a default of None (as in Python), not "no default";
 * the short form `name:` with nothing declares an input without one.
 */
function normalizeInput(name: string, entry: unknown, exact: ExactDefault): InputSpec {
  if (!isRecord(entry)) {
    const hasDefault = entry !== null && entry !== undefined;
    const value = hasDefault ? exact([], entry) : undefined;
    return { name, type: inferType(value), hasDefault, ...(hasDefault ? { default: value } : {}), required: false };
  }
  const hasDefault = "default" in entry && entry.default !== undefined;
  const value = hasDefault ? exact(["default"], entry.default) : undefined;
  const spec: InputSpec = {
    name,
    type: (str(entry.type) as InputType | undefined) ?? (hasDefault && value !== null ? inferType(value) : "string"),
    hasDefault,
    required: entry.required === true,
  };
  if (hasDefault) spec.default = value;
  const optional = {
    description: str(entry.description),
    minimum: num(entry.minimum),
    maximum: num(entry.maximum),
    delimiter: str(entry.delimiter),
    url: str(entry.url),
    method: str(entry.method),
    contentType: str(entry.content_type),
    maxSizeMb: num(entry.max_size_mb),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (spec as unknown as Raw)[key] = value;
  if (typeof entry.format === "string") spec.format = entry.format as InputSpec["format"];
  if (isRecord(entry.headers)) spec.headers = strings(entry.headers);
  if (entry.body !== undefined) spec.body = entry.body;
  return spec;
}

function normalizeStep(source: SourceFile, name: string, spec: Raw, isHandler: boolean): Step {
  const primitive: Primitive =
    PRIMITIVES.find((p) => typeof spec[p] === "string") ?? PRIMITIVES.find((p) => p in spec) ?? "run";
  const { line, col } = source.position(SourceFile.start(source.stepEntry(name)?.key));
  const depends =
    typeof spec.depends === "string"
      ? [spec.depends]
      : Array.isArray(spec.depends)
        ? spec.depends.filter((d): d is string => typeof d === "string")
        : [];
  const common = {
    name,
    body: str(spec[primitive]) ?? "",
    depends,
    parallel: spec.parallel === true,
    concurrency: int(spec.concurrency, DEFAULT_FOREACH_CONCURRENCY),
    onItemFailure: spec.on_item_failure === "continue" ? ("continue" as const) : ("fail" as const),
    retry: {
      retries: int(spec.retry, 0),
      delayMs: parseDuration(spec.retry_delay) ?? 0,
      strategy: spec.retry_strategy === "exponential" ? ("exponential" as const) : ("fixed" as const),
      maxDelayMs: parseDuration(spec.retry_max_delay) ?? DEFAULT_RETRY_MAX_DELAY_MS,
    },
    env: strings(spec.env),
    vars: isRecord(spec.vars) ? (exactAt(source, ["steps", name, "vars"], spec.vars) as Raw) : {},
    isHandler,
    location: { file: source.path, line, col },
  };
  // A `schema:` makes the answer (or a run: step's stdout) JSON.
  const format = spec.format === "json" || isRecord(spec.schema) ? ("json" as const) : ("text" as const);
  const step = primitiveFields(source, name, spec, primitive, common, format);
  const optional = {
    output: str(spec.output),
    condition: normalizeCondition(spec.condition),
    foreach: normalizeForeach(
      Array.isArray(spec.foreach) ? exactAt(source, ["steps", name, "foreach"], spec.foreach) : spec.foreach,
    ),
    onFailure: str(spec.on_failure),
    timeoutMs: parseDuration(spec.timeout),
    cwd: str(spec.cwd),
    save: str(spec.save),
    description: str(spec.description),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (step as unknown as Raw)[key] = value;
  return step;
}

/** The fields only one primitive has: a prompt's settings, a run: step's format, a flow's `input:`. */
function primitiveFields<C extends Omit<Step, "primitive">>(
  source: SourceFile,
  name: string,
  spec: Raw,
  primitive: Primitive,
  common: C,
  format: "text" | "json",
): Step {
  switch (primitive) {
    case "prompt": {
      const prompt: PromptSettings = {
        format,
        retryOnInvalid: int(spec.retry_on_invalid, 0),
        cache: spec.cache !== false,
      };
      const optional = {
        model: str(spec.model),
        temperature: num(spec.temperature),
        maxTokens: num(spec.max_tokens),
        system: str(spec.system),
        maxCost: num(spec.max_cost),
        schema: isRecord(spec.schema) ? spec.schema : undefined,
      };
      for (const [key, value] of Object.entries(optional))
        if (value !== undefined) (prompt as unknown as Raw)[key] = value;
      return { ...common, primitive, prompt };
    }
    case "run":
      return { ...common, primitive, format };
    case "flow":
      return {
        ...common,
        primitive,
        flowInput: isRecord(spec.input) ? (exactAt(source, ["steps", name, "input"], spec.input) as Raw) : {},
      };
    case "python":
      return { ...common, primitive };
  }
}

function normalizeCondition(value: unknown): ConditionSpec | undefined {
  if (typeof value === "boolean") return { kind: "constant", value };
  if (typeof value === "string") return { kind: "expression", source: value };
  return undefined;
}

/** A bare `foreach: rows` (or `data.items`) is the expression `{{ rows }}`. */
function normalizeForeach(value: unknown): ForeachSpec | undefined {
  if (Array.isArray(value)) return { kind: "list", items: value };
  if (typeof value !== "string") return undefined;
  return { kind: "expression", template: value.includes("{{") ? value : `{{ ${value.trim()} }}` };
}
