/**
 * Redaction (docs/history.md): values of `*_KEY`/`*_TOKEN`/`*_SECRET`/`*_PASSWORD` environment variables
 * and the configured `api_key` reach neither the database file nor the terminal, whatever
 * carries them: inputs, rendered commands, outputs, errors, tracebacks, the JSON document.
 * And a database that cannot be used stops `run` before it starts, exit 2.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiorch, removeScratch, scratch, SLOW, STACK_TRACE } from "../run/harness.ts";
import { historyFileIn, readHistory } from "./helpers.ts";

afterAll(removeScratch);

const TOKEN = "tok-9f8e7d6c5b4a";
const PASSWORD = "pw-correct-horse";
const API_KEY = "sk-conf-1234567890";
const SECRETS = [TOKEN, PASSWORD, API_KEY];

const LEAKY = `
name: leaky
input:
  key: { type: string }
steps:
  show:
    run: echo token=$DEPLOY_TOKEN key={{ key }}
  py:
    python: |
      import os
      result = {"pw": os.environ["DB_PASSWORD"], "key": inputs["key"]}
  shout:
    foreach: "[1, 2]"
    run: echo item {{ item }} $DEPLOY_TOKEN
  fail:
    depends: [show]
    python: |
      raise RuntimeError("cannot log in with " + inputs["key"] + " / " + __import__("os").environ["DB_PASSWORD"])
`;

const ENV = { DEPLOY_TOKEN: TOKEN, DB_PASSWORD: PASSWORD };

/** Every byte of the database and its WAL/SHM files, as text. */
function databaseBytes(cwd: string): string {
  const file = historyFileIn(cwd);
  return [file, `${file}-wal`, `${file}-shm`]
    .filter(existsSync)
    .map((f) => readFileSync(f).toString("latin1"))
    .join("\n");
}

describe("secrets", () => {
  test.concurrent(
    "appear nowhere in the database file or the terminal output (text -v, json, resume)",
    async () => {
      const cwd = scratch("secrets");
      writeFileSync(join(cwd, "p.yaml"), LEAKY);
      writeFileSync(join(cwd, "aiorch.yaml"), `llm:\n  api_key: ${API_KEY}\n`);
      const text = await aiorch(["run", "p.yaml", "-v", "-i", `key=${API_KEY}`], { cwd, env: ENV });
      const json = await aiorch(["run", "p.yaml", "--format", "json", "-i", `key=${API_KEY}`], { cwd, env: ENV });
      expect(text.exitCode).toBe(1);
      expect(json.exitCode).toBe(1);
      // The steps really saw the secrets (masked as ***), so the test is not vacuous.
      expect(text.stdout).toContain("token=*** key=***");
      expect(text.stdout).toContain("cannot log in with *** / ***");
      expect(JSON.parse(json.stdout).outputs.py).toEqual({ pw: "***", key: "***" });
      const id = readHistory(cwd, (store) => store.listRuns()[0]!.id);
      const resumed = await aiorch(["resume", id, "-v"], { cwd, env: ENV });
      expect(resumed.exitCode).toBe(1);
      const badInput = await aiorch(["run", "p.yaml", "-i", `key=${API_KEY}`, "-i", `nope=${TOKEN}`], {
        cwd,
        env: ENV,
      });
      expect(badInput.exitCode).toBe(2);

      const shown = [text, json, resumed, badInput].map((o) => o.stdout + o.stderr).join("\n");
      const stored = databaseBytes(cwd);
      expect(stored.length).toBeGreaterThan(0);
      // Booleans, so that a failure does not print the database.
      for (const secret of SECRETS)
        expect({ secret, shown: shown.includes(secret), stored: stored.includes(secret) }).toEqual({
          secret,
          shown: false,
          stored: false,
        });
      // What is stored is the masked text.
      const steps = readHistory(cwd, (store) => store.getSteps(id));
      expect(steps.find((s) => s.name === "show")).toMatchObject({
        input: "echo token=$DEPLOY_TOKEN key='***'",
        output: "token=*** key=***",
      });
    },
    SLOW,
  );
});

describe("a database that cannot be used", () => {
  const ONE = "name: one\nsteps:\n  a:\n    run: echo a >> ran.txt\n";

  test.concurrent(
    "a corrupt file: exit 2 before anything runs, with the path and a way out",
    async () => {
      const cwd = scratch("corrupt");
      writeFileSync(join(cwd, "p.yaml"), ONE);
      const home = join(cwd, "home");
      await aiorch(["run", "p.yaml", "--no-history"], { cwd, env: { AIORCH_HOME: home } });
      Bun.spawnSync(["mkdir", "-p", home]);
      writeFileSync(join(home, "history.db"), "not a database\n".repeat(100));
      writeFileSync(join(cwd, "ran.txt"), "");
      for (const args of [
        ["run", "p.yaml"],
        ["resume", "abcd"],
      ]) {
        const outcome = await aiorch(args, { cwd, env: { AIORCH_HOME: home } });
        expect(outcome.exitCode).toBe(2);
        expect(outcome.stderr).toContain(join(home, "history.db"));
        expect(outcome.stderr).toContain("hint:");
        expect(outcome.stderr).not.toMatch(STACK_TRACE);
      }
      expect(readFileSync(join(cwd, "ran.txt"), "utf8")).toBe("");
      const anyway = await aiorch(["run", "p.yaml", "--no-history"], { cwd, env: { AIORCH_HOME: home } });
      expect(anyway.exitCode).toBe(0);
    },
    SLOW,
  );

  test.concurrent(
    "an unwritable place (AIORCH_HOME under a file): exit 2 naming it, --no-history as the way out",
    async () => {
      const cwd = scratch("unwritable");
      writeFileSync(join(cwd, "p.yaml"), ONE);
      writeFileSync(join(cwd, "plain-file"), "");
      const outcome = await aiorch(["run", "p.yaml"], { cwd, env: { AIORCH_HOME: join(cwd, "plain-file", "home") } });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toContain("cannot create the history folder");
      expect(outcome.stderr).toContain("--no-history");
      expect(outcome.stderr).not.toMatch(STACK_TRACE);
      expect(existsSync(join(cwd, "ran.txt"))).toBe(false);
    },
    SLOW,
  );

  test.concurrent(
    "a database written by the previous schema is upgraded by `run`, and its runs stay resumable",
    async () => {
      const cwd = scratch("v1");
      writeFileSync(join(cwd, "p.yaml"), ONE);
      const { Database } = await import("bun:sqlite");
      const { V1_SCHEMA } = await import("../history/v1-schema.ts");
      Bun.spawnSync(["mkdir", "-p", join(cwd, ".aiorch-home")]);
      const db = new Database(historyFileIn(cwd));
      db.run(V1_SCHEMA);
      db.run(
        `INSERT INTO runs VALUES ('old-failed-run', 'one', '${join(cwd, "p.yaml")}', '{}', 'failed', 1000, 2000, 0, 4242, NULL)`,
      );
      db.run(
        `INSERT INTO steps VALUES ('old-failed-run', 'a', 'run', 'failed', 1, 1100, 1900, 800, 'echo a', NULL, 'boom', NULL, NULL, NULL, 0, 0)`,
      );
      db.close();
      const resumed = await aiorch(["resume", "old-failed-run"], { cwd });
      expect(resumed.stderr).toBe("");
      expect(resumed.exitCode).toBe(0);
      expect(readFileSync(join(cwd, "ran.txt"), "utf8")).toBe("a\n");
      expect((await aiorch(["run", "p.yaml"], { cwd })).exitCode).toBe(0);
      const runs = readHistory(cwd, (store) => store.listRuns());
      expect(runs.map((r) => r.status)).toEqual(["success", "success", "failed"]);
      expect(runs[1]!.resumedFrom).toBe("old-failed-run");
    },
    SLOW,
  );
});
