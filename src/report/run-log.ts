/**
 * The run log file (`logging.sink: file`, the Python aiorch's FileLogSink): every engine
 * event of one run as a JSON line, timestamped, secrets masked, in
 * `<folder>/run-<id>.jsonl`. A listener like the live view: the engine does not know it.
 * Streamed answer pieces are left out (the step's end carries the whole answer).
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent } from "../engine/events.ts";
import { stringifyPyJson } from "../model/py-json.ts";

export class RunLog {
  readonly file: string;
  private fd: number | undefined;

  /** Opens (truncates) `<folder>/run-<runId>.jsonl`; `mask` hides secrets in each line. */
  constructor(
    folder: string,
    private readonly runId: string,
    private readonly mask: (text: string) => string,
  ) {
    mkdirSync(folder, { recursive: true });
    this.file = join(folder, `run-${runId}.jsonl`);
    this.fd = openSync(this.file, "w");
  }

  readonly handle = (event: EngineEvent): void => {
    if (this.fd === undefined || event.type === "step-delta") return;
    const line = this.mask(stringifyPyJson({ time: new Date().toISOString(), run: this.runId, ...event }));
    writeSync(this.fd, `${line}\n`);
  };

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
