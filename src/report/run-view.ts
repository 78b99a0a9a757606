import { createConsola, type ConsolaInstance } from "consola";
import { relative } from "node:path";
import type { EngineEvent } from "../engine/events.ts";
import type { StepLlmUsage } from "../llm/llm-services.ts";
import { formatUsd } from "../model/money.ts";
import { formatDuration } from "../model/duration.ts";
import { fullValue, previewValue } from "./preview.ts";
import { ProgressBoard, type BoardMode } from "./progress-board.ts";
import { outputBlock, SHOWN_TAIL_LINES } from "./output-block.ts";
import type { OutputTails } from "../errors/step-failure.ts";
import { failedItemsLines } from "./failed-items.ts";
import type { FailedItem } from "../engine/foreach.ts";

export interface RunViewOptions {
  /** `-v`: rendered inputs, full results, logs, and every line steps print, as they print it. */
  verbose: boolean;
  /** `--quiet`: only failures and the final line (for cron). */
  quiet?: boolean;
  color: boolean;
  /** How running steps show progress: redrawn lines (a terminal), a line every `intervalMs` (a log), or not at all. */
  progress?: { mode: BoardMode; intervalMs: number } | undefined;
  out: NodeJS.WriteStream;
  /** Applied to every line before it is written: masks secrets (docs/history.md), escapes control characters. */
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
  const cached =
    usage.calls === 0 ? paint(color, "36", "cached") : usage.hits > 0 ? `cache ${usage.hits}/${questions}` : "";
  const cost = `${formatUsd(usage.cost)}${usage.fallbackPrice ? " (fallback rate)" : ""}`;
  const reasks = usage.reasks > 0 ? `${usage.reasks} re-ask${usage.reasks === 1 ? "" : "s"}` : "";
  return `  ${[tokens, cost, cached, reasks].filter(Boolean).join(" ")}`;
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");

/** `python × 1000`, and on a resume `python × 1000 (400 reused)`. */
function startText(event: Extract<EngineEvent, { type: "step-start" }>): string {
  if (event.items === undefined) return event.primitive;
  return `${event.primitive} × ${event.items}${event.reusedItems ? ` (${event.reusedItems} reused)` : ""}`;
}

/**
 * The live view of a run (docs/cli.md#aiorch-run): a line when a step starts and one when it ends (status,
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
  /** The last rendered input shown per step (`-v`). */
  private readonly lastRendered = new Map<string, string>();
  /** Steps that succeeded (or failed) with warnings, listed again in the summary. */
  private readonly warned: { path: string; warnings: string[] }[] = [];
  /** Where `save:` wrote each step's result (shown with `-v`). */
  private readonly savedFiles = new Map<string, string[]>();
  /** Progress of the running steps (not under `--quiet`). */
  private readonly board: ProgressBoard | undefined;

  constructor(
    private readonly options: RunViewOptions,
    names: string[],
  ) {
    const out = (this.out = options.out);
    const mask = (this.mask = options.mask ?? ((text: string) => text));
    this.board =
      options.progress && !options.quiet
        ? new ProgressBoard(out, options.progress.mode, options.progress.intervalMs, mask)
        : undefined;
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
    this.board?.clear();
    try {
      this.console.log(text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
      this.closed = true;
    }
  }

  private line(symbol: string, path: string, rest: string): void {
    this.print(`${symbol} ${path.padEnd(this.width)}  ${rest}`.trimEnd());
  }

  /** Lines under a step's line, indented. */
  private block(lines: string[]): void {
    if (lines.length > 0) this.print(indent(lines.join("\n")));
  }

  /** What a failed attempt printed: the last lines of each stream, all that was kept with `-v`. */
  private output(
    output: OutputTails | undefined,
    maxLines = this.options.verbose ? Number.POSITIVE_INFINITY : SHOWN_TAIL_LINES,
  ): void {
    this.block(outputBlock(output, maxLines));
  }

  /** Ctrl-C: the progress lines go before the message about stopping. */
  interrupted(): void {
    this.board?.stop();
  }

  readonly handle = (event: EngineEvent): void => {
    const c = this.options.color;
    const quiet = this.options.quiet === true;
    switch (event.type) {
      case "item-end":
        this.board?.item(event.path, { done: event.done, failed: event.failed, total: event.total });
        break;
      case "step-start":
        this.started.set(event.path, performance.now());
        if (event.items !== undefined) this.itemTotals.set(event.path, event.items);
        this.board?.start(event.path, event.items, event.reusedItems);
        if (!quiet) this.line(paint(c, "36", "▶"), event.path, startText(event));
        break;
      case "step-rendered":
        // A retry renders the same text again: shown once.
        if (this.options.verbose && this.lastRendered.get(event.path) !== event.rendered)
          this.print(indent(event.rendered.trimEnd()));
        this.lastRendered.set(event.path, event.rendered);
        break;
      case "step-output":
        this.endStream();
        this.print(
          `${paint(c, event.stream === "stderr" ? "33" : "90", `${(event.item === undefined ? event.path : `${event.path}[${event.item}]`).padEnd(this.width)} |`)} ${event.line}`,
        );
        break;
      case "step-saved":
        if (this.options.verbose) this.savedFiles.set(event.path, event.files);
        break;
      case "step-delta":
        this.streamedPaths.add(event.path);
        this.stream(event.text);
        break;
      case "step-retry": {
        if (quiet) break;
        const who = event.item === undefined ? event.path : `${event.path}[${event.item}]`;
        this.line(
          paint(c, "33", "↻"),
          who,
          `attempt ${event.attempt} failed: ${event.error.split("\n")[0]}; retrying in ${formatDuration(event.delayMs)}`,
        );
        // Shown live already under -v; otherwise the last lines, so an attempt that fails differently each time is seen.
        if (!this.options.verbose) this.output(event.output, 3);
        break;
      }
      case "step-end":
        this.board?.end(event.path);
        this.stepEnd(event);
        break;
      case "run-end":
        this.board?.stop();
        break;
      default:
        break;
    }
  };

  private stepEnd(event: Extract<EngineEvent, { type: "step-end" }>): void {
    const c = this.options.color;
    const quiet = this.options.quiet === true;
    const attempts = event.attempts > 1 ? ` (${event.attempts} attempts)` : "";
    const took = formatDuration(event.durationMs).padStart(6);
    if (event.reused) {
      if (!quiet) this.line(paint(c, "90", "↺"), event.path, event.reason ?? "reused");
    } else if (event.status === "success") {
      this.endStream();
      const kept = event.failedItems ? { path: event.path, failed: event.failedItems } : undefined;
      if (kept) this.keptGoing.push(kept);
      if (quiet) {
        // Failed items are failures: cron must hear of them.
        if (kept)
          this.print(
            `${paint(c, "33", "!")} ${failedItemsLines(kept.path, kept.failed, this.itemTotals.get(kept.path)).join("\n    ")}`,
          );
        return;
      }
      this.line(
        paint(c, "32", "✓"),
        event.path,
        `${took}${attempts}${usageText(event.usage, c)}  ${previewValue(event.value, 60, this.mask)}`,
      );
      this.warnings(event);
      // A streamed answer has been shown whole already.
      if (this.options.verbose && event.value !== undefined && !this.streamedPaths.has(event.path))
        this.print(indent(fullValue(event.value)));
      const saved = this.savedFiles.get(event.path);
      if (saved) this.print(indent(`saved: ${saved.map((file) => relative(process.cwd(), file) || file).join(", ")}`));
      if (kept) this.print(indent(failedItemsLines(kept.path, kept.failed, this.itemTotals.get(kept.path)).join("\n")));
    } else if (event.status === "skipped") {
      if (!quiet) this.line(paint(c, "90", "-"), event.path, `skipped: ${event.reason ?? ""}`);
    } else if (event.status === "cancelled") {
      if (!quiet) this.line(paint(c, "33", "■"), event.path, "cancelled");
    } else {
      this.endStream();
      const [first, ...rest] = (event.error ?? "failed").split("\n");
      this.line(paint(c, "31", "✗"), event.path, `${took}${attempts}  ${first}`);
      if (rest.length) this.print(indent(rest.join("\n")));
      this.output(event.output);
      this.warnings(event);
      if (this.options.verbose && event.detail) this.print(indent(event.detail.trimEnd()));
    }
  }

  /** A step's warnings under its end line (with or without -v), kept for the summary. */
  private warnings(event: Extract<EngineEvent, { type: "step-end" }>): void {
    if (!event.warnings) return;
    this.warned.push({ path: event.path, warnings: event.warnings });
    for (const warning of event.warnings) this.print(`    ${paint(this.options.color, "33", "!")} ${warning}`);
  }

  private streaming = false;
  private readonly streamedPaths = new Set<string>();

  /** A prompt answer as it arrives (`-v` on a terminal): written as is, under the step's start line. */
  private stream(text: string): void {
    if (this.closed) return;
    this.board?.clear();
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
   * `outputs:` (one line each, as the step lines preview results), then the steps that kept
   * going past failed items and the warnings of the run, again.
   */
  summary(
    pipeline: string,
    status: string,
    steps: number,
    durationMs: number,
    cost: number | undefined,
    outputs?: Record<string, unknown>,
  ): void {
    const c = this.options.color;
    const word =
      status === "success"
        ? paint(c, "32", "succeeded")
        : status === "cancelled"
          ? paint(c, "33", "cancelled")
          : paint(c, "31", "failed");
    this.board?.stop();
    if (this.options.quiet) {
      this.print(
        `${pipeline} ${word}: ${steps} step${steps === 1 ? "" : "s"}, ${formatDuration(durationMs)}${cost === undefined ? "" : `, ${formatUsd(cost)}`}`,
      );
      return;
    }
    this.print("");
    this.print(`  ${pipeline} ${word}`);
    this.print(
      `  ${steps} step${steps === 1 ? "" : "s"}, ${formatDuration(durationMs)}${cost === undefined ? "" : `, ${formatUsd(cost)}`}`,
    );
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
    for (const { path, warnings } of this.warned) {
      for (const warning of warnings) this.print(`  ${paint(c, "33", "!")} ${path}: ${warning}`);
    }
  }
}
