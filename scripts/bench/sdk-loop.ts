/**
 * The baseline of the LLM benchmark: a bare loop of the openai SDK sending `n` chat
 * completions with `concurrency` in flight. Usage: bun sdk-loop.ts URL N CONCURRENCY
 */
import OpenAI from "openai";

const [url, n, concurrency] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const client = new OpenAI({ baseURL: url, apiKey: "bench", maxRetries: 0 });
let next = 0;
async function worker(): Promise<void> {
  while (next < n) {
    const i = next++;
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: `item ${i}` }] });
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
