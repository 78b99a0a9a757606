import { relative } from "node:path";
import type { Pipeline, Step } from "../model/pipeline.ts";
import { ancestorsOf, buildDag } from "../plan/dag.ts";
import { formatDuration } from "../model/duration.ts";
import { conditionLabel, foreachLabel } from "./step-summary.ts";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const names = (list: Iterable<string>) => [...list].map((n) => `\`${n}\``).join(", ");
const indentBlock = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => `      ${l}`)
    .join("\n");

function whatItDoes(step: Step): string {
  switch (step.primitive) {
    case "prompt": {
      const settings = [
        step.prompt.model ? `model ${step.prompt.model}` : "the configured default model",
        step.prompt.temperature !== undefined ? `temperature ${step.prompt.temperature}` : "",
        step.prompt.maxTokens !== undefined ? `at most ${step.prompt.maxTokens} tokens` : "",
      ].filter(Boolean);
      const lines = [`Asks an LLM (${settings.join(", ")}) this prompt:`, indentBlock(step.body)];
      if (step.prompt.system) lines.push(`  with the system message:`, indentBlock(step.prompt.system));
      if (step.prompt.schema)
        lines.push(
          `  The answer is parsed as JSON and must match the step's schema${step.prompt.retryOnInvalid ? `; the model is re-asked up to ${plural(step.prompt.retryOnInvalid, "time")} when it does not` : ""}.`,
        );
      else if (step.prompt.format === "json") lines.push("  The answer is parsed as JSON.");
      lines.push(
        step.prompt.cache
          ? "  Answers are cached: an identical call is free."
          : "  The response cache is off for this step.",
      );
      if (step.prompt.maxCost !== undefined) lines.push(`  Fails if it would cost more than $${step.prompt.maxCost}.`);
      return lines.join("\n");
    }
    case "python":
      return [
        `Runs this Python code in a python3 worker (it reads \`inputs[...]\`; its \`result\`, or what it prints, is the result):`,
        indentBlock(step.body),
      ].join("\n");
    case "run":
      return [
        `Runs this shell command with /bin/sh (its trimmed stdout is the result; every {{ }} value is shell-quoted):`,
        indentBlock(step.body),
      ].join("\n");
    case "flow": {
      const inputs = Object.keys(step.flowInput);
      return `Runs the sub-pipeline \`${step.body.trim()}\` as one step${inputs.length ? `, passing ${names(inputs)}` : ""}; its outputs are the result.`;
    }
  }
}

/** A deterministic, plain-language description of one step (`aiorch explain FILE STEP`). No LLM involved. */
export function explainStep(pipeline: Pipeline, step: Step): string {
  const dag = buildDag(pipeline.steps);
  const ancestors = ancestorsOf(dag).get(step.name) ?? new Set<string>();
  const direct = new Set(step.depends);
  const indirect = [...ancestors].filter((a) => !direct.has(a));
  const users = pipeline.steps.filter((s) => s.depends.includes(step.name)).map((s) => s.name);
  const handlersOf = pipeline.steps.filter((s) => s.onFailure === step.name).map((s) => s.name);
  const where = `${relative(process.cwd(), step.location.file) || step.location.file}:${step.location.line}`;
  const lines = [`Step \`${step.name}\` of pipeline \`${pipeline.name}\` (${step.primitive}, ${where})`];
  if (step.description) lines.push(`  ${step.description.trim()}`);
  lines.push("");
  if (step.isHandler)
    lines.push(
      `It is an on_failure handler: it runs only when ${names(handlersOf)} fails, and sees \`failed_step\` and \`error\`.`,
    );
  else if (step.depends.length)
    lines.push(
      `It starts when ${names(step.depends)} ${step.depends.length === 1 ? "has" : "have"} finished${indirect.length ? ` (and so after ${names(indirect)})` : ""}.`,
    );
  else lines.push("It has no dependencies: it starts as soon as the run starts.");
  const condition = conditionLabel(step);
  if (condition !== undefined)
    lines.push(
      `It runs only when \`${condition}\` is true; otherwise it is skipped, and so are steps that need its result.`,
    );
  if (step.foreach) {
    const mode = step.parallel ? `in parallel, at most ${step.concurrency} at a time` : "one after another, in order";
    lines.push(
      `It runs once for each item of ${foreachLabel(step)} (${mode}); each run sees \`item\` and \`item_index\`, and the result is the list of per-item results.`,
    );
    if (step.onItemFailure === "continue")
      lines.push(
        "A failed item does not stop the others (on_item_failure: continue): its slot holds None, the step still succeeds, and the failed items are listed.",
      );
  }
  lines.push("", whatItDoes(step), "");
  const published =
    step.output && step.output !== step.name ? `\`${step.name}\` and \`${step.output}\`` : `\`${step.name}\``;
  lines.push(`Its result is published as ${published}${users.length ? `, read by ${names(users)}` : ""}.`);
  if (Object.keys(step.vars).length) lines.push(`Step variables: ${names(Object.keys(step.vars))}.`);
  if (Object.keys(step.env).length) lines.push(`Extra environment: ${names(Object.keys(step.env))}.`);
  if (step.cwd) lines.push(`Working directory: ${step.cwd}.`);
  if (step.timeoutMs !== undefined)
    lines.push(`Each attempt${step.foreach ? " (per item)" : ""} times out after ${formatDuration(step.timeoutMs)}.`);
  const { retries, delayMs, strategy, maxDelayMs } = step.retry;
  if (retries > 0) {
    const delay =
      strategy === "exponential"
        ? `starting at ${formatDuration(delayMs)} and doubling (with jitter, at most ${formatDuration(maxDelayMs)})`
        : delayMs
          ? `${formatDuration(delayMs)} apart`
          : "immediately";
    lines.push(`On failure it is retried up to ${plural(retries, "more time")}, ${delay}.`);
  }
  if (step.onFailure)
    lines.push(`If it still fails, \`${step.onFailure}\` runs; steps that depend on it are skipped and the run fails.`);
  else if (!step.isHandler)
    lines.push("If it fails, steps that depend on it are skipped, independent steps continue, and the run fails.");
  if (step.save) lines.push(`The result is also written to ${step.save}.`);
  return lines.join("\n");
}

export function explainJson(pipeline: Pipeline, step: Step) {
  return { pipeline: pipeline.name, step: step.name, primitive: step.primitive, text: explainStep(pipeline, step) };
}
