import { describe, expect, test } from "bun:test";
import { redact, secretsFrom } from "../../src/history/index.ts";
import { addSecrets, redactText, type Secret } from "../../src/history/redact.ts";
import { isSecretLike, secretForms } from "../../src/history/secret-forms.ts";

/** The members of `secrets` that are among `values`, in the order of `secrets` (their other spellings left out). */
const among = (secrets: readonly Secret[], values: readonly string[]) =>
  secrets.filter((s) => typeof s === "string" && values.includes(s));

describe("secretsFrom", () => {
  test("takes values of *_KEY, *_TOKEN, *_SECRET, *_PASSWORD variables and extra ones, secret-like (8+ characters), longest first", () => {
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
    const secrets = secretsFrom(env, ["configured-api-key", undefined, "xyz"]);
    const values = ["configured-api-key", "ghp_token_value", "lowercase-name", "sk-abc123", "hunter2!"];
    expect(among(secrets, [...values, "abc", "xyz", "/usr/bin", "not-a-secret", "not-a-secret-either", ""])).toEqual(
      values,
    );
    // Longest first, so that a secret containing another is masked whole; base64 spellings included.
    const lengths = secrets.map((s) => String(s).length);
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    expect(secrets).toContain(Buffer.from("sk-abc123").toString("base64"));
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
    const secrets = secretsFrom(env, [], {
      env_keys: ["PLAIN"],
      patterns: ["tok-[0-9]{4}", "id=(?P<n>[a-z]+)-(?P=n)"],
    });
    expect(redact("plain-secret tok-1234 tok-5678 not-secret id=ab-ab", secrets)).toBe("*** *** *** not-secret ***");
    expect(secretsFrom({ OPENAI_API_KEY: "sk-abcdef" }, ["configured-key"], { enabled: false })).toEqual([]);
    expect(secretsFrom({ OPENAI_API_KEY: "sk-abcdef" }, [], null)).toContain("sk-abcdef");
  });

  test("a pattern JavaScript cannot read throws a SyntaxError (the CLI turns it into exit 2)", () => {
    expect(() => secretsFrom({}, [], { patterns: ["(unclosed"] })).toThrow(SyntaxError);
  });
});

describe("which values are secrets, and their spellings (issue 12 item 2)", () => {
  test("short or plain values are not secrets: masking them would rewrite every occurrence of the word", () => {
    for (const value of ["main", "prod", "hunter2", "production", "password", "12345678", "2024-01-01", "  main  "])
      expect({ value, secret: isSecretLike(value) }).toEqual({ value, secret: false });
    for (const value of ["sk-abc123", "hunter2!", "Tr0ub4dor", "correcthorsebatterystaple", "ghp_token_value"])
      expect({ value, secret: isSecretLike(value) }).toEqual({ value, secret: true });
    const secrets = secretsFrom({ CACHE_KEY: "main", DEPLOY_TOKEN: "tok-9f8e7d6c" });
    expect(redact("branch main, token tok-9f8e7d6c", secrets)).toBe("branch main, token ***");
  });

  test("a PEM key: whole, without its final newline, each line (indented or with CRLF); not its armour lines", () => {
    const body = [
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
      "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu",
    ];
    const pem = `-----BEGIN PRIVATE KEY-----\n${body.join("\n")}\n-----END PRIVATE KEY-----\n`;
    const secrets = secretsFrom({ TLS_PRIVATE_KEY: pem });
    expect(redactText(pem, secrets)).toBe("***");
    expect(redactText(`key: ${pem.trimEnd()}.`, secrets)).toBe("key: ***.");
    expect(redactText(pem.replace(/\n/g, "\r\n"), secrets)).toBe(
      "-----BEGIN PRIVATE KEY-----\r\n***\r\n***\r\n-----END PRIVATE KEY-----\r\n",
    );
    expect(redactText(`  ${body[1]}`, secrets)).toBe("  ***");
    expect(redactText("-----BEGIN PRIVATE KEY-----", secrets)).toBe("-----BEGIN PRIVATE KEY-----");
  });

  test("as JSON writes it (once, twice, and with Python's \\uXXXX), and as base64 at any alignment, and inside bytes", () => {
    const pw = 'pa"ss-wörd-42';
    const secrets = secretsFrom({ DB_PASSWORD: pw });
    const once = JSON.stringify({ pw });
    expect(redactText(once, secrets)).toBe('{"pw":"***"}');
    expect(redactText(JSON.stringify({ body: once }), secrets)).toBe('{"body":"{\\"pw\\":\\"***\\"}"}');
    expect(redactText('{"pw": "pa\\"ss-w\\u00f6rd-42"}', secrets)).toBe('{"pw": "***"}');
    for (const prefix of ["", "x", "xy", "xyz"]) {
      const b64 = Buffer.from(`${prefix}${pw} and more`).toString("base64");
      expect({ prefix, masked: redactText(b64, secrets).includes("***") }).toEqual({ prefix, masked: true });
    }
    const bytes = new Uint8Array(Buffer.from(`head ${pw} tail`));
    const hidden = redact({ blob: bytes }, secrets).blob;
    expect(Buffer.from(hidden).toString()).toBe("head *** tail");
    expect(redact({ blob: bytes }, secretsFrom({ OTHER_KEY: "unrelated-123" })).blob).toBe(bytes);
  });

  test("addSecrets adds in place, keeping values longest first and patterns last", () => {
    const secrets = secretsFrom({ A_KEY: "short-key-1" }, [], { patterns: ["acct-[0-9]{4}"] });
    const shared = secrets;
    addSecrets(secrets, ["a-much-longer-secret-value", "main"]);
    expect(among(shared, ["a-much-longer-secret-value", "short-key-1"])).toEqual([
      "a-much-longer-secret-value",
      "short-key-1",
    ]);
    const lengths = shared.slice(0, -1).map((s) => String(s).length);
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    expect(shared.at(-1)).toBeInstanceOf(RegExp);
    expect(shared).not.toContain("main");
    expect(secretForms("main")).toEqual([]);
  });
});
