/**
 * `aiorch doctor` through the real CLI: with and without python3 on PATH, key names but
 * never their values, `doctor FILE` checking what that pipeline needs, and the JSON form.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { aiorch, removeScratch, scratch, STACK_TRACE } from "../run/harness.ts";

/** The endpoint doctor asks `GET /models` of: it wants the key below and lists two models. */
const KEY = "sk-doctor-test-key-0123456789";
let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer({ apiKey: KEY, models: ["gpt-4o-mini", "local-model", "claude-3-5-haiku-latest"] });
});
afterAll(async () => {
  await server.stop();
  removeScratch();
});

/**
 * Every variable doctor reads, emptied (the same as unset for aiorch), so the machine's
 * own keys, endpoint or interpreter do not leak into the results.
 */
const CLEAN: Record<string, string> = {
  OPENAI_API_KEY: "",
  ANTHROPIC_API_KEY: "",
  GOOGLE_API_KEY: "",
  GEMINI_API_KEY: "",
  OPENROUTER_API_KEY: "",
  OPENAI_BASE_URL: "",
  AIORCH_BASE_URL: "",
  OPENAI_API_BASE: "",
  ANTHROPIC_API_BASE: "",
  ANTHROPIC_BASE_URL: "",
  GEMINI_API_BASE: "",
  OPENROUTER_API_BASE: "",
  AIORCH_PYTHON: "",
  AIORCH_NO_HISTORY: "",
  AIORCH_DOCTOR_TIMEOUT: "",
};

/** A PATH with nothing but `sh` on it: no python3 anywhere. */
function pathWithoutPython(): string {
  const bin = join(scratch("nopython-bin"));
  symlinkSync("/bin/sh", join(bin, "sh"));
  return bin;
}

const doctor = (args: string[] = [], options: { cwd?: string; env?: Record<string, string> } = {}) =>
  aiorch(["doctor", ...args], { ...options, env: { ...CLEAN, ...options.env } });

interface DoctorJson {
  ok: boolean;
  version: string;
  platform: string;
  pipeline: string | null;
  checks: { name: string; status: "ok" | "warn" | "fail"; detail: string; hint: string | null }[];
  keys: Record<string, boolean>;
}

const PROMPT_PIPELINE = "name: ask\nsteps:\n  ask:\n    prompt: Say hello\n";
const SHELL_PIPELINE = "name: shell-only\nsteps:\n  hi:\n    run: echo hi\n";
const PYTHON_PIPELINE = "name: py\nsteps:\n  calc:\n    python: result = 1 + 1\n";

describe("aiorch doctor", () => {
  test("with python3 on PATH: every line, and exit 0 (a missing API key is only a warning)", async () => {
    const r = await doctor();
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^✓ python3 +\/\S+ \(Python 3\.\d+\.\d+, from PATH\)$/m);
    expect(r.stdout).toMatch(/^✓ shell +\/bin\/sh/m);
    expect(r.stdout).toMatch(/^✓ config +none found/m);
    expect(r.stdout).toMatch(
      /^! API keys +none set \(OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_API_KEY, GEMINI_API_KEY, OPENROUTER_API_KEY\)/m,
    );
    expect(r.stdout).toMatch(
      /^! LLM +gpt-4o-mini \(for prompt steps that name no model\) → openai \(https:\/\/api\.openai\.com\/v1\): OPENAI_API_KEY is not set$/m,
    );
    expect(r.stdout).toMatch(
      /^✓ history +.*\.aiorch-home\/history\.db \(not created yet; the first run creates it\)$/m,
    );
    expect(r.stdout).toMatch(/^aiorch \d+\.\d+\.\d+ · (linux|darwin|win32)-\w+ · bun /m);
    expect(r.stdout).toContain("fix: export OPENAI_API_KEY=");
    expect(r.stderr).toBe("");
  });

  test("does not create the history database it checks", async () => {
    const r = await doctor();
    expect(r.stdout).toContain("not created yet");
    expect(await Bun.file(join(r.cwd, ".aiorch-home", "history.db")).exists()).toBe(false);
  });

  test("without python3 on PATH: ✗ with the fix, exit 1", async () => {
    const r = await doctor([], { env: { PATH: pathWithoutPython() } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^✗ python3 +not found on PATH; python: steps cannot run$/m);
    expect(r.stdout).toContain("fix: install Python 3");
    expect(r.stdout).toContain("AIORCH_PYTHON");
    expect(r.stdout).toMatch(/^✓ shell /m);
    expect(r.stdout).toContain("Not ready: 1 problem (✗) to fix");
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  test("AIORCH_PYTHON wins over PATH, and a wrong one is reported", async () => {
    // The interpreter itself, not a shim (a pyenv shim needs pyenv on PATH).
    const python = Bun.spawnSync(["python3", "-c", "import sys; print(sys.executable)"]).stdout.toString().trim();
    const good = await doctor([], { env: { PATH: pathWithoutPython(), AIORCH_PYTHON: python } });
    expect(good.exitCode).toBe(0);
    expect(good.stdout).toContain(`✓ python3   ${python} (Python 3.`);
    expect(good.stdout).toContain(`from AIORCH_PYTHON=${python})`);
    const bad = await doctor([], { env: { AIORCH_PYTHON: "/nowhere/python3" } });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain("✗ python3   /nowhere/python3 (from AIORCH_PYTHON=/nowhere/python3) does not exist");
  });

  test("shows which keys are set by name, never their values", async () => {
    const env = { OPENAI_API_KEY: KEY, OPENROUTER_API_KEY: "or-other-secret", OPENAI_API_BASE: server.url };
    const r = await doctor([], { env });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^✓ API keys +set: OPENAI_API_KEY, OPENROUTER_API_KEY; not set: ANTHROPIC_API_KEY, GOOGLE_API_KEY, GEMINI_API_KEY$/m,
    );
    expect(r.stdout).toMatch(
      /^✓ LLM +gpt-4o-mini \(for prompt steps that name no model\) → openai .*, key from OPENAI_API_KEY$/m,
    );
    const json = await doctor(["--format", "json"], { env });
    for (const out of [r.stdout + r.stderr, json.stdout + json.stderr]) {
      expect(out).not.toContain(KEY);
      expect(out).not.toContain("or-other-secret");
    }
    expect((JSON.parse(json.stdout) as DoctorJson).keys).toEqual({
      OPENAI_API_KEY: true,
      ANTHROPIC_API_KEY: false,
      GOOGLE_API_KEY: false,
      GEMINI_API_KEY: false,
      OPENROUTER_API_KEY: true,
    });
  });

  test("the config file found is shown; its api_key only as present; base_url routes the default model", async () => {
    const cwd = scratch("doctor-config");
    writeFileSync(
      join(cwd, "aiorch.yaml"),
      `llm:\n  model: local-model\n  api_key: \${MY_LLM_KEY}\n  base_url: ${server.url}\n`,
    );
    const r = await doctor([], { cwd, env: { MY_LLM_KEY: KEY } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`✓ config    ${join(cwd, "aiorch.yaml")}`);
    expect(r.stdout).toContain("llm.api_key in the config");
    expect(r.stdout).toContain(
      `✓ LLM       local-model (for prompt steps that name no model) → ${server.url} (from llm.base_url), key from llm.api_key\n`,
    );
    expect(r.stdout).not.toContain(KEY);
  });

  test("a broken config is reported with its position (not thrown), exit 1", async () => {
    const cwd = scratch("doctor-bad-config");
    writeFileSync(join(cwd, "aiorch.yaml"), "llm:\n  modle: gpt-4o\n");
    const r = await doctor([], { cwd });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^✗ config +invalid config file .*aiorch\.yaml:$/m);
    expect(r.stdout).toContain(
      "aiorch.yaml:2:3: error: unknown key `modle` in the config file (did you mean `model`?)",
    );
    expect(r.stdout).toMatch(/^✓ python3 /m);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  test("a history folder that cannot be created is ✗, exit 1", async () => {
    const cwd = scratch("doctor-history");
    writeFileSync(join(cwd, "not-a-folder"), "");
    const r = await doctor([], { cwd, env: { AIORCH_HOME: join(cwd, "not-a-folder", "home") } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("✗ history");
    expect(r.stdout).toContain("cannot be created: a file is in the way of its folder");
    expect(r.stdout).toContain("fix: make it writable, or set AIORCH_HOME");
  });

  test("an existing history database is opened read-only and reported writable", async () => {
    const cwd = scratch("doctor-history-ok");
    expect((await aiorch(["run", "shell.yaml"], { cwd, files: { "shell.yaml": SHELL_PIPELINE } })).exitCode).toBe(0);
    const r = await doctor([], { cwd });
    expect(r.stdout).toMatch(/^✓ history +.*history\.db \(writable, \d+\.\d MB\)$/m);
  });

  test("--format json: ok, every check with status and hint, no text around it", async () => {
    const r = await doctor(["--format", "json"], { env: { PATH: pathWithoutPython() } });
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout) as DoctorJson;
    expect(doc.ok).toBe(false);
    expect(doc.pipeline).toBeNull();
    expect(doc.checks.map((c) => c.name)).toEqual(["python3", "shell", "config", "API keys", "LLM", "history"]);
    expect(doc.checks[0]).toMatchObject({ name: "python3", status: "fail" });
    expect(doc.checks[0]!.hint).toContain("AIORCH_PYTHON");
    expect(doc.checks.find((c) => c.name === "API keys")!.status).toBe("warn");
  });
});

describe("aiorch doctor FILE: what that pipeline needs", () => {
  test("a prompt pipeline without its key: ✗ naming the variable, exit 1; with it: exit 0", async () => {
    const cwd = scratch("doctor-prompt");
    writeFileSync(join(cwd, "ask.yaml"), PROMPT_PIPELINE);
    const missing = await doctor(["ask.yaml"], { cwd });
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain("checking what ask.yaml needs");
    expect(missing.stdout).toMatch(
      /^✗ LLM +gpt-4o-mini \(step ask\) → openai \(https:\/\/api\.openai\.com\/v1\): OPENAI_API_KEY is not set$/m,
    );
    expect(missing.stdout).toContain("fix: export OPENAI_API_KEY=…");
    const present = await doctor(["ask.yaml"], { cwd, env: { OPENAI_API_KEY: KEY, OPENAI_API_BASE: server.url } });
    expect(present.exitCode).toBe(0);
    expect(present.stdout).not.toContain(KEY);
  });

  test("each model is checked against its own provider's key (and --model is honoured)", async () => {
    const cwd = scratch("doctor-models");
    writeFileSync(
      join(cwd, "two.yaml"),
      "name: two\nsteps:\n  a:\n    prompt: hi\n    model: claude-3-5-haiku-latest\n  b:\n    prompt: hi\n",
    );
    const r = await doctor(["two.yaml", "--model", "gemini-2.0-flash"], {
      cwd,
      env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_API_BASE: server.url },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^✓ LLM +claude-3-5-haiku-latest \(step a\) → anthropic .*key from ANTHROPIC_API_KEY$/m);
    expect(r.stdout).toMatch(
      /^✗ LLM +gemini-2\.0-flash \(step b\) → google .*: GOOGLE_API_KEY or GEMINI_API_KEY is not set$/m,
    );
  });

  test("a shell-only pipeline does not need python3 or a key: exit 0 without them", async () => {
    const cwd = scratch("doctor-shell");
    writeFileSync(join(cwd, "shell.yaml"), SHELL_PIPELINE);
    const r = await doctor(["shell.yaml"], { cwd, env: { PATH: pathWithoutPython() } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^! python3 +not found on PATH \(not needed by shell\.yaml\)$/m);
    expect(r.stdout).toMatch(/^✓ LLM +not needed \(no prompt: steps\)$/m);
    expect(r.stdout).toMatch(/^✓ API keys +none set \(this pipeline has no prompt: steps\)$/m);
  });

  test("a python pipeline needs python3: exit 1 without it", async () => {
    const cwd = scratch("doctor-python");
    writeFileSync(join(cwd, "py.yaml"), PYTHON_PIPELINE);
    const r = await doctor(["py.yaml", "--format", "json"], { cwd, env: { PATH: pathWithoutPython() } });
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout) as DoctorJson;
    expect(doc.pipeline).toBe("py.yaml");
    expect(doc.checks[0]).toMatchObject({ name: "python3", status: "fail" });
  });

  test("what a sub-pipeline needs counts too", async () => {
    const cwd = scratch("doctor-flow");
    mkdirSync(join(cwd, "flows"));
    writeFileSync(join(cwd, "flows", "ask.yaml"), PROMPT_PIPELINE);
    writeFileSync(join(cwd, "parent.yaml"), "name: parent\nsteps:\n  sub:\n    flow: flows/ask.yaml\n");
    const r = await doctor(["parent.yaml"], { cwd });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("OPENAI_API_KEY is not set");
  });

  test("an invalid pipeline is reported like `validate` does, exit 2; a missing one too", async () => {
    const cwd = scratch("doctor-invalid");
    writeFileSync(join(cwd, "bad.yaml"), "name: bad\nsteps:\n  a:\n    run: echo hi\n    retries: 2\n");
    const bad = await doctor(["bad.yaml"], { cwd });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("bad.yaml:5:5");
    const missing = await doctor(["nope.yaml"], { cwd });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("nope.yaml");
    expect(missing.stderr + bad.stderr).not.toMatch(STACK_TRACE);
  });
});

describe("aiorch doctor asks the LLM endpoint (GET /models)", () => {
  /** A config that sends every model to `url`, with the key from $MY_LLM_KEY. */
  function configured(label: string, url: string, model = "local-model"): string {
    const cwd = scratch(label);
    writeFileSync(join(cwd, "aiorch.yaml"), `llm:\n  model: ${model}\n  api_key: \${MY_LLM_KEY}\n  base_url: ${url}\n`);
    return cwd;
  }
  const LINE = (url: string, model = "local-model") =>
    `LLM       ${model} (for prompt steps that name no model) → ${url} (from llm.base_url), key from llm.api_key`;

  test("it answers and lists the model: ✓, exit 0", async () => {
    const r = await doctor([], { cwd: configured("probe-ok", server.url), env: { MY_LLM_KEY: KEY } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`✓ ${LINE(server.url)}\n            answers; lists local-model\n`);
  });

  test("it answers but does not list the model: a warning naming the models it has, exit 0", async () => {
    const r = await doctor(["--model", "mistral-small"], {
      cwd: configured("probe-unlisted", server.url),
      env: { MY_LLM_KEY: KEY },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      `! ${LINE(server.url, "mistral-small")}\n            answers, but does not list mistral-small; it lists gpt-4o-mini, local-model, claude-3-5-haiku-latest\n`,
    );
    expect(r.stdout).toContain("fix: check the model name (the step's model:, --model, llm.model)");
  });

  test("it refuses the key (401): ✗ naming where the key comes from, never the key, exit 1", async () => {
    const wrong = "sk-wrong-key-9876543210abcdef";
    const r = await doctor([], { cwd: configured("probe-401", server.url), env: { MY_LLM_KEY: wrong } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(
      `✗ ${LINE(server.url)}\n            GET ${server.url}/models: HTTP 401: the endpoint refused the key\n`,
    );
    expect(r.stdout).toContain("fix: check the key in llm.api_key");
    const json = await doctor(["--format", "json"], {
      cwd: configured("probe-401-json", server.url),
      env: { MY_LLM_KEY: wrong },
    });
    expect(JSON.parse(json.stdout).checks.find((c: { name: string }) => c.name === "LLM")).toMatchObject({
      status: "fail",
    });
    expect(r.stdout + r.stderr + json.stdout + json.stderr).not.toContain(wrong);
  });

  test("a closed port on 127.0.0.1: ✗ with the URL and what to check, exit 1", async () => {
    const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    const port = closed.port!;
    const url = `http://127.0.0.1:${port}/v1`;
    await closed.stop(true);
    const r = await doctor([], { cwd: configured("probe-closed", url), env: { MY_LLM_KEY: KEY } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(
      `✗ ${LINE(url)}\n            GET ${url}/models: connection refused: nothing listens at 127.0.0.1:${port}\n`,
    );
    expect(r.stdout).toContain(
      "fix: check that the server is started and that the port in the URL is the one it listens on",
    );
    expect(r.stdout).toContain("Not ready: 1 problem");
  });

  test("a server that never answers: ✗ after AIORCH_DOCTOR_TIMEOUT, exit 1", async () => {
    // Accepts the connection and says nothing, ever: only the time limit ends the wait.
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const url = `http://127.0.0.1:${silent.port}/v1`;
      const r = await doctor([], {
        cwd: configured("probe-silent", url),
        env: { MY_LLM_KEY: KEY, AIORCH_DOCTOR_TIMEOUT: "300ms" },
      });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain(`GET ${url}/models: no answer within 0.3s\n`);
      expect(r.stdout).toContain("AIORCH_DOCTOR_TIMEOUT=10s waits longer");
    } finally {
      silent.stop(true);
    }
  });

  test("a base URL without its /v1 (404): a warning saying where the API starts", async () => {
    const root = server.url.replace(/\/v1$/, "");
    const r = await doctor([], { cwd: configured("probe-404", root), env: { MY_LLM_KEY: KEY } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`answers, but GET ${root}/models is HTTP 404\n`);
    expect(r.stdout).toContain("fix: check that the base URL ends where the API starts, often /v1");
  });

  test("one GET /models per endpoint, however many models a pipeline sends there", async () => {
    const cwd = configured("probe-once", server.url);
    writeFileSync(
      join(cwd, "two.yaml"),
      "name: two\nsteps:\n  a:\n    prompt: hi\n    model: gpt-4o-mini\n  b:\n    prompt: hi\n    model: local-model\n  c:\n    prompt: hi\n    model: nope-model\n",
    );
    server.reset();
    const r = await doctor(["two.yaml"], { cwd, env: { MY_LLM_KEY: KEY } });
    expect(r.exitCode).toBe(0);
    expect(server.stats.modelListRequests).toBe(1);
    expect(r.stdout).toMatch(/^✓ LLM +gpt-4o-mini \(step a\)/m);
    expect(r.stdout).toMatch(/^✓ LLM +local-model \(step b\)/m);
    expect(r.stdout).toMatch(/^! LLM +nope-model \(step c\)/m);
  });

  test("AIORCH_DOCTOR_TIMEOUT that is not a time limit: exit 2 with the fix", async () => {
    const r = await doctor([], { env: { AIORCH_DOCTOR_TIMEOUT: "soon" } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: AIORCH_DOCTOR_TIMEOUT="soon" is not a time limit');
    expect(r.stderr).toContain("hint: write a duration such as 500ms or 10s");
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });
});
