import { describe, expect, test } from "bun:test";
import { redact, secretsFrom } from "../../src/history/index.ts";

describe("secretsFrom", () => {
  test("takes values of *_KEY, *_TOKEN, *_SECRET, *_PASSWORD variables and extra ones, 4+ characters, longest first", () => {
    const env = {
      OPENAI_API_KEY: "sk-abc123",
      GITHUB_TOKEN: "ghp_token_value",
      aws_secret: "lowercase-name",
      DB_PASSWORD: "hunter2!",
      SHORT_KEY: "abc",
      EMPTY_TOKEN: "",
      UNSET_KEY: undefined,
      PATH: "/usr/bin",
      KEYBOARD: "not-a-secret",
      MY_KEY_ID: "not-a-secret-either",
      DUP_KEY: "sk-abc123",
    };
    expect(secretsFrom(env, ["configured-api-key", undefined, "xyz"])).toEqual([
      "configured-api-key",
      "ghp_token_value",
      "lowercase-name",
      "sk-abc123",
      "hunter2!",
    ]);
    expect(secretsFrom({})).toEqual([]);
  });
});

describe("redact", () => {
  const secrets = ["sk-abc123", "hunter2!"];

  test("replaces every occurrence deep in objects and arrays, in keys too", () => {
    const value = {
      command: "curl -H 'Authorization: Bearer sk-abc123' && echo sk-abc123",
      nested: { list: ["ok", { deeper: ["pw=hunter2!"] }], n: 42, flag: true, nothing: null },
      "sk-abc123": "a key that is a secret",
    };
    expect(redact<unknown>(value, secrets)).toEqual({
      command: "curl -H 'Authorization: Bearer ***' && echo ***",
      nested: { list: ["ok", { deeper: ["pw=***"] }], n: 42, flag: true, nothing: null },
      "***": "a key that is a secret",
    });
    expect(value.command).toContain("sk-abc123");
  });

  test("a plain string, and values without secrets come back as they are", () => {
    expect(redact("token hunter2! here", secrets)).toBe("token *** here");
    const clean = { a: ["b", { c: 1 }] };
    expect(redact(clean, secrets)).toBe(clean);
    expect(redact(12, secrets)).toBe(12);
    expect(redact(undefined, secrets)).toBeUndefined();
  });

  test("secrets shorter than 4 characters are not redacted", () => {
    expect(redact({ text: "abc and ab and abcd" }, ["abc", "ab", ""])).toEqual({ text: "abc and ab and abcd" });
    expect(redact("abcd", ["abc", "abcd"])).toBe("***");
  });

  test("a secret containing another is masked whole", () => {
    expect(redact("key=sk-abc123-long", ["sk-abc", "sk-abc123-long"])).toBe("key=***");
  });

  test("shared and cyclic parts, special keys and non-plain objects", () => {
    const shared = { s: "hunter2!" };
    const cyclic: Record<string, unknown> = { shared, again: shared, note: "sk-abc123" };
    cyclic.self = cyclic;
    const out = redact(cyclic, secrets) as Record<string, unknown>;
    expect(out.note).toBe("***");
    expect(out.self).toBe(out);
    expect(out.shared).toBe(out.again);
    expect(out.shared).toEqual({ s: "***" });

    const parsed = JSON.parse('{"__proto__": {"x": "hunter2!"}}') as Record<string, unknown>;
    const cleaned = redact(parsed, secrets);
    expect(Object.keys(cleaned)).toEqual(["__proto__"]);
    expect(JSON.stringify(cleaned)).toBe('{"__proto__":{"x":"***"}}');

    const date = new Date(0);
    expect(redact({ date }, secrets).date).toBe(date);
  });
});

describe("the config's redaction: block (the Python aiorch's RedactionConfig)", () => {
  test("env_keys adds variables, patterns mask every match (Python named groups read), enabled: false masks nothing", () => {
    const env = { PLAIN: "plain-secret", OTHER: "not-secret" };
    const secrets = secretsFrom(env, [], { env_keys: ["PLAIN"], patterns: ["tok-[0-9]{4}", "id=(?P<n>[a-z]+)-(?P=n)"] });
    expect(redact("plain-secret tok-1234 tok-5678 not-secret id=ab-ab", secrets)).toBe("*** *** *** not-secret ***");
    expect(secretsFrom({ OPENAI_API_KEY: "sk-abcdef" }, ["configured-key"], { enabled: false })).toEqual([]);
    expect(secretsFrom({ OPENAI_API_KEY: "sk-abcdef" }, [], null)).toEqual(["sk-abcdef"]);
  });

  test("a pattern JavaScript cannot read throws a SyntaxError (the CLI turns it into exit 2)", () => {
    expect(() => secretsFrom({}, [], { patterns: ["(unclosed"] })).toThrow(SyntaxError);
  });
});
