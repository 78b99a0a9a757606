/**
 * Lazy `type: http` inputs (issue 12 item 8) against a server on 127.0.0.1 that accepts the
 * connection and never answers: Ctrl-C, the step's `timeout` and the input's own silence
 * limit (AIORCH_HTTP_TIMEOUT) each end the wait. Before, the fetch ignored all three and
 * held the run for its fixed 60 s. No test measures time: each waits for the run to end
 * (bounded by the test's limit) and checks what it reported.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createServer, type Server, type Socket } from "node:net";
import { removeScratch, SLOW, spawnAiorch, waitUntil } from "./harness.ts";

let server: Server;
let url = "";
const sockets = new Set<Socket>();
/** The request lines the server has received (and left unanswered). */
const requested = new Set<string>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    let head = "";
    socket.on("data", (chunk) => {
      head += chunk.toString("latin1");
      const line = head.split("\r\n")[0];
      if (line !== undefined && head.includes("\r\n")) requested.add(line);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  url = `http://127.0.0.1:${address.port}/data`;
});

afterAll(() => {
  for (const socket of sockets) socket.destroy();
  server.close();
  removeScratch();
});

function pipeline(stepExtra = "", query = ""): string {
  return `name: silent
input:
  data:
    type: http
    url: ${url}${query}
steps:
  use:
    run: echo {{ data }}${stepExtra}
  after:
    depends: [use]
    run: touch after-ran
`;
}

test.concurrent(
  "Ctrl-C while a step waits for a silent server: cancelled at once, exit 130",
  async () => {
    const started = spawnAiorch(["run", "p.yaml"], {
      files: { "p.yaml": pipeline("", "?from=ctrl-c") },
      env: { AIORCH_HTTP_TIMEOUT: "600" },
    });
    // This run's request has reached the server: its step is waiting for the answer now.
    expect(await waitUntil(() => requested.has("GET /data?from=ctrl-c HTTP/1.1"), 20_000)).toBe(true);
    started.child.kill("SIGINT");
    const run = await started.done;
    expect(run.exitCode).toBe(130);
    expect(run.stdout).toMatch(/■ use\s+cancelled/);
    expect(run.stdout).toContain("silent cancelled");
  },
  SLOW,
);

test.concurrent(
  "the step's timeout covers waiting for its http input",
  async () => {
    const run = await spawnAiorch(["run", "p.yaml"], {
      files: { "p.yaml": pipeline("\n    timeout: 1s") },
      env: { AIORCH_HTTP_TIMEOUT: "600" },
    }).done;
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/✗ use\s+\S+\s+timed out after 1s waiting for http input `data`/);
    expect(run.stdout).toMatch(/- after\s+skipped/);
  },
  SLOW,
);

test.concurrent(
  "AIORCH_HTTP_TIMEOUT: a server silent for that long fails the step, naming the variable",
  async () => {
    const run = await spawnAiorch(["run", "p.yaml"], {
      files: { "p.yaml": pipeline() },
      env: { AIORCH_HTTP_TIMEOUT: "1" },
    }).done;
    expect(run.exitCode).toBe(1);
    expect(run.stdout + run.stderr).toContain(
      `input \`data\`: GET ${url} failed: no answer within 1 s (AIORCH_HTTP_TIMEOUT)`,
    );
  },
  SLOW,
);
