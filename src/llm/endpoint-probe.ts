/**
 * `aiorch doctor`'s look at an LLM endpoint: `GET {baseURL}/models` with the key a run would
 * send, and a short time limit. Says whether the endpoint answers, refuses the key, or lists
 * the models (so a misspelt or unpulled model shows before a run). Never returns the key.
 */
import { positiveDurationText } from "../model/duration.ts";

/** How long the doctor waits for `/models` unless `AIORCH_DOCTOR_TIMEOUT` says otherwise. */
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

export type ProbeOutcome =
  /** 200 with an OpenAI-style list `{data: [{id}]}`. */
  | { kind: "models"; ids: string[] }
  /** The endpoint answered with another status: 401/403 (the key), 404 (a wrong path), 5xx… */
  | { kind: "status"; status: number; message: string }
  /** 200, but not a model list. */
  | { kind: "not-a-list" }
  /** No answer: refused, unknown host, TLS, or nothing within the time limit. */
  | { kind: "unreachable"; reason: string; check: string };

/** The time limit: `AIORCH_DOCTOR_TIMEOUT` (a duration such as `500ms` or `10s`, or seconds), else 3 s; undefined when the variable is not a duration. */
export function probeTimeoutMs(env: Record<string, string | undefined>): number | undefined {
  const written = env.AIORCH_DOCTOR_TIMEOUT;
  if (written === undefined || written.trim() === "") return DEFAULT_PROBE_TIMEOUT_MS;
  return positiveDurationText(written);
}

/** The URL asked: the base URL with `/models` after it. */
export const modelsUrl = (baseURL: string) => `${baseURL.replace(/\/+$/, "")}/models`;

/** Asks `GET {baseURL}/models`; never throws. */
export async function probeEndpoint(
  baseURL: string,
  apiKey: string | undefined,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const url = modelsUrl(baseURL);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    return {
      kind: "unreachable",
      reason: `${JSON.stringify(baseURL)} is not an http:// or https:// URL`,
      check: "the base URL: write it whole, e.g. http://localhost:11434/v1",
    };
  }
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "follow",
    });
  } catch (error) {
    return unreachable(url, error, timeoutMs);
  }
  const text = await response.text().catch(() => "");
  if (!response.ok) return { kind: "status", status: response.status, message: errorMessage(text) };
  try {
    const body = JSON.parse(text) as { data?: unknown };
    if (!Array.isArray(body.data)) return { kind: "not-a-list" };
    const ids = body.data
      .map((m) => (m && typeof m === "object" && "id" in m ? String((m as { id: unknown }).id) : undefined))
      .filter((id): id is string => id !== undefined);
    return { kind: "models", ids };
  } catch {
    return { kind: "not-a-list" };
  }
}

/** Whether `ids` (as `/models` lists them) hold `model`: `models/gemini-…` and Ollama's `name:latest` count. */
export function listsModel(ids: readonly string[], model: string): boolean {
  return ids.some((id) => id === model || id.endsWith(`/${model}`) || id === `${model}:latest`);
}

/** The `error.message` of an OpenAI-style error body, else its first line; at most 160 characters. */
function errorMessage(text: string): string {
  let message = text.trim().split("\n")[0] ?? "";
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const inner = typeof body.error === "string" ? body.error : (body.error?.message ?? body.message ?? body.detail);
    if (typeof inner === "string") message = inner;
  } catch {
    // not JSON: the first line as it is
  }
  return message.length > 160 ? `${message.slice(0, 157)}…` : message;
}

function unreachable(url: string, error: unknown, timeoutMs: number): ProbeOutcome {
  const { host, protocol } = new URL(url);
  const e = error as { name?: string; code?: string; message?: string };
  if (e.name === "TimeoutError" || e.name === "AbortError") {
    return {
      kind: "unreachable",
      reason: `no answer within ${timeoutMs / 1000}s`,
      check: `that the server at ${host} is running and not stuck (AIORCH_DOCTOR_TIMEOUT=10s waits longer)`,
    };
  }
  if (e.code === "ECONNREFUSED" || e.code === "ConnectionRefused") {
    return {
      kind: "unreachable",
      reason: `connection refused: nothing listens at ${host}`,
      check: "that the server is started and that the port in the URL is the one it listens on",
    };
  }
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN" || /getaddrinfo|DNS/i.test(e.message ?? "")) {
    return {
      kind: "unreachable",
      reason: `the host ${new URL(url).hostname} is not found (DNS)`,
      check: "the host name in the URL, and the network or proxy (HTTPS_PROXY) of this machine",
    };
  }
  if (protocol === "https:" && /certificate|TLS|SSL|self.signed/i.test(`${e.code ?? ""} ${e.message ?? ""}`)) {
    return {
      kind: "unreachable",
      reason: `TLS failed: ${e.message ?? e.code}`,
      check: "the server's certificate (NODE_EXTRA_CA_CERTS for a private CA), or http:// for a local server",
    };
  }
  return {
    kind: "unreachable",
    reason: `${e.code ?? e.name ?? "error"}: ${e.message ?? String(error)}`,
    check: "the URL, and that this machine can reach it",
  };
}
