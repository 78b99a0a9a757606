/**
 * `--junit FILE`: the run as a JUnit XML report, for CI systems that show test results
 * (GitHub, GitLab, Jenkins). A listener on the engine's events, like the live view: one
 * testsuite for the pipeline, one testcase per step (flow steps as `parent/child`), and one
 * more per failed foreach item (`step[3]`). The report is built from what was seen, so a
 * run that failed or was interrupted still gets one: steps that never ended are errors.
 *
 * Attributes follow the common JUnit schema (Ant's, which Jenkins and GitLab read):
 * testsuite `name tests failures errors skipped time timestamp hostname`, testcase
 * `classname name time`.
 */
import { hostname } from "node:os";
import type { EngineEvent, StepEndEvent } from "../engine/events.ts";
import { errorOneLine } from "./failed-items.ts";
import { xmlAttribute, xmlText } from "./xml-text.ts";
import { errorWithReason, failureText } from "./output-block.ts";
import type { OutputTails } from "../errors/step-failure.ts";

/** Lines of a failure's detail (stderr, traceback) kept in the report: its end, where the reason is. */
const DETAIL_LINES = 50;
/** Characters of a failure's text kept in the report: CI pages show it whole. */
const TEXT_LIMIT = 16_000;

type Outcome =
  | { kind: "passed" }
  | { kind: "failure"; message: string; text: string }
  | { kind: "error"; type: string; message: string }
  | { kind: "skipped"; message: string };

interface TestCase {
  name: string;
  durationMs: number;
  outcome: Outcome | undefined;
}

/** What the report says about the run as a whole. */
export interface SuiteInfo {
  pipeline: string;
  durationMs: number;
  startedAt: Date;
  /** Why the pipeline's outputs could not be computed (a failure of its own). */
  outputError?: string;
}

/** The last `lines` lines of `text`. */
function tail(text: string, lines: number): string {
  const all = text.replace(/\s+$/, "").split("\n");
  return all.length <= lines
    ? all.join("\n")
    : [`… (${all.length - lines} earlier lines)`, ...all.slice(-lines)].join("\n");
}

function capped(text: string): string {
  return text.length <= TEXT_LIMIT
    ? text
    : `… (${text.length - TEXT_LIMIT} characters cut)\n${text.slice(-TEXT_LIMIT)}`;
}

/**
 * A failure's message (its first line; `… reason` when that only announces what follows) and
 * text (the whole error, then the end of its detail unless the error holds it already, as
 * a run: step's error holds its stderr).
 */
function failureOf(error: string, detail?: string, output?: OutputTails): Outcome {
  const message = output ? errorWithReason(errorOneLine(error), output) : errorOneLine(error);
  const withOutput = output ? failureText(error, output, undefined, DETAIL_LINES) : error;
  const text = detail && !error.includes(detail.trim()) ? `${withOutput}\n\n${tail(detail, DETAIL_LINES)}` : withOutput;
  return { kind: "failure", message, text: capped(text) };
}

function outcomeOf(event: StepEndEvent): Outcome {
  switch (event.status) {
    case "success":
      return { kind: "passed" };
    case "skipped":
      return { kind: "skipped", message: event.reason ?? "skipped" };
    case "cancelled":
      return { kind: "error", type: "cancelled", message: "cancelled: the run was interrupted" };
    default:
      return failureOf(event.error ?? "failed", event.detail, event.output);
  }
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/** Collects the run's steps from its events; {@link JunitReport.xml} renders them. */
export class JunitReport {
  /** By step path, in the order the steps started (a step that never started: when it ended). */
  private readonly cases = new Map<string, TestCase>();
  private readonly started = new Map<string, number>();

  /** `mask`: applied to every text taken from the run (secrets, docs/history.md). */
  constructor(private readonly mask: (text: string) => string = (text) => text) {}

  readonly handle = (event: EngineEvent): void => {
    switch (event.type) {
      case "step-start":
        this.started.set(event.path, performance.now());
        this.cases.set(event.path, { name: event.path, durationMs: 0, outcome: undefined });
        break;
      case "step-end":
        this.cases.set(event.path, { name: event.path, durationMs: event.durationMs, outcome: outcomeOf(event) });
        break;
      case "item-end":
        if (event.status === "failed") {
          const name = `${event.path}[${event.index}]`;
          this.cases.set(name, {
            name,
            durationMs: event.durationMs,
            outcome: failureOf(event.error ?? "failed", undefined, event.output),
          });
        }
        break;
      default:
        break;
    }
  };

  /** The report as it stands: steps still running are errors (`the run stopped before it ended`). */
  xml(suite: SuiteInfo): string {
    const now = performance.now();
    const cases = [...this.cases.values()].map((c) =>
      c.outcome
        ? c
        : {
            ...c,
            durationMs: now - (this.started.get(c.name) ?? now),
            outcome: { kind: "error", type: "interrupted", message: "still running when the run stopped" } as Outcome,
          },
    );
    if (suite.outputError) cases.push({ name: "(outputs)", durationMs: 0, outcome: failureOf(suite.outputError) });
    const count = (kind: Outcome["kind"]) => cases.filter((c) => c.outcome!.kind === kind).length;
    const pipeline = xmlAttribute(this.mask(suite.pipeline));
    const totals = `tests="${cases.length}" failures="${count("failure")}" errors="${count("error")}" skipped="${count("skipped")}" time="${seconds(suite.durationMs)}"`;
    const lines = [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<testsuites name="${pipeline}" ${totals}>`,
      `  <testsuite name="${pipeline}" ${totals} timestamp="${suite.startedAt.toISOString().slice(0, 19)}" hostname="${xmlAttribute(hostname())}">`,
      ...cases.map((c) => this.testcase(pipeline, c)),
      `  </testsuite>`,
      `</testsuites>`,
    ];
    return `${lines.join("\n")}\n`;
  }

  private testcase(pipeline: string, c: TestCase): string {
    const open = `    <testcase classname="${pipeline}" name="${xmlAttribute(this.mask(c.name))}" time="${seconds(c.durationMs)}"`;
    const outcome = c.outcome!;
    switch (outcome.kind) {
      case "passed":
        return `${open}/>`;
      case "skipped":
        return `${open}>\n      <skipped message="${xmlAttribute(this.mask(outcome.message))}"/>\n    </testcase>`;
      case "error":
        return `${open}>\n      <error type="${outcome.type}" message="${xmlAttribute(outcome.message)}"/>\n    </testcase>`;
      case "failure":
        return `${open}>\n      <failure type="failed" message="${xmlAttribute(this.mask(outcome.message))}">${xmlText(this.mask(outcome.text))}</failure>\n    </testcase>`;
    }
  }
}
