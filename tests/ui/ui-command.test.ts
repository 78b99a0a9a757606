/**
 * `aiorch ui` and `trace --html` outside the browser: usage mistakes (exit 2, where, what,
 * how to fix), the token on a non-loopback address, the Host check on loopback, the API's
 * answers to a wrong request, and the read-only server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { startUi, type RunningUi } from "./ui-server.ts";

const cwd = tempDir("ui-command");
const env = { AIORCH_HOME: join(cwd, "home") };
let runId = "";

beforeAll(() => {
  writeFileSync(join(cwd, "p.yaml"), "name: p\nsteps:\n  hello:\n    run: echo hello\n");
  expect(runCli(["run", "p.yaml"], { cwd, env }).exitCode).toBe(0);
  runId = (JSON.parse(runCli(["history", "--format", "json"], { cwd, env }).stdout) as { run_id: string }[])[0]!.run_id;
});

describe("usage mistakes exit 2 and say how to fix them", () => {
  test.each([
    [
      ["--port", "abc"],
      'error: --port must be a whole number from 0 to 65535, got "abc"',
      "hint: e.g. --port 8491; --port 0 takes a free one",
    ],
    [
      ["--port", "70000"],
      'error: --port must be a whole number from 0 to 65535, got "70000"',
      "hint: e.g. --port 8491",
    ],
    [["--host", "a b"], 'error: --host must be an address or host name, got "a b"', "hint: e.g. --host 127.0.0.1"],
  ])("ui %p", (args, message, hint) => {
    const r = runCli(["ui", ...args], { cwd, env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(hint);
    expect(r.stderr).not.toContain("    at ");
  });

  test("a port in use is named, with the way out", () => {
    const taken = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    try {
      const r = runCli(["ui", "--port", String(taken.port)], { cwd, env });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(`error: port ${taken.port} on 127.0.0.1 is in use`);
      expect(r.stderr).toContain("hint: pick another with --port N, or --port 0 for a free one");
    } finally {
      taken.stop(true);
    }
  });

  test("trace --html into a folder that does not exist, or with -v", () => {
    const missing = runCli(["trace", runId, "--html", join(cwd, "no/such/folder/run.html")], { cwd, env });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`error: cannot write ${join(cwd, "no/such/folder/run.html")}: ENOENT`);
    expect(missing.stderr).toContain("hint: give a file in a folder that exists");
    const verbose = runCli(["trace", runId, "--html", join(cwd, "run.html"), "-v"], { cwd, env });
    expect(verbose.exitCode).toBe(2);
    expect(verbose.stderr).toContain("error: --html writes the run's page: it takes neither -v nor --format json");
    const unknown = runCli(["trace", "zzzzzz", "--html", join(cwd, "run.html")], { cwd, env });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('error: no run "zzzzzz" in the history');
  });
});

describe("the server", () => {
  let ui: RunningUi;
  beforeAll(async () => {
    ui = await startUi({ cwd, env });
  });
  afterAll(() => ui.stop());

  test("answers the page and the run's JSON, in the trace document's words", async () => {
    const page = await fetch(ui.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"></div>');
    const run = (await (await fetch(`${ui.url}api/runs/${runId}`)).json()) as {
      run_id: string;
      steps: { name: string; output: string; offset_ms: number }[];
    };
    expect(run.run_id).toBe(runId);
    expect(run.steps.map((s) => [s.name, s.output])).toEqual([["hello", "hello"]]);
    // The DAG recorded with the run: each top-level step and what it depends on.
    expect((run as unknown as { graph: unknown }).graph).toEqual({ hello: [] });
  });

  test("a wrong request is a 400 or 404 that says what to send; only GET is answered", async () => {
    const status = await fetch(`${ui.url}api/runs?status=bogus`);
    expect(status.status).toBe(400);
    expect(((await status.json()) as { error: string }).error).toBe(
      'status must be one of running, success, failed, cancelled, crashed, not "bogus"',
    );
    const limit = await fetch(`${ui.url}api/runs?limit=-1`);
    expect(((await limit.json()) as { error: string }).error).toBe(
      'limit must be a whole number from 0 to 500, not "-1"',
    );
    const since = await fetch(`${ui.url}api/runs?since=yesterday`);
    expect(((await since.json()) as { error: string }).error).toBe(
      'since must be a day such as 2026-05-01, not "yesterday"',
    );
    const none = await fetch(`${ui.url}api/runs/zzzzzz`);
    expect(none.status).toBe(404);
    const step = await fetch(`${ui.url}api/runs/${runId}/items`);
    expect(((await step.json()) as { error: string }).error).toBe(
      "step is missing: give the foreach step's name, ?step=NAME",
    );
    expect((await fetch(`${ui.url}api/runs`, { method: "POST" })).status).toBe(405);
  });

  test("on loopback, a request naming another host is refused (DNS rebinding)", async () => {
    const port = new URL(ui.url).port;
    const refused = await fetch(`${ui.url}api/runs`, { headers: { Host: `evil.example:${port}` } });
    expect(refused.status).toBe(403);
  });
});

test("on another address: a warning, and every request needs the printed token", async () => {
  const ui = await startUi({ cwd, env, args: ["--host", "0.0.0.0"] });
  try {
    const link = new URL(ui.url);
    const token = link.searchParams.get("token")!;
    expect(token.length).toBeGreaterThanOrEqual(32);
    const base = `http://127.0.0.1:${link.port}`;
    const denied = await fetch(`${base}/api/runs`);
    expect(denied.status).toBe(401);
    expect(await denied.text()).toContain("open the link `aiorch ui` printed");
    expect((await fetch(`${base}/api/runs?token=wrong${token.slice(5)}`)).status).toBe(401);
    const page = await fetch(`${base}/?token=${token}`);
    expect(page.status).toBe(200);
    const cookie = page.headers.get("set-cookie")!.split(";")[0]!;
    expect(cookie).toBe(`aiorch_token=${token}`);
    expect((await fetch(`${base}/api/runs`, { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await fetch(`${base}/api/runs`, { headers: { "X-Aiorch-Token": token } })).status).toBe(200);
  } finally {
    await ui.stop();
  }
  expect(ui.stderr()).toContain("warning: listening on 0.0.0.0, not only on this machine");
});
