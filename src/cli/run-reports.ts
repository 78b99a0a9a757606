/**
 * The run's outputs for CI, wired as listeners like the live view: `--junit FILE` (a JUnit
 * XML report written when the run ends, however it ends) and, under GitHub Actions, an
 * `::error` annotation per failed step. Annotations go to stdout, where workflow commands
 * are usually written; with `--format json` stdout holds one JSON document, so they go to
 * stderr (GitHub reads workflow commands from both).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { EventSink } from "../engine/events.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { GithubAnnotations } from "../report/github-annotations.ts";
import { JunitReport } from "../report/junit-report.ts";
import { masked, printErr, printOut } from "./output.ts";

export interface RunReportOptions {
  /** `--junit FILE`, relative to the current folder. */
  junit?: string | undefined;
  /** `--format json`: annotations go to stderr. */
  json: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The JUnit report and GitHub annotations of one run. */
export class RunReports {
  readonly sinks: EventSink[] = [];
  private readonly junit: JunitReport | undefined;
  private readonly junitFile: string | undefined;
  private readonly startedAt = new Date();
  private readonly started = performance.now();
  private written = false;

  constructor(
    private readonly pipeline: Pipeline,
    options: RunReportOptions,
  ) {
    if (options.junit !== undefined) {
      this.junitFile = resolve(options.cwd, options.junit);
      this.junit = new JunitReport(masked);
      this.sinks.push(this.junit.handle);
    }
    if (options.env.GITHUB_ACTIONS === "true") {
      const write = options.json ? printErr : printOut;
      this.sinks.push(new GithubAnnotations(pipeline, write, options.env.GITHUB_WORKSPACE || options.cwd).handle);
    }
  }

  /**
   * Writes the JUnit report, once: at the end of the run, or when a second Ctrl-C ends it
   * at once (then steps still running are errors). A report that cannot be written is an
   * error on stderr; the run's exit code stays the run's.
   */
  finish(outputError?: string): void {
    if (!this.junit || !this.junitFile || this.written) return;
    this.written = true;
    const xml = this.junit.xml({
      pipeline: this.pipeline.name,
      durationMs: performance.now() - this.started,
      startedAt: this.startedAt,
      ...(outputError ? { outputError } : {}),
    });
    try {
      mkdirSync(dirname(this.junitFile), { recursive: true });
      writeFileSync(this.junitFile, xml);
    } catch (error) {
      printErr(
        `error: --junit: cannot write ${this.junitFile}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
