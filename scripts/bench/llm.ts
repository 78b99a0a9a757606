/**
 * LLM figures of `bun run bench` (issue 5): 2,000 parallel prompt items against the local
 * test server answering in 20 ms with `llm.concurrency: 64`, compared with a bare loop of
 * the openai SDK at the same concurrency; then the same run fully cached.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLlmServer } from "../../tests/helpers/llm-server.ts";
import { row } from "./measure.ts";

const ITEMS = 2_000;
const CONCURRENCY = 64;

/** Wall time of a command run without blocking this process (the server answers from here). */
async function timeAsync(argv: string[], env: Record<string, string | undefined>, cwd: string): Promise<number> {
  const started = performance.now();
  const child = Bun.spawn(argv, { cwd, env, stdout: "ignore", stderr: "pipe" });
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}: ${stderr.slice(0, 500)}`);
  return performance.now() - started;
}

export async function benchLlm(binary: string, work: string): Promise<string[]> {
  const server = await startLlmServer({ delayMs: 20 });
  try {
    const dir = join(work, "llm");
    Bun.spawnSync(["mkdir", "-p", dir]);
    writeFileSync(
      join(dir, "aiorch.yaml"),
      `llm:\n  base_url: ${server.url}\n  api_key: bench\n  concurrency: ${CONCURRENCY}\n`,
    );
    const items = Array.from({ length: ITEMS }, (_, i) => i);
    writeFileSync(join(dir, "items.json"), JSON.stringify(items));
    writeFileSync(
      join(dir, "fan.yaml"),
      `name: llm-fan\ninput:\n  items: { type: file, format: json, default: items.json }\nsteps:\n  ask:\n    foreach: items\n    parallel: true\n    concurrency: ${CONCURRENCY}\n    prompt: item {{ item }}\n`,
    );
    const env = { ...process.env, AIORCH_HOME: join(dir, "home") };
    const sdk = await timeAsync(
      [process.execPath, join(import.meta.dir, "sdk-loop.ts"), server.url, String(ITEMS), String(CONCURRENCY)],
      env,
      dir,
    );
    const aiorch = await timeAsync([binary, "run", "fan.yaml", "--format", "json"], env, dir);
    const requestsBefore = server.stats.requests;
    const cached = await timeAsync([binary, "run", "fan.yaml", "--format", "json"], env, dir);
    const ratio = sdk / aiorch;
    return [
      row(
        `prompt foreach, ${ITEMS.toLocaleString("en-US")} items (20 ms answers, ${CONCURRENCY} at once)`,
        `${(aiorch / 1000).toFixed(2)} s`,
        "≥ 70% SDK",
        ratio >= 0.7,
      ),
      `  bare openai SDK loop, same server and concurrency: ${(sdk / 1000).toFixed(2)} s → aiorch at ${(ratio * 100).toFixed(0)}% of its throughput`,
      row(
        `the same ${ITEMS.toLocaleString("en-US")} items fully cached`,
        `${(cached / 1000).toFixed(2)} s`,
        "≤ 0.5 s",
        cached <= 500 && server.stats.requests === requestsBefore,
      ),
    ];
  } finally {
    await server.stop();
  }
}
