/** Which stream a line of a step's output came from. */
export type OutputStream = "stdout" | "stderr";

/** Receives a step's output line by line as it is written (`-v`), without the newline. */
export type OutputListener = (stream: OutputStream, line: string) => void;

/** Longest line passed on whole; a longer one (a progress bar without newlines) is cut into pieces. */
const MAX_LINE = 16 * 1024;

/**
 * Turns the chunks of one stream into lines for an {@link OutputListener}: bytes are decoded
 * as UTF-8 across chunk boundaries, `\r\n` ends a line like `\n`, and what is left when the
 * stream ends is passed on by {@link flush}.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder();
  private pending = "";

  constructor(
    private readonly stream: OutputStream,
    private readonly listener: OutputListener,
  ) {}

  push(chunk: Uint8Array | string): void {
    this.pending += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    let newline = this.pending.indexOf("\n");
    while (newline !== -1) {
      this.listener(this.stream, this.pending.slice(0, newline).replace(/\r$/, ""));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf("\n");
    }
    while (this.pending.length > MAX_LINE) {
      this.listener(this.stream, this.pending.slice(0, MAX_LINE));
      this.pending = this.pending.slice(MAX_LINE);
    }
  }

  flush(): void {
    this.pending += this.decoder.decode();
    if (this.pending !== "") this.listener(this.stream, this.pending.replace(/\r$/, ""));
    this.pending = "";
  }
}
