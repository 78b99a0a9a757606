/**
 * Under GitHub Actions (`GITHUB_ACTIONS=true`), a failed step becomes an error annotation on
 * the line of the YAML that defines it: `::error file=…,line=…,col=…,title=…::message`, a
 * workflow command GitHub reads from the job's output and shows on the file in the pull
 * request. A foreach that kept going past failed items (`on_item_failure: continue`) gets a
 * warning per item: the step succeeded, but something went wrong there; so does each of a
 * step's warnings (a prompt answer cut off at max_tokens).
 */
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { EngineEvent } from "../engine/events.ts";
import type { Pipeline, SourceLocation, Step } from "../model/pipeline.ts";
import { failureText } from "./output-block.ts";

/** Lines of a failure's detail (traceback, stderr) added to the message: its end. */
const DETAIL_LINES = 20;

/** A workflow command's message: GitHub ends the command at a line break, so they are escaped (as actions/toolkit does). */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A workflow command's property value: as a message, and `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * Where the step at `path` is written: `step`, `parent/child` (a flow's step, in the flow's
 * file), `parent[3]/child` (a flow inside a foreach item). A step of a flow whose file is
 * only known at run time (a templated path) points at its flow step.
 */
export function stepLocation(pipeline: Pipeline, path: string): SourceLocation | undefined {
  let current: Pipeline | undefined = pipeline;
  let found: SourceLocation | undefined;
  for (const segment of path.split("/")) {
    const step: Step | undefined = current?.steps.find((s) => s.name === segment.replace(/\[\d+\]$/, ""));
    if (!step) return found;
    found = step.location;
    current =
      step.primitive === "flow" ? current!.flows.get(resolve(dirname(current!.file), step.body.trim())) : undefined;
  }
  return found;
}

/** How a file is named in an annotation: from the repository's root (`GITHUB_WORKSPACE`) when it is inside it. */
export function annotationFile(file: string, root: string): string {
  const inside = relative(root, file);
  return inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside : file;
}

function command(
  level: "error" | "warning",
  where: SourceLocation | undefined,
  root: string,
  title: string,
  message: string,
): string {
  const properties = [
    ...(where
      ? [`file=${escapeProperty(annotationFile(where.file, root))}`, `line=${where.line}`, `col=${where.col}`]
      : []),
    `title=${escapeProperty(title)}`,
  ];
  return `::${level} ${properties.join(",")}::${escapeData(message)}`;
}

function withDetail(error: string, detail: string | undefined): string {
  if (!detail || error.includes(detail.trim())) return error;
  const lines = detail.replace(/\s+$/, "").split("\n");
  return `${error}\n${lines.slice(-DETAIL_LINES).join("\n")}`;
}

/** The listener: `write` prints one workflow command (masked by the caller); `root` is the repository's folder. */
export class GithubAnnotations {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly write: (line: string) => void,
    private readonly root: string,
  ) {}

  readonly handle = (event: EngineEvent): void => {
    if (event.type !== "step-end") return;
    const where = stepLocation(this.pipeline, event.path);
    if (event.status === "failed") {
      this.write(
        command(
          "error",
          where,
          this.root,
          `step ${event.path} failed`,
          withDetail(failureText(event.error ?? "failed", event.output, undefined, DETAIL_LINES), event.detail),
        ),
      );
    }
    for (const warning of event.warnings ?? [])
      this.write(command("warning", where, this.root, `step ${event.path}: warning`, warning));
    for (const item of event.failedItems ?? []) {
      this.write(
        command(
          "warning",
          where,
          this.root,
          `item ${event.path}[${item.index}] failed`,
          item.output ? failureText(item.error, item.output, undefined, DETAIL_LINES) : item.error,
        ),
      );
    }
  };
}
