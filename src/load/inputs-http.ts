import { ExitCode, UserError } from "../errors/user-error.ts";
import type { InputFormat, InputSpec } from "../model/pipeline.ts";
import { CsvError, parseCsv } from "./csv.ts";
import { JsonSyntaxError, parseJson } from "./file-value-json.ts";

/** An `http` input: fetched on first use, once. */
export interface LazyHttpValue {
  readonly kind: "http";
  readonly url: string;
  load(): Promise<unknown>;
}

/** True for the value of an `http` input (before it is loaded). */
export function isLazyHttpValue(value: unknown): value is LazyHttpValue {
  return value instanceof LazyHttpInput;
}

/**
 * An `http` input that could not be fetched or parsed. It happens while a step runs, so it
 * fails that step (exit code 1), not the whole command line.
 */
export class HttpInputError extends UserError {
  readonly input: string;
  readonly url: string;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  constructor(input: string, url: string, message: string, options: { status?: number; hint?: string } = {}) {
    super(message, { exitCode: ExitCode.stepFailed, hint: options.hint });
    this.name = "HttpInputError";
    this.input = input;
    this.url = url;
    this.status = options.status;
  }
}

/** The request an `http` input makes, settled before any step runs. */
export interface HttpRequest {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  format: InputFormat | undefined;
  delimiter: string | undefined;
  timeoutMs: number;
}

/** How long a fetch may take before it fails. */
export const HTTP_INPUT_TIMEOUT_MS = 60_000;

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * The request of an `http` input: method (default GET), headers with `${VAR}` and
 * `${VAR:-default}` expanded from `env`, body (objects and lists sent as JSON with a JSON
 * content type unless one is set). Problems — an unset variable without a default, a body on
 * GET/HEAD — are returned as messages so they stop the run before any step starts.
 */
export function buildHttpRequest(spec: InputSpec, env: Record<string, string | undefined>): { request: HttpRequest; problems: string[] } {
  const problems: string[] = [];
  const method = (spec.method ?? "GET").toUpperCase();
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(spec.headers ?? {})) {
    headers[name] = template.replace(VARIABLE, (whole, variable: string, fallback: string | undefined) => {
      const value = env[variable];
      // As in the shell: `:-` also replaces an empty value.
      if (fallback !== undefined) return value === undefined || value === "" ? fallback : value;
      if (value !== undefined) return value;
      problems.push(`input \`${spec.name}\`: header ${name} uses ${whole}, but ${variable} is not set (set it, or write \${${variable}:-default})`);
      return "";
    });
  }
  let body: string | undefined;
  if (spec.body !== undefined && spec.body !== null) {
    if (method === "GET" || method === "HEAD") problems.push(`input \`${spec.name}\`: a ${method} request cannot have a body (use method: POST)`);
    if (typeof spec.body === "string") body = spec.body;
    else {
      body = JSON.stringify(spec.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
    }
  }
  return { request: { method, headers, body, format: spec.format, delimiter: spec.delimiter, timeoutMs: HTTP_INPUT_TIMEOUT_MS }, problems };
}

/** The value of an `http` input. `load()` fetches on the first call; later calls share that result. A failed fetch is retried by the next `load()`. */
export class LazyHttpInput implements LazyHttpValue {
  readonly kind = "http";
  private pending: Promise<unknown> | undefined;

  constructor(
    readonly input: string,
    readonly url: string,
    private readonly request: HttpRequest,
  ) {}

  load(): Promise<unknown> {
    this.pending ??= this.fetchOnce().catch((error: unknown) => {
      this.pending = undefined; // a step retry may try again
      throw error;
    });
    return this.pending;
  }

  /** What a template or a JSON report shows before the value is loaded. */
  toJSON(): { kind: "http"; url: string } {
    return { kind: this.kind, url: this.url };
  }

  private async fetchOnce(): Promise<unknown> {
    const { method, headers, body, format } = this.request;
    const what = `${method} ${this.url}`;
    let response: Response;
    try {
      response = await fetch(this.url, { method, headers, body, signal: AbortSignal.timeout(this.request.timeoutMs) });
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${this.request.timeoutMs / 1000} s` : errorText(error);
      throw new HttpInputError(this.input, this.url, `input \`${this.input}\`: ${what} failed: ${reason}`, { hint: "check the URL and that the server is reachable" });
    }
    if (!response.ok) {
      const excerpt = (await response.text().catch(() => "")).trim().slice(0, 200);
      throw new HttpInputError(
        this.input,
        this.url,
        `input \`${this.input}\`: ${what} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${excerpt ? `: ${excerpt}` : ""}`,
        { status: response.status, hint: statusHint(response.status) },
      );
    }
    if (format === "binary") return new Uint8Array(await response.arrayBuffer());
    const text = await response.text();
    try {
      if (format === "json") return parseJson(text);
      if (format === "csv") return parseCsv(text, this.request.delimiter);
    } catch (error) {
      if (error instanceof JsonSyntaxError || error instanceof CsvError) {
        const kind = format === "json" ? "JSON" : "CSV";
        throw new HttpInputError(this.input, this.url, `input \`${this.input}\`: the answer of ${what} is not valid ${kind}: ${error.message}`, {
          status: response.status,
          hint: format === "json" ? "drop `format: json` to receive the text" : undefined,
        });
      }
      throw error;
    }
    return text;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return "the server refused the credentials: check the `headers:` of this input and the variables they use";
  if (status === 404) return "check the URL";
  if (status >= 500) return "the server failed; try again later";
  return "check the URL, method, headers and body of this input";
}
