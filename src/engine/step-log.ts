/** Most characters of log kept per step: the trace is for reading, not for archiving output. */
export const STEP_LOG_LIMIT = 64 * 1024;

/**
 * What a step wrote besides its result (run: stderr; python: print() output and stderr),
 * gathered over its attempts and foreach items (each item's part marked `[index]`), and
 * capped at {@link STEP_LOG_LIMIT} characters with a note of what was left out.
 */
export class StepLog {
  private readonly parts: string[] = [];
  private size = 0;
  private dropped = 0;

  add(text: string | undefined, itemIndex?: number): void {
    if (!text || text.trim() === "") return;
    const part = itemIndex === undefined ? text.trimEnd() : `[${itemIndex}] ${text.trimEnd()}`;
    if (this.size + part.length > STEP_LOG_LIMIT) {
      this.dropped += part.length;
      return;
    }
    this.parts.push(part);
    this.size += part.length;
  }

  text(): string | undefined {
    if (this.parts.length === 0 && this.dropped === 0) return undefined;
    const note = this.dropped > 0 ? `\n… ${this.dropped} more characters not kept` : "";
    return this.parts.join("\n") + note;
  }
}
