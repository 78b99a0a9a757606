/** The local OpenAI-compatible test server, driven by the real `openai` SDK. */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI, { APIConnectionError, AuthenticationError, InternalServerError, RateLimitError } from "openai";
import { validateJson } from "../../src/llm/json-schema.ts";
import { behave, countTokens, startLlmServer } from "../helpers/llm-server.ts";

const server = await startLlmServer({ models: ["test-model", "other-model"] });
const client = new OpenAI({ baseURL: server.url, apiKey: "test", maxRetries: 0 });

afterAll(() => server.stop());
beforeEach(() => server.reset());

/** How a promise settles: its value, or the error it rejected with. */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

describe("answers", () => {
  test("a plain completion echoes the last user message, with deterministic usage", async () => {
    const messages = [
      { role: "system" as const, content: "You are terse." },
      { role: "user" as const, content: "Say hello" },
    ];
    const completion = await client.chat.completions.create({ model: "test-model", messages, temperature: 0.2 });
    expect(completion.choices[0]!.message.content).toBe("echo: Say hello");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.model).toBe("test-model");
    const promptTokens = countTokens("You are terse.\nSay hello");
    expect(completion.usage).toEqual({
      prompt_tokens: promptTokens,
      completion_tokens: countTokens("echo: Say hello"),
      total_tokens: promptTokens + 4,
    });
    expect(server.stats.requests).toBe(1);
    expect(server.stats.bodies[0]).toMatchObject({ model: "test-model", temperature: 0.2, messages });
  });

  test("GET /v1/models lists the configured ids", async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(["test-model", "other-model"]);
  });

  test("an answer rule, scripted answers in order, then the rule again", async () => {
    const ruled = await startLlmServer({ answer: (request) => ({ words: request.messages.length }) });
    const ruledClient = new OpenAI({ baseURL: ruled.url, apiKey: "test", maxRetries: 0 });
    const ask = async () =>
      (await ruledClient.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }))
        .choices[0]!.message.content;
    ruled.script(behave.text("not json at all"), behave.json({ fixed: true }));
    expect([await ask(), await ask(), await ask()]).toEqual(["not json at all", '{"fixed":true}', '{"words":1}']);
    await ruled.stop();
  });

  test("max_tokens truncates the answer and says so", async () => {
    server.script(behave.text("a".repeat(40)));
    const completion = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      max_tokens: 3,
    });
    expect(completion.choices[0]!.message.content).toBe("a".repeat(12));
    expect(completion.choices[0]!.finish_reason).toBe("length");
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  test("usage.cost is reported when configured (OpenRouter style)", async () => {
    const priced = await startLlmServer({ reportCost: (usage) => usage.total_tokens * 0.001 });
    const pricedClient = new OpenAI({ baseURL: priced.url, apiKey: "test", maxRetries: 0 });
    const completion = await pricedClient.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "12345678" }],
    });
    const usage = completion.usage as (OpenAI.CompletionUsage & { cost?: number }) | undefined;
    expect(usage?.cost).toBe(usage!.total_tokens * 0.001);
    await priced.stop();
  });

  test("response_format is recorded; json_schema gets an answer that satisfies the schema", async () => {
    const schema = {
      type: "object",
      properties: {
        label: { enum: ["spam", "ham"] },
        score: { type: "number", minimum: 0.5 },
        tags: { type: "array", minItems: 2, items: { type: "string" } },
      },
      required: ["label", "score", "tags"],
      additionalProperties: false,
    };
    const completion = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "classify" }],
      response_format: { type: "json_schema", json_schema: { name: "out", schema, strict: true } },
    });
    const answer: unknown = JSON.parse(completion.choices[0]!.message.content!);
    expect(validateJson(schema, answer)).toEqual([]);
    expect(server.stats.responseFormats).toEqual([
      { type: "json_schema", json_schema: { name: "out", schema, strict: true } },
    ]);

    const plain = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(plain.choices[0]!.message.content!)).toEqual({ echo: "hi" });
  });

  test("a required bearer key: 401 without it", async () => {
    const locked = await startLlmServer({ apiKey: "sk-right" });
    const wrong = new OpenAI({ baseURL: locked.url, apiKey: "sk-wrong", maxRetries: 0 });
    const right = new OpenAI({ baseURL: locked.url, apiKey: "sk-right", maxRetries: 0 });
    const { error } = await settle(
      wrong.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    const ok = await right.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(ok.choices[0]!.message.content).toBe("echo: x");
    await locked.stop();
  });
});

describe("streaming", () => {
  test("SSE chunks carry the answer, then a usage chunk when include_usage", async () => {
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "stream me a longer answer" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      pieces.push(chunk.choices[0]?.delta.content ?? "");
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces.join("")).toBe("echo: stream me a longer answer");
    expect(pieces.filter((p) => p !== "").length).toBeGreaterThan(2);
    expect(finish).toBe("stop");
    expect(usage).toEqual({ prompt_tokens: 7, completion_tokens: 8, total_tokens: 15 });
    expect(server.stats.inFlight).toBe(0);
  });

  test("an empty answer: content null, or a stream without one content delta; a cut-off answer says finish_reason length", async () => {
    const ask = () => client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    const streamed = async () => {
      const stream = await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "x" }],
        stream: true,
      });
      const deltas: (string | undefined)[] = [];
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        if (chunk.choices[0]) deltas.push(chunk.choices[0].delta.content ?? undefined);
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      return { deltas, finish };
    };
    server.script(behave.empty(), behave.empty("content_filter"), behave.cutOff("half an ans"));
    const [empty, filtered, cut] = [await ask(), await ask(), await ask()];
    expect([
      empty.choices[0]!.message.content,
      empty.choices[0]!.finish_reason,
      empty.usage?.completion_tokens,
    ]).toEqual([null, "stop", 0]);
    expect(filtered.choices[0]!.finish_reason).toBe("content_filter");
    expect([cut.choices[0]!.message.content, cut.choices[0]!.finish_reason]).toEqual(["half an ans", "length"]);

    server.script(behave.empty(), behave.cutOff("half an ans"));
    expect(await streamed()).toEqual({ deltas: [undefined, undefined], finish: "stop" });
    const cutStream = await streamed();
    expect([cutStream.deltas.join(""), cutStream.finish]).toEqual(["half an ans", "length"]);
    // max_tokens 0 leaves nothing of the answer: empty and cut off at once.
    const none = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      max_tokens: 0,
    });
    expect([none.choices[0]!.message.content, none.choices[0]!.finish_reason]).toEqual(["", "length"]);
  });

  test("without include_usage there is no usage chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((c) => c.usage)).toBe(false);
  });
});

describe("misbehaviour", () => {
  test("429 with Retry-After: the SDK sees the status and the header", async () => {
    server.script(behave.rateLimit(7));
    const { error } = await settle(
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).status).toBe(429);
    expect((error as RateLimitError).headers.get("retry-after")).toBe("7");
  });

  test("429 then success: a retrying SDK waits for Retry-After, then gets the answer", async () => {
    const retrying = new OpenAI({ baseURL: server.url, apiKey: "test", maxRetries: 1 });
    server.script(behave.rateLimit(0.3));
    const started = performance.now();
    const completion = await retrying.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "again" }],
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(completion.choices[0]!.message.content).toBe("echo: again");
    expect(server.stats.requests).toBe(2);
  });

  test("500 and 503 reach the SDK as server errors; a rule makes them persistent", async () => {
    server.rule(() => behave.serverError(503, "overloaded"));
    for (let i = 0; i < 2; i++) {
      const { error } = await settle(
        client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
      );
      expect(error).toBeInstanceOf(InternalServerError);
      expect((error as InternalServerError).status).toBe(503);
      expect((error as Error).message).toContain("overloaded");
    }
    server.rule(undefined);
    server.script(behave.serverError());
    const { error } = await settle(
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
    );
    expect((error as InternalServerError).status).toBe(500);
  });

  test("a malformed body makes the SDK fail to parse, plain or streamed", async () => {
    server.script(behave.malformed(), behave.malformed());
    const { value, error } = await settle(
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
    );
    expect(value).toBeUndefined();
    expect(error).toBeInstanceOf(SyntaxError);
    // The SDK logs the unparsable event; keep the test output clean.
    const quiet = new OpenAI({ baseURL: server.url, apiKey: "test", maxRetries: 0, logLevel: "off" });
    const streamed = settle(
      (async () => {
        const stream = await quiet.chat.completions.create({
          model: "m",
          messages: [{ role: "user", content: "x" }],
          stream: true,
        });
        for await (const _ of stream);
      })(),
    );
    expect((await streamed).error).toBeInstanceOf(Error);
    expect(server.stats.inFlight).toBe(0);
  });

  test("a dropped connection is a connection error", async () => {
    server.script(behave.drop());
    const { error } = await settle(
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
  });

  test("a slow answer takes at least its delay", async () => {
    server.script(behave.slow(150));
    const started = performance.now();
    await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });
});

describe("counting", () => {
  test("concurrent requests are counted, and the maximum in flight measured", async () => {
    server.rule(() => behave.slow(300));
    const ask = (i: number) =>
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: `q${i}` }] });
    const answers = await Promise.all([0, 1, 2, 3, 4].map(ask));
    expect(answers.map((a) => a.choices[0]!.message.content).sort()).toEqual([
      "echo: q0",
      "echo: q1",
      "echo: q2",
      "echo: q3",
      "echo: q4",
    ]);
    await ask(5);
    expect(server.stats).toMatchObject({ requests: 6, inFlight: 0, maxInFlight: 5 });
  });

  test("reset zeroes the counters and forgets the script", async () => {
    server.script(behave.serverError());
    await client.models.list();
    server.reset();
    expect(server.stats).toEqual({
      requests: 0,
      inFlight: 0,
      maxInFlight: 0,
      bodies: [],
      responseFormats: [],
      modelListRequests: 0,
    });
    const ok = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(ok.choices[0]!.message.content).toBe("echo: x");
  });
});

describe("stop", () => {
  test("stop closes open requests and the port", async () => {
    const doomed = await startLlmServer({ delayMs: 5_000 });
    const doomedClient = new OpenAI({ baseURL: doomed.url, apiKey: "test", maxRetries: 0 });
    const pending = settle(
      doomedClient.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
    );
    await Bun.sleep(50);
    expect(doomed.stats.inFlight).toBe(1);
    const started = performance.now();
    await doomed.stop();
    const { error } = await pending;
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(APIConnectionError);
    const after = await settle(doomedClient.models.list());
    expect(after.error).toBeInstanceOf(APIConnectionError);
  });
});
