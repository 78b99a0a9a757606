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

/** Most distinct warnings kept per step. */
const DISTINCT_WARNINGS = 20;
/** Item indexes named per warning before `and N more`. */
const NAMED_ITEMS = 5;

/**
 * What went wrong in a step that still succeeded (a prompt answer cut off at max_tokens),
 * gathered over its attempts and foreach items: each distinct message once, with the items
 * it came from (`[0, 2, 5 and 7 more] …`), so a foreach of a thousand cut-off answers says
 * so in one line.
 */
export class StepWarnings {
  private readonly byMessage = new Map<string, number[]>();
  private dropped = 0;

  add(warnings: readonly string[] | undefined, itemIndex?: number): void {
    for (const warning of warnings ?? []) {
      let items = this.byMessage.get(warning);
      if (!items) {
        if (this.byMessage.size >= DISTINCT_WARNINGS) {
          this.dropped++;
          continue;
        }
        this.byMessage.set(warning, (items = []));
      }
      if (itemIndex !== undefined) items.push(itemIndex);
    }
  }

  list(): string[] | undefined {
    if (this.byMessage.size === 0) return undefined;
    const lines = [...this.byMessage].map(([message, items]) => {
      if (items.length === 0) return message;
      const sorted = [...new Set(items)].sort((a, b) => a - b);
      const more = sorted.length > NAMED_ITEMS ? ` and ${sorted.length - NAMED_ITEMS} more` : "";
      return `[${sorted.slice(0, NAMED_ITEMS).join(", ")}${more}] ${message}`;
    });
    return this.dropped > 0 ? [...lines, `… ${this.dropped} more warnings not kept`] : lines;
  }
}
