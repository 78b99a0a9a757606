import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { Server } from "bun";
import type { InputSpec } from "../model/pipeline.ts";
import { HttpInputError, InputsError, isLazyHttpValue, resolveInputs, type LazyHttpValue } from "./inputs.ts";

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

let server: Server<undefined>;
let base: string;
let seen: Seen[] = [];

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      seen.push({
        method: request.method,
        path: url.pathname,
        headers: Object.fromEntries(request.headers),
        body: await request.text(),
      });
      if (url.pathname === "/data.json") return Response.json({ items: [1, 2, 3] });
      if (url.pathname === "/echo") return Response.json(seen.at(-1));
      if (url.pathname === "/text") return new Response("plain body");
      if (url.pathname === "/rows.csv") return new Response("a,b\n1,2\n");
      if (url.pathname === "/not-json") return new Response("<html>oops</html>");
      return new Response("no such thing", { status: 404, statusText: "Not Found" });
    },
  });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop(true));
beforeEach(() => {
  seen = [];
});

function spec(extra: Partial<InputSpec> = {}): InputSpec {
  return { name: "api", type: "http", hasDefault: "default" in extra, required: false, ...extra };
}

async function lazy(s: InputSpec, pairs: string[] = [], env: Record<string, string> = {}): Promise<LazyHttpValue> {
  const values = await resolveInputs([s], true, { pairs, cwd: "/", env });
  const value = values[s.name];
  if (!isLazyHttpValue(value)) throw new Error("expected a lazy http value");
  return value;
}

async function loadError(value: LazyHttpValue): Promise<HttpInputError> {
  try {
    await value.load();
  } catch (error) {
    if (error instanceof HttpInputError) return error;
    throw error;
  }
  throw new Error("expected an HttpInputError");
}

describe("http inputs", () => {
  test("nothing is fetched until load(); two loads make one request", async () => {
    const value = await lazy(spec({ url: `${base}/data.json`, format: "json" }));
    expect(value.kind).toBe("http");
    expect(value.url).toBe(`${base}/data.json`);
    expect(seen).toHaveLength(0);
    expect(await value.load()).toEqual({ items: [1, 2, 3] });
    expect(await value.load()).toEqual({ items: [1, 2, 3] });
    expect(seen).toHaveLength(1);
  });

  test("concurrent loads share the one request", async () => {
    const value = await lazy(spec({ url: `${base}/data.json`, format: "json" }));
    const [a, b] = await Promise.all([value.load(), value.load()]);
    expect(a).toEqual(b);
    expect(seen).toHaveLength(1);
  });

  test("without format the body is text; csv and binary formats parse it", async () => {
    expect(await (await lazy(spec({ url: `${base}/text` }))).load()).toBe("plain body");
    expect(await (await lazy(spec({ url: `${base}/rows.csv`, format: "csv" }))).load()).toEqual([{ a: "1", b: "2" }]);
    const bytes = await (await lazy(spec({ url: `${base}/text`, format: "binary" }))).load();
    expect(new TextDecoder().decode(bytes as Uint8Array)).toBe("plain body");
  });

  test("-i over the default over url:", async () => {
    const s = spec({ url: `${base}/nowhere`, default: `${base}/text` });
    expect((await lazy(s)).url).toBe(`${base}/text`);
    expect((await lazy(s, [`api=${base}/data.json`])).url).toBe(`${base}/data.json`);
    expect((await lazy(spec({ url: `${base}/text` }))).url).toBe(`${base}/text`);
  });

  test("method, ${VAR} in headers, and a JSON body", async () => {
    const s = spec({
      url: `${base}/echo`,
      method: "POST",
      headers: { Authorization: "Bearer ${TOKEN}", "X-Region": "${REGION:-eu}" },
      body: { q: "hello" },
      format: "json",
    });
    const echoed = (await (await lazy(s, [], { TOKEN: "s3cret" })).load()) as Seen;
    expect(echoed.method).toBe("POST");
    expect(echoed.headers.authorization).toBe("Bearer s3cret");
    expect(echoed.headers["x-region"]).toBe("eu");
    expect(echoed.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(echoed.body)).toEqual({ q: "hello" });
  });

  test("an HTTP error names the input, the URL and the status; the next load tries again", async () => {
    const value = await lazy(spec({ url: `${base}/missing` }));
    const error = await loadError(value);
    expect(error.message).toBe(`input \`api\`: GET ${base}/missing answered HTTP 404 Not Found: no such thing`);
    expect(error.status).toBe(404);
    expect(error.input).toBe("api");
    expect(error.exitCode).toBe(1);
    await loadError(value);
    expect(seen).toHaveLength(2);
  });

  test("format: json on a body that is not JSON", async () => {
    const error = await loadError(await lazy(spec({ url: `${base}/not-json`, format: "json" })));
    expect(error.message).toBe(
      `input \`api\`: the answer of GET ${base}/not-json is not valid JSON: invalid JSON at line 1 column 1: expected a value, found "<"`,
    );
  });

  test("problems found before any request: bad URL, unset variable, body on GET, missing URL", async () => {
    const specs = [
      spec({ name: "a", url: "not a url" }),
      spec({ name: "b", url: "ftp://example.com/x" }),
      spec({ name: "c", url: `${base}/text`, headers: { Authorization: "Bearer ${NOT_SET_ANYWHERE}" } }),
      spec({ name: "d", url: `${base}/text`, body: "x" }),
      spec({ name: "e", required: true }),
    ];
    let caught: unknown;
    try {
      await resolveInputs(specs, true, { pairs: [], cwd: "/", env: {} });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputsError);
    expect((caught as InputsError).problems).toEqual([
      'input `a`: "not a url" is not a URL (write it like https://example.com/data.json) (from url:)',
      'input `b`: "ftp://example.com/x" is not an http:// or https:// URL (from url:)',
      "input `c`: header Authorization uses ${NOT_SET_ANYWHERE}, but NOT_SET_ANYWHERE is not set (set it, or write ${NOT_SET_ANYWHERE:-default})",
      "input `d`: a GET request cannot have a body (use method: POST)",
      "missing required input `e` (give it with -i e=…)",
    ]);
    expect(seen).toHaveLength(0);
  });
});
