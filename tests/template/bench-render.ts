/**
 * Renders per second of a cached one-variable template (`{{ name }}`); the bar is
 * ≥ 200,000/s. Run: `bun tests/template/bench-render.ts`. Not a test.
 */
import { compileTemplate } from "../../src/template/index.ts";

const context = { name: "World", other: 1 };
const source = "{{ name }}";
const warmup = 50_000;
for (let i = 0; i < warmup; i++) compileTemplate(source).render(context);

const rounds = 5;
const perRound = 200_000;
const rates: number[] = [];
for (let r = 0; r < rounds; r++) {
  const start = performance.now();
  for (let i = 0; i < perRound; i++) compileTemplate(source).render(context);
  rates.push(perRound / ((performance.now() - start) / 1000));
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)]!;
console.log(
  `{{ name }} via compileTemplate (cache hit) + render: ${Math.round(median).toLocaleString("en-US")} renders/s (median of ${rounds} × ${perRound.toLocaleString("en-US")})`,
);
