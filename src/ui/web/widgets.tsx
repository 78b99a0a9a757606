/** Small pieces every page uses: the status badge, a loading or error line, a labelled figure. */
import type { ComponentChildren } from "preact";
import type { Loaded } from "./use-data.ts";

export function Status(props: { status: string }) {
  return (
    <span class={`status status-${props.status}`} data-status={props.status}>
      {props.status}
    </span>
  );
}

/** Renders `ready` once the data is there; meanwhile a loading line, or the error. */
export function Wait<T>(props: { loaded: Loaded<T>; children: (value: T) => ComponentChildren }) {
  const { loaded } = props;
  if (loaded.state === "loading") return <p class="muted">loading…</p>;
  if (loaded.state === "error")
    return (
      <p class="error" role="alert">
        {loaded.message}
      </p>
    );
  return <>{props.children(loaded.value)}</>;
}

export function Figure(props: { label: string; value: ComponentChildren; testId?: string }) {
  return (
    <div class="figure" data-testid={props.testId}>
      <div class="figure-value">{props.value}</div>
      <div class="figure-label">{props.label}</div>
    </div>
  );
}

/** Marks the page as drawn (tests and the benchmark wait for `body[data-ready]`). */
export function markReady(page: string): void {
  document.body.dataset.ready = page;
}
