/** Everything recorded of one step: its input as rendered, its output, log, error, attempts, model and money; a foreach step's items. */
import type { ComponentChildren } from "preact";
import { formatMs, formatUsd, pretty } from "./format.ts";
import { ItemsPanel } from "./items-panel.tsx";
import type { RunPayload, StepJson } from "./payloads.ts";
import { Status } from "./widgets.tsx";

function Block(props: { title: string; testId: string; children: ComponentChildren }) {
  return (
    <div class="block">
      <h4>{props.title}</h4>
      <pre data-testid={props.testId}>{props.children}</pre>
    </div>
  );
}

export function StepDetail(props: { run: RunPayload; step: StepJson }) {
  const { step } = props;
  const facts: [string, ComponentChildren][] = [
    ["kind", step.primitive],
    ["attempts", step.attempts],
    ["duration", formatMs(step.duration_ms)],
    ["model", step.model ?? "—"],
    ["tokens", step.prompt_tokens === null ? "—" : `${step.prompt_tokens} in, ${step.completion_tokens ?? 0} out`],
    ["cost", formatUsd(step.cost)],
    [
      "cache",
      step.cached
        ? "every answer from the cache"
        : step.cache_hits
          ? `${step.cache_hits} answers from the cache`
          : "no hit",
    ],
  ];
  if (step.reason) facts.push(["reason", step.reason]);
  return (
    <article class="detail" data-testid="step-detail" data-step={step.name}>
      <h3>
        {step.name} <Status status={step.status} />
      </h3>
      <dl class="facts">
        {facts.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd data-fact={k}>{v}</dd>
          </>
        ))}
      </dl>
      {step.warnings.length > 0 && (
        <Block title="warnings" testId="step-warnings">
          {step.warnings.join("\n")}
        </Block>
      )}
      {step.error && (
        <Block title="error" testId="step-error">
          {step.error}
        </Block>
      )}
      {step.stderr_tail && (
        <Block title="stderr (end)" testId="step-stderr">
          {step.stderr_tail}
        </Block>
      )}
      {step.input !== null && (
        <Block title="input (rendered)" testId="step-input">
          {step.input}
        </Block>
      )}
      {step.output !== null && step.output !== undefined && (
        <Block title="output" testId="step-output">
          {pretty(step.output)}
        </Block>
      )}
      {step.log && (
        <Block title="log" testId="step-log">
          {step.log}
        </Block>
      )}
      {step.failed_attempts.length > 0 && (
        <Block title="failed attempts" testId="step-attempts">
          {pretty(step.failed_attempts)}
        </Block>
      )}
      {step.items && <ItemsPanel run={props.run} step={step} />}
    </article>
  );
}
