/** One run: its figures, the Gantt timeline of its steps, its DAG, its steps, and the detail of the one chosen. */
import { useEffect, useMemo, useState } from "preact/hooks";
import { Chart } from "./chart.tsx";
import { dagOption } from "./dag-options.ts";
import { source } from "./data.ts";
import { formatMs, formatTime, formatUsd } from "./format.ts";
import type { RunPayload, StepJson } from "./payloads.ts";
import { href, type Route } from "./router.ts";
import { StepDetail } from "./step-detail.tsx";
import { stepTimeline } from "./timeline-options.ts";
import { useData } from "./use-data.ts";
import { Figure, markReady, Status, Wait } from "./widgets.tsx";

export function RunPage(props: { route: Route }) {
  const id = props.route.arg;
  const [loaded, setRun] = useData(() => source.run(id), [id]);
  const live = loaded.state === "ready" && loaded.value.status === "running" && !source.exported;
  useEffect(() => (live ? source.follow(id, setRun) : undefined), [id, live]);
  useEffect(() => {
    if (loaded.state !== "loading") markReady("run");
  }, [loaded.state]);
  return <Wait loaded={loaded}>{(run) => <RunView run={run} route={props.route} live={live} />}</Wait>;
}

function chosenStep(run: RunPayload, wanted: string | null): StepJson | undefined {
  return run.steps.find((s) => s.name === wanted) ?? run.steps.find((s) => s.status === "failed") ?? run.steps[0];
}

function RunView(props: { run: RunPayload; route: Route; live: boolean }) {
  const { run } = props;
  const [wanted, setWanted] = useState<string | null>(props.route.params.get("step"));
  const step = chosenStep(run, wanted);
  const timeline = useMemo(() => stepTimeline(run), [run]);
  const dag = useMemo(() => (run.graph ? dagOption(run, run.graph) : undefined), [run]);
  const cacheHits = run.steps
    .filter((s) => s.depth === 0)
    .reduce((sum, s) => sum + (s.cache_hits ?? (s.cached ? 1 : 0)), 0);
  const pick = (data: unknown) => {
    const name = (data as { name?: string } | undefined)?.name;
    if (name) setWanted(name);
  };
  return (
    <section>
      <h1>
        {source.exported ? run.pipeline : <a href={href("pipeline", run.pipeline)}>{run.pipeline}</a>}{" "}
        <span class="muted">run</span> <code data-testid="run-id">{run.run_id}</code> <Status status={run.status} />
        {props.live && (
          <span class="live" data-testid="live">
            live
          </span>
        )}
      </h1>
      <div class="figures">
        <Figure label="started" value={formatTime(run.started_at)} />
        <Figure label="duration" value={formatMs(run.duration_ms)} testId="run-duration" />
        <Figure label="cost" value={formatUsd(run.cost)} testId="run-cost" />
        <Figure
          label="steps"
          value={`${run.step_counts.succeeded}/${run.step_counts.total} ok${run.step_counts.failed ? `, ${run.step_counts.failed} failed` : ""}`}
          testId="run-steps"
        />
        <Figure label="cache hits" value={cacheHits} />
      </div>
      <RunLinks run={run} />
      <h2>Timeline</h2>
      {timeline.rows.length ? (
        <Chart
          option={timeline.option}
          height={Math.min(520, 90 + timeline.rows.length * 26)}
          label={`timeline of ${timeline.rows.length} steps`}
          testId="step-timeline"
          onClick={pick}
        />
      ) : (
        <p class="muted">no step started</p>
      )}
      {dag && (
        <>
          <h2>DAG</h2>
          <Chart option={dag} height={260} label="the run's DAG" testId="dag" onClick={pick} />
        </>
      )}
      <h2>Steps</h2>
      <StepTable run={run} chosen={step?.name} onPick={setWanted} />
      {step && <StepDetail run={run} step={step} key={`${run.run_id}/${step.name}`} />}
    </section>
  );
}

function RunLinks(props: { run: RunPayload }) {
  const { run } = props;
  if (!run.resumed_from && run.resumes.length === 0) return null;
  const link = (id: string) => (source.exported ? <code>{id}</code> : <a href={href("run", id)}>{id}</a>);
  return (
    <p class="links" data-testid="run-links">
      {run.resumed_from && <>resumes {link(run.resumed_from)} </>}
      {run.resumes.length > 0 && (
        <>
          resumed by{" "}
          {run.resumes.map((id) => (
            <span key={id}>{link(id)} </span>
          ))}
        </>
      )}
    </p>
  );
}

function StepTable(props: { run: RunPayload; chosen: string | undefined; onPick: (name: string) => void }) {
  return (
    <table class="steps" data-testid="steps-table">
      <thead>
        <tr>
          <th>step</th>
          <th>kind</th>
          <th>status</th>
          <th class="num">duration</th>
          <th class="num">attempts</th>
          <th>items</th>
          <th>model</th>
          <th class="num">tokens</th>
          <th class="num">cost</th>
          <th>cache</th>
        </tr>
      </thead>
      <tbody>
        {props.run.steps.map((step) => (
          <tr
            key={step.name}
            data-step={step.name}
            class={step.name === props.chosen ? "chosen" : ""}
            onClick={() => props.onPick(step.name)}
          >
            <td style={{ paddingLeft: `${0.5 + step.depth * 1.2}em` }}>
              <button type="button" class="link">
                {step.name}
              </button>
            </td>
            <td>{step.primitive}</td>
            <td>
              <Status status={step.status} />
              {step.reused && <span class="muted"> reused</span>}
            </td>
            <td class="num">{formatMs(step.duration_ms)}</td>
            <td class="num">{step.attempts}</td>
            <td>
              {step.items
                ? `${step.items.succeeded}/${step.items.total}${step.items.failed ? `, ${step.items.failed} failed` : ""}`
                : ""}
            </td>
            <td>{step.model ?? ""}</td>
            <td class="num">
              {step.prompt_tokens === null ? "" : `${step.prompt_tokens}+${step.completion_tokens ?? 0}`}
            </td>
            <td class="num">{step.cost ? formatUsd(step.cost) : ""}</td>
            <td>{step.cached ? "hit" : step.cache_hits ? `${step.cache_hits} hits` : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
