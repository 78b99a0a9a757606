import { maxOutputBytes } from "../model/output-limit.ts";
import { ExitCode, UserError } from "../errors/user-error.ts";
import type { InputFormat, InputSpec } from "../model/pipeline.ts";
import { CsvError, parseCsv } from "./csv.ts";
import { JsonSyntaxError, parseJson } from "./file-value-json.ts";
import { fetchWithIdleLimit, FetchStopped } from "./http-fetch.ts";

/** An `http` input: fetched on first use, once. */
export interface LazyHttpValue {
  readonly kind: "http";
  readonly url: string;
  /**
   * The value, fetched on the first call; `signal` (Ctrl-C, a step's timeout) stops this
   * caller's wait at once with the signal's reason, and the request itself once no caller
   * waits for it any more.
   */
  load(signal?: AbortSignal): Promise<unknown>;
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
  /** How long the server may stay silent (connecting, answering, or between two parts of the body). */
  timeoutMs: number;
  /** The largest body read (`AIORCH_MAX_OUTPUT`). */
  maxBytes: number;
}

/** Default of {@link httpTimeoutMs}: how long a server may stay silent. */
export const HTTP_INPUT_TIMEOUT_MS = 30_000;

/**
 * `AIORCH_HTTP_TIMEOUT` in seconds (default 30): how long an http input's server may stay
 * silent — to accept the connection, to answer, and between two parts of the body — before
 * the fetch fails. A slow but steady download is not cut.
 */
export function httpTimeoutMs(env: Record<string, string | undefined>): number {
  const seconds = Number(env.AIORCH_HTTP_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : HTTP_INPUT_TIMEOUT_MS;
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * The request of an `http` input: method (default GET), headers with `${VAR}` and
 * `${VAR:-default}` expanded from `env`, body (objects and lists sent as JSON with a JSON
 * content type unless one is set). Problems — an unset variable without a default, a body on
 * GET/HEAD — are returned as messages so they stop the run before any step starts.
 */
export function buildHttpRequest(
  spec: InputSpec,
  env: Record<string, string | undefined>,
): { request: HttpRequest; problems: string[] } {
  const problems: string[] = [];
  const method = (spec.method ?? "GET").toUpperCase();
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(spec.headers ?? {})) {
    headers[name] = template.replace(VARIABLE, (whole, variable: string, fallback: string | undefined) => {
      const value = env[variable];
      // As in the shell: `:-` also replaces an empty value.
      if (fallback !== undefined) return value === undefined || value === "" ? fallback : value;
      if (value !== undefined) return value;
      problems.push(
        `input \`${spec.name}\`: header ${name} uses ${whole}, but ${variable} is not set (set it, or write \${${variable}:-default})`,
      );
      return "";
    });
  }
  let body: string | undefined;
  if (spec.body !== undefined && spec.body !== null) {
    if (method === "GET" || method === "HEAD")
      problems.push(`input \`${spec.name}\`: a ${method} request cannot have a body (use method: POST)`);
    if (typeof spec.body === "string") body = spec.body;
    else {
      body = JSON.stringify(spec.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
        headers["Content-Type"] = "application/json";
    }
  }
  return {
    request: {
      method,
      headers,
      body,
      format: spec.format,
      delimiter: spec.delimiter,
      timeoutMs: httpTimeoutMs(env),
      maxBytes: maxOutputBytes(env),
    },
    problems,
  };
}

/** The one request in flight, shared by every step waiting for it. */
interface SharedFetch {
  readonly controller: AbortController;
  readonly promise: Promise<unknown>;
  waiters: number;
}

/**
 * The value of an `http` input. `load()` fetches on the first call; later calls share that
 * result. A failed or abandoned fetch is started again by the next `load()` (a step retry).
 */
export class LazyHttpInput implements LazyHttpValue {
  readonly kind = "http";
  private shared: SharedFetch | undefined;
  private value: { loaded: unknown } | undefined;

  constructor(
    readonly input: string,
    readonly url: string,
    private readonly request: HttpRequest,
  ) {}

  load(signal?: AbortSignal): Promise<unknown> {
    if (this.value) return Promise.resolve(this.value.loaded);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const shared = (this.shared ??= this.start());
    shared.waiters++;
    if (!signal) return shared.promise;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        // The last one waiting gave up: nobody needs the answer, so the request stops too.
        if (--shared.waiters === 0) this.abandon(shared);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      shared.promise
        .finally(() => signal.removeEventListener("abort", onAbort))
        .then(resolve, (error: unknown) => reject(error));
    });
  }

  /** What a template or a JSON report shows before the value is loaded. */
  toJSON(): { kind: "http"; url: string } {
    return { kind: this.kind, url: this.url };
  }

  private start(): SharedFetch {
    const controller = new AbortController();
    const shared: SharedFetch = {
      controller,
      waiters: 0,
      promise: this.fetchOnce(controller).then(
        (loaded) => {
          this.value = { loaded };
          return loaded;
        },
        (error: unknown) => {
          if (this.shared === shared) this.shared = undefined; // a step retry may try again
          throw error;
        },
      ),
    };
    // Every waiter handles the rejection; this keeps one with no waiter left from being "unhandled".
    shared.promise.catch(() => undefined);
    return shared;
  }

  private abandon(shared: SharedFetch): void {
    if (this.shared === shared) this.shared = undefined;
    shared.controller.abort();
  }

  private async fetchOnce(controller: AbortController): Promise<unknown> {
    const { method, headers, body, format } = this.request;
    const what = `${method} ${this.url}`;
    let response: Response;
    let bytes: Uint8Array;
    try {
      ({ response, bytes } = await fetchWithIdleLimit(
        this.url,
        { method, headers, body },
        this.request.timeoutMs,
        controller,
        this.request.maxBytes,
      ));
    } catch (error) {
      const reason =
        error instanceof FetchStopped && error.stop.kind === "silent"
          ? `${error.message} (AIORCH_HTTP_TIMEOUT)`
          : errorText(error);
      throw new HttpInputError(this.input, this.url, `input \`${this.input}\`: ${what} failed: ${reason}`, {
        hint: "check the URL and that the server is reachable",
      });
    }
    if (!response.ok) {
      const excerpt = new TextDecoder().decode(bytes).trim().slice(0, 200);
      throw new HttpInputError(
        this.input,
        this.url,
        `input \`${this.input}\`: ${what} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${excerpt ? `: ${excerpt}` : ""}`,
        { status: response.status, hint: statusHint(response.status) },
      );
    }
    if (format === "binary") return bytes;
    const text = new TextDecoder().decode(bytes);
    try {
      if (format === "json") return parseJson(text);
      if (format === "csv") return parseCsv(text, this.request.delimiter);
    } catch (error) {
      if (error instanceof JsonSyntaxError || error instanceof CsvError) {
        const kind = format === "json" ? "JSON" : "CSV";
        throw new HttpInputError(
          this.input,
          this.url,
          `input \`${this.input}\`: the answer of ${what} is not valid ${kind}: ${error.message}`,
          {
            status: response.status,
            hint: format === "json" ? "drop `format: json` to receive the text" : undefined,
          },
        );
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
  if (status === 401 || status === 403)
    return "the server refused the credentials: check the `headers:` of this input and the variables they use";
  if (status === 404) return "check the URL";
  if (status >= 500) return "the server failed; try again later";
  return "check the URL, method, headers and body of this input";
}
