import { createConsola, type ConsolaInstance } from "consola";
import { relative } from "node:path";
import type { EngineEvent } from "../engine/events.ts";
import type { StepLlmUsage } from "../llm/llm-services.ts";
import { formatUsd } from "../model/money.ts";
import { formatDuration } from "../model/duration.ts";
import { fullValue, previewValue } from "./preview.ts";
import { ProgressPainter, progressLine } from "./progress-line.ts";
import { failedItemsLines } from "./failed-items.ts";
import type { FailedItem } from "../engine/foreach.ts";

export interface RunViewOptions {
  verbose: boolean;
  color: boolean;
  out?: NodeJS.WriteStream;
  /** Applied to every line before it is written: masks secrets (§8), escapes control characters. */
  mask?: (text: string) => string;
}

const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
/**
 * `  412+96 tok $0.0003` for a prompt step; `cached` when every answer came from the cache,
 * `cache 3/10` (answers from the cache / questions) when some did; `1 re-ask` after answers
 * that were not valid JSON or did not match the schema.
 */
function usageText(usage: StepLlmUsage | undefined, color: boolean): string {
  if (!usage) return "";
  const tokens = `${usage.promptTokens}+${usage.completionTokens} tok`;
  const questions = usage.hits + usage.calls - usage.reasks;
  const cached = usage.calls === 0 ? paint(color, "36", "cached") : usage.hits > 0 ? `cache ${usage.hits}/${questions}` : "";
  const cost = `${formatUsd(usage.cost)}${usage.fallbackPrice ? " (fallback rate)" : ""}`;
  const reasks = usage.reasks > 0 ? `${usage.reasks} re-ask${usage.reasks === 1 ? "" : "s"}` : "";
  return `  ${[tokens, cost, cached, reasks].filter(Boolean).join(" ")}`;
}

const indent = (text: string) => text.split("\n").map((l) => `    ${l}`).join("\n");

/**
 * The live view of a run (§5.7): a line when a step starts and one when it ends (status,
 * duration, a preview of the result, attempts when more than one), skipped steps with
 * their reason, and with `-v` the rendered input and the full result.
 */
export class RunView {
  private readonly console: ConsolaInstance;
  private readonly out: NodeJS.WriteStream;
  private readonly mask: (text: string) => string;
  private readonly width: number;
  private readonly started = new Map<string, number>();
  /** Item counts of the foreach steps, from their start lines. */
  private readonly itemTotals = new Map<string, number>();
  /** Steps that kept going past failed items, listed again in the summary. */
  private readonly keptGoing: { path: string; failed: FailedItem[] }[] = [];
  /** Where `save:` wrote each step's result (shown with `-v`). */
  private readonly savedFiles = new Map<string, string[]>();
  /** Live foreach progress: only on a terminal. */
  private readonly painter: ProgressPainter | undefined;

  constructor(private readonly options: RunViewOptions, names: string[]) {
    const out = (this.out = options.out ?? process.stdout);
    const mask = (this.mask = options.mask ?? ((text: string) => text));
    this.painter = out.isTTY ? new ProgressPainter(out) : undefined;
    // A fixed level and a verbatim reporter: consola's defaults go silent under NODE_ENV=test,
    // prefix `[log]` in CI and eat backticks and underscores, and the view must show the exact text.
    this.console = createConsola({
      level: 3,
      reporters: [{ log: (entry) => void out.write(`${mask(entry.args.map(String).join(" "))}\n`) }],
    });
    this.width = Math.min(28, Math.max(8, ...names.map((n) => n.length)));
  }

  private closed = false;

  /** Writes a line; once the reader has gone (`| head`), output stops quietly and the run goes on. */
  private print(text: string): void {
    if (this.closed) return;
    try {
      this.console.log(text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
      this.closed = true;
    }
  }

  private line(symbol: string, path: string, rest: string): void {
    this.painter?.clear();
    this.print(`${symbol} ${path.padEnd(this.width)}  ${rest}`.trimEnd());
  }

  readonly handle = (event: EngineEvent): void => {
    const c = this.options.color;
    switch (event.type) {
      case "item-end": {
        const elapsed = performance.now() - (this.started.get(event.path) ?? performance.now());
        this.painter?.update(progressLine(event.path, event, elapsed), elapsed);
        break;
      }
      case "step-start":
        this.started.set(event.path, performance.now());
        if (event.items !== undefined) this.itemTotals.set(event.path, event.items);
        this.line(paint(c, "36", "▶"), event.path, event.items !== undefined ? `${event.primitive} × ${event.items}` : event.primitive);
        break;
      case "step-rendered":
        if (this.options.verbose) this.print(indent(event.rendered.trimEnd()));
        break;
      case "step-saved":
        if (this.options.verbose) this.savedFiles.set(event.path, event.files);
        break;
      case "step-delta":
        this.streamedPaths.add(event.path);
        this.stream(event.text);
        break;
      case "step-retry":
        this.line(paint(c, "33", "↻"), event.path, `attempt ${event.attempt} failed: ${event.error.split("\n")[0]}; retrying in ${formatDuration(event.delayMs)}`);
        break;
      case "step-end":
        this.stepEnd(event);
        break;
      default:
        break;
    }
  };

  private stepEnd(event: Extract<EngineEvent, { type: "step-end" }>): void {
    const c = this.options.color;
    const attempts = event.attempts > 1 ? ` (${event.attempts} attempts)` : "";
    const took = formatDuration(event.durationMs).padStart(6);
    if (event.reused) {
      this.line(paint(c, "90", "↺"), event.path, event.reason ?? "reused");
    } else if (event.status === "success") {
      this.endStream();
      this.line(paint(c, "32", "✓"), event.path, `${took}${attempts}${usageText(event.usage, c)}  ${previewValue(event.value, 60, this.mask)}`);
      // A streamed answer has been shown whole already.
      if (this.options.verbose && event.value !== undefined && !this.streamedPaths.has(event.path)) this.print(indent(fullValue(event.value)));
      if (this.options.verbose && event.log) this.print(indent(`log: ${event.log}`));
      const saved = this.savedFiles.get(event.path);
      if (saved) this.print(indent(`saved: ${saved.map((file) => relative(process.cwd(), file) || file).join(", ")}`));
      if (event.failedItems) {
        this.keptGoing.push({ path: event.path, failed: event.failedItems });
        this.print(indent(failedItemsLines(event.path, event.failedItems, this.itemTotals.get(event.path)).join("\n")));
      }
    } else if (event.status === "skipped") {
      this.line(paint(c, "90", "-"), event.path, `skipped: ${event.reason ?? ""}`);
    } else if (event.status === "cancelled") {
      this.line(paint(c, "33", "■"), event.path, "cancelled");
    } else {
      this.endStream();
      const [first, ...rest] = (event.error ?? "failed").split("\n");
      this.line(paint(c, "31", "✗"), event.path, `${took}${attempts}  ${first}`);
      if (rest.length) this.print(indent(rest.join("\n")));
      if (this.options.verbose && event.detail) this.print(indent(event.detail.trimEnd()));
    }
  }

  private streaming = false;
  private readonly streamedPaths = new Set<string>();

  /** A prompt answer as it arrives (`-v` on a terminal): written as is, under the step's start line. */
  private stream(text: string): void {
    if (this.closed) return;
    if (!this.streaming) this.out.write("    ");
    this.streaming = true;
    this.out.write(this.mask(text).replace(/\n/g, "\n    "));
  }

  private endStream(): void {
    if (!this.streaming) return;
    this.streaming = false;
    this.out.write("\n");
  }

  /** A line about the run as a whole, before its steps: why a step with a result to reuse runs again. */
  note(text: string): void {
    this.print(text);
  }

  /**
   * The closing summary: `name` and the status, then `7 steps, 0.5s, $0.0012` (no cost for
   * a pipeline without prompt steps: `cost` undefined), then the pipeline's declared
   * `outputs:` (one line each, as the step lines preview results).
   */
  summary(pipeline: string, status: string, steps: number, durationMs: number, cost: number | undefined, outputs?: Record<string, unknown>): void {
    const c = this.options.color;
    const word = status === "success" ? paint(c, "32", "succeeded") : status === "cancelled" ? paint(c, "33", "cancelled") : paint(c, "31", "failed");
    this.print("");
    this.print(`  ${pipeline} ${word}`);
    this.print(`  ${steps} step${steps === 1 ? "" : "s"}, ${formatDuration(durationMs)}${cost === undefined ? "" : `, ${formatUsd(cost)}`}`);
    const shown = Object.entries(outputs ?? {});
    if (shown.length > 0) {
      const width = Math.max(...shown.map(([key]) => key.length));
      this.print("  outputs");
      for (const [key, value] of shown) this.print(`    ${key.padEnd(width)}  ${previewValue(value, 100)}`);
    }
    for (const { path, failed } of this.keptGoing) {
      const [headline, ...items] = failedItemsLines(path, failed, this.itemTotals.get(path));
      this.print(`  ${paint(c, "33", "!")} ${headline}`);
      for (const item of items) this.print(`    ${item}`);
    }
  }
}
