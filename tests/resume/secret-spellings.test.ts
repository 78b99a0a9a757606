/**
 * Redaction of every spelling of a secret (issue 12 item 2), through the real CLI and a real
 * history file: values that a pipeline's or a step's `env:` gives to secret-looking names; a
 * PEM key (whole, without its final newline, line by line); a secret JSON-escaped inside a
 * python result; bytes holding a secret. And masking never destroys data: `CACHE_KEY=main`
 * leaves every `main` as it is (a value is masked only when it is secret-like, 8+ characters).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, scratch, SLOW } from "../run/harness.ts";
import { historyFileIn, readHistory } from "./helpers.ts";

afterAll(removeScratch);

const TOKEN = "tok-q7w8e9r0-7f3a";
const PASSWORD = 'pa"ss-w0rd-42';
const PEM_BODY = [
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
  "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu",
];
const PEM = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY.join("\n")}\n-----END PRIVATE KEY-----\n`;

const PIPELINE = `
name: spellings
env:
  DEPLOY_TOKEN: "tok-\${TOKEN_PART}-7f3a"
steps:
  show:
    run: echo "token=$DEPLOY_TOKEN branch main cache=$CACHE_KEY"
  py:
    env:
      DB_PASSWORD: '${PASSWORD}'
    python: |
      import json, os
      pw = os.environ["DB_PASSWORD"]
      key = os.environ["TLS_PRIVATE_KEY"]
      print(key.strip())
      result = {
          "json": json.dumps({"pw": pw}),
          "stripped": key.strip(),
          "indented": "\\n".join("  " + line for line in key.splitlines()),
          "blob": ("xy" + pw + " " + os.environ["DEPLOY_TOKEN"]).encode(),
      }
`;

const ENV = { TOKEN_PART: "q7w8e9r0", TLS_PRIVATE_KEY: PEM, CACHE_KEY: "main" };

/** Every spelling that gives a secret away. */
const LEAKS = [TOKEN, PASSWORD, JSON.stringify(PASSWORD).slice(1, -1), PEM.trimEnd(), ...PEM_BODY];

/** Every byte of the database and its WAL/SHM files, as text. */
function databaseBytes(cwd: string): string {
  const file = historyFileIn(cwd);
  return [file, `${file}-wal`, `${file}-shm`]
    .filter(existsSync)
    .map((f) => readFileSync(f).toString("latin1"))
    .join("\n");
}

describe("every spelling of a secret is masked, and nothing else", () => {
  test.concurrent(
    "env: of the pipeline and the step, a PEM key, JSON-escaped text, bytes; `main` of CACHE_KEY=main stays",
    async () => {
      const cwd = scratch("spellings");
      writeFileSync(join(cwd, "p.yaml"), PIPELINE);
      const text = await aiorch(["run", "p.yaml", "-v"], { cwd, env: ENV });
      const json = await aiorch(["run", "p.yaml", "--format", "json"], { cwd, env: ENV });
      expect({ code: text.exitCode, stderr: text.stderr }).toEqual({ code: 0, stderr: "" });
      expect(json.exitCode).toBe(0);
      const id = readHistory(cwd, (store) => store.listRuns()[0]!.id);
      const trace = await aiorch(["trace", id, "-v"], { cwd, env: ENV });
      expect(trace.exitCode).toBe(0);

      // The steps really saw the secrets, and `main` is not one of them.
      expect(text.stdout).toContain("token=*** branch main cache=main");
      const doc = JSON.parse(json.stdout) as { outputs: { py: Record<string, unknown> } };
      expect(doc.outputs.py.json).toBe('{"pw": "***"}');
      expect(doc.outputs.py.stripped).toBe("***");
      expect(doc.outputs.py.indented).toBe("  -----BEGIN PRIVATE KEY-----\n  ***\n  ***\n  -----END PRIVATE KEY-----");
      const blob = doc.outputs.py.blob as { $bytes: string };
      expect(Buffer.from(blob.$bytes, "base64").toString()).toBe("xy*** ***");

      const steps = readHistory(cwd, (store) => store.getSteps(id));
      expect(steps.find((s) => s.name === "show")!.output).toBe("token=*** branch main cache=main");
      const stored = steps.find((s) => s.name === "py")!;
      expect(Buffer.from((stored.output as { blob: Uint8Array }).blob).toString()).toBe("xy*** ***");
      expect(stored.log).toBe("***");

      const shown = [text, json, trace].map((o) => o.stdout + o.stderr).join("\n");
      const database = databaseBytes(cwd);
      expect(database.length).toBeGreaterThan(0);
      // Booleans, so that a failure does not print the database.
      for (const leak of LEAKS)
        expect({ leak, shown: shown.includes(leak), stored: database.includes(leak) }).toEqual({
          leak,
          shown: false,
          stored: false,
        });
    },
    SLOW,
  );
});
