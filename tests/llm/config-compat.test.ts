/**
 * A config written the Python aiorch's way (issue 11, item 3): every key it accepts is
 * either honoured (llm.provider, defaults:, logging:, storage:, env:, redaction:) or
 * accepted with one warning (server:, policy:), and a misspelled key is still an error.
 * Each run goes through the real CLI against the local OpenAI-compatible server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { aiorch, removeScratch, scratch, SLOW, STACK_TRACE, type RunDocument } from "../run/harness.ts";
import { NO_PROVIDER_ENV } from "../helpers/provider-env.ts";

let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer({ apiKey: "compat-key" });
});
afterAll(async () => {
  await server.stop();
  removeScratch();
});

const PROMPT_PIPELINE = `name: ask
env:
  SHARED: from-pipeline
steps:
  ask:
    prompt: say hi
  show:
    depends: [ask]
    run: echo "$FROM_CONFIG $SHARED $FROM_SHELL $PLAIN_SECRET tok-123456"
    output: shown
`;

/** The Python tool's full config shape, pointed at the local server. */
function pythonStyleConfig(url: string, extra = ""): string {
  return `llm:
  model: gpt-4o-mini
  provider: openai
  base_url: ${url}
  api_key: \${KEY_FROM_ENV_BLOCK}
  temperature: 0.2
  max_tokens: 64
defaults:
  retry: 0
  timeout: 5m
logging:
  level: WARNING
  sink: file
storage:
  type: sqlite
  path: ~/kept/history.db
env:
  KEY_FROM_ENV_BLOCK: compat-key
  FROM_CONFIG: from-config
  SHARED: from-config
  FROM_SHELL: from-config
  PLAIN_SECRET: plain-value-1234
redaction:
  enabled: true
  patterns: ["tok-[0-9]{6}"]
  env_keys: [PLAIN_SECRET]
${extra}`;
}

async function runJson(cwd: string, args: string[], env: Record<string, string> = {}) {
  const outcome = await aiorch(["run", "p.yaml", "--format", "json", ...args], {
    cwd,
    env: { ...NO_PROVIDER_ENV, HOME: cwd, ...env },
  });
  let doc: RunDocument | undefined;
  try {
    doc = JSON.parse(outcome.stdout) as RunDocument;
  } catch {
    doc = undefined;
  }
  return { ...outcome, doc };
}

describe("a config written the Python aiorch's way", () => {
  test(
    "runs a prompt step: llm settings, env: (below the shell and the pipeline), ~ in storage.path, a run log file, redaction",
    async () => {
      const cwd = scratch("py-config");
      await Bun.write(join(cwd, "aiorch.yaml"), pythonStyleConfig(server.url));
      await Bun.write(join(cwd, "p.yaml"), PROMPT_PIPELINE);
      const before = server.stats.bodies.length;
      const { exitCode, stderr, doc } = await runJson(cwd, [], { FROM_SHELL: "from-shell" });
      expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });
      const body = server.stats.bodies.slice(before).find((b) => JSON.stringify(b.messages).includes("say hi"))!;
      expect(body).toMatchObject({ model: "gpt-4o-mini", temperature: 0.2 });
      expect(body.max_tokens ?? body.max_completion_tokens).toBe(64);
      // env: fills what the shell leaves unset; the pipeline's env: wins over it; redaction masks the rest.
      expect(doc!.outputs.show).toBe("from-config from-pipeline from-shell *** ***");
      expect(existsSync(join(cwd, "kept", "history.db"))).toBe(true);
      const logs = readdirSync(join(cwd, ".aiorch-home", "logs"));
      expect(logs).toEqual([`run-${doc!.run_id}.jsonl`]);
      const events = readFileSync(join(cwd, ".aiorch-home", "logs", logs[0]!), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { type: string; path?: string });
      expect(events.filter((e) => e.type === "step-end").map((e) => e.path)).toEqual(["ask", "show"]);
      expect(readFileSync(join(cwd, ".aiorch-home", "logs", logs[0]!), "utf8")).not.toContain("plain-value-1234");
    },
    SLOW,
  );

  test(
    "redaction.enabled: false masks nothing",
    async () => {
      const cwd = scratch("py-config-unmasked");
      await Bun.write(
        join(cwd, "aiorch.yaml"),
        pythonStyleConfig(server.url).replace("enabled: true", "enabled: false"),
      );
      await Bun.write(join(cwd, "p.yaml"), PROMPT_PIPELINE);
      const { doc } = await runJson(cwd, []);
      expect(doc!.outputs.show).toBe("from-config from-pipeline from-config plain-value-1234 tok-123456");
    },
    SLOW,
  );

  test(
    "defaults: retry and timeout apply to the steps that do not set them; a written `retry: 0` wins",
    async () => {
      const cwd = scratch("py-defaults");
      await Bun.write(join(cwd, "aiorch.yaml"), "defaults:\n  retry: 2\n  timeout: 1s\n");
      const flaky = (marker: string) => `test -f ${marker} || { touch ${marker}; exit 1; }`;
      await Bun.write(
        join(cwd, "p.yaml"),
        `name: d\nsteps:\n  flaky:\n    run: "${flaky("a")}"\n  own_retry:\n    run: "${flaky("b")}"\n    retry: 0\n  slow:\n    run: sleep 4\n    retry: 0\n  own_timeout:\n    run: sleep 1.5\n    timeout: 10s\n`,
      );
      const { doc } = await runJson(cwd, []);
      const step = (name: string) => doc!.steps.find((s) => s.name === name)!;
      expect(step("flaky")).toMatchObject({ status: "success", attempts: 2 });
      expect(step("own_retry")).toMatchObject({ status: "failed", attempts: 1 });
      expect(step("slow").status).toBe("failed");
      expect(step("slow").error).toMatch(/timed out|timeout/i);
      expect(step("own_timeout").status).toBe("success");
    },
    SLOW,
  );

  test(
    "logging.level DEBUG shows what -v shows; the command line (--no-verbose) wins",
    async () => {
      const cwd = scratch("py-logging");
      await Bun.write(join(cwd, "aiorch.yaml"), "logging:\n  level: debug\n  sink: stdout\n");
      await Bun.write(join(cwd, "p.yaml"), "name: l\nsteps:\n  hello:\n    run: echo rendered-$((40 + 2))\n");
      const debug = await aiorch(["run", "p.yaml"], { cwd, env: { HOME: cwd } });
      expect(debug.exitCode).toBe(0);
      expect(debug.stdout).toContain("echo rendered-$((40 + 2))");
      const quiet = await aiorch(["run", "p.yaml", "--no-verbose"], { cwd, env: { HOME: cwd } });
      expect(quiet.stdout).not.toContain("echo rendered-$((40 + 2))");
      // sink: stdout writes no log file.
      expect(existsSync(join(cwd, ".aiorch-home", "logs"))).toBe(false);
    },
    SLOW,
  );

  test(
    "storage.type: memory records nothing",
    async () => {
      const cwd = scratch("py-memory");
      await Bun.write(join(cwd, "aiorch.yaml"), "storage:\n  type: memory\n");
      await Bun.write(join(cwd, "p.yaml"), "name: m\nsteps:\n  one:\n    run: echo 1\n");
      const { exitCode } = await runJson(cwd, []);
      expect(exitCode).toBe(0);
      expect(existsSync(join(cwd, ".aiorch-home", "history.db"))).toBe(false);
    },
    SLOW,
  );

  test(
    "server:, policy: and storage.type: postgres are accepted with one warning that names them",
    async () => {
      const cwd = scratch("py-platform");
      await Bun.write(
        join(cwd, "aiorch.yaml"),
        "server:\n  host: 0.0.0.0\n  port: 7842\n  open_browser: false\npolicy:\n  shell:\n    mode: allowlist\n    commands: [echo]\n  max_cost_per_run: 2.5\nstorage:\n  type: postgres\n",
      );
      await Bun.write(join(cwd, "p.yaml"), "name: w\nsteps:\n  one:\n    run: echo 1\n");
      const outcome = await aiorch(["run", "p.yaml"], { cwd, env: { HOME: cwd } });
      expect(outcome.exitCode).toBe(0);
      const warnings = outcome.stderr.split("\n").filter((l) => l.startsWith("warning:"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("`server:`");
      expect(warnings[0]).toContain("`policy:`");
      expect(warnings[0]).toContain("`storage.type: postgres`");
      expect(existsSync(join(cwd, ".aiorch-home", "history.db"))).toBe(true);
    },
    SLOW,
  );

  test.each([
    ["logging:\n  levl: DEBUG\n", "unknown key `levl`", "did you mean `level`?"],
    ["defualts:\n  retry: 1\n", "unknown key `defualts`", "did you mean `defaults`?"],
    ["server:\n  prot: 80\n", "unknown key `prot`", "did you mean `port`?"],
    ["llm:\n  provider: grok\n", "provider", "groq"],
    ["logging:\n  level: LOUD\n", 'logging.level "LOUD" is not a log level', "DEBUG, INFO, WARNING or ERROR"],
  ])(
    "a mistake is exit 2 with a did-you-mean, no stack trace: %p",
    async (config, message, hint) => {
      const cwd = scratch("py-typo");
      await Bun.write(join(cwd, "aiorch.yaml"), config);
      await Bun.write(join(cwd, "p.yaml"), "name: t\nsteps:\n  one:\n    run: echo 1\n");
      const outcome = await aiorch(["run", "p.yaml"], { cwd, env: { HOME: cwd } });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toContain(message);
      expect(outcome.stderr).toContain(hint);
      expect(outcome.stderr).not.toMatch(STACK_TRACE);
    },
    SLOW,
  );
});
