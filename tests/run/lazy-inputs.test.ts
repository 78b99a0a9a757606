/**
 * Lazy `type: http` inputs are fetched on first use (docs/pipeline-reference.md#input): by the step whose templates read
 * the name (their own references: `{{ row.other }}` reads `row`, not `other`), or whose
 * python body names it; an input no step reads is never fetched.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { aiorch, removeScratch } from "./harness.ts";

let server: ReturnType<typeof Bun.serve>;
/** Requests by path. */
const requests = new Map<string, number>();

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      requests.set(path, (requests.get(path) ?? 0) + 1);
      return new Response(`body of ${path}`);
    },
  });
});

afterAll(() => {
  server.stop(true);
  removeScratch();
});

test("a lazy input is fetched by the steps that read it, and only by them", async () => {
  const base = `http://127.0.0.1:${server.port}`;
  const input = (name: string) => `  ${name}:\n    type: http\n    url: ${base}/${name}\n`;
  const yaml = `name: lazy
input:
${["shown", "attribute", "coded", "unread", "gated"].map(input).join("")}steps:
  template:
    run: echo {{ shown }}
  per_item:
    foreach: [{attribute: 1}]
    run: echo {{ item.attribute }}
  code:
    python: |
      result = inputs["coded"]
  skipped:
    condition: "false"
    run: echo {{ gated }}
outputs:
  shown: "{{ template }}"
  coded: "{{ code }}"
`;
  const outcome = await aiorch(["run", "p.yaml", "--format", "json"], { files: { "p.yaml": yaml } });
  expect(outcome.exitCode).toBe(0);
  expect(JSON.parse(outcome.stdout).outputs).toEqual({ shown: "body of /shown", coded: "body of /coded" });
  expect(Object.fromEntries(requests)).toEqual({ "/shown": 1, "/coded": 1 });
});
