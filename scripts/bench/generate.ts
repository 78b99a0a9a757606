import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A pipeline of `steps` steps in layers of `width`; each step depends on two steps of the
 * previous layer and carries four templated fields (run, condition, vars, save) that read
 * them, so `steps × 4` templates are checked.
 */
export function generatePipeline(dir: string, steps: number, width = 10): string {
  const lines = [`name: generated-${steps}`, "description: generated for benchmarks", "input:", "  label: bench", "steps:"];
  for (let i = 0; i < steps; i++) {
    const layer = Math.floor(i / width);
    const parents = layer === 0 ? [] : [(layer - 1) * width + (i % width), (layer - 1) * width + ((i + 1) % width)];
    const reads = parents.length ? parents.map((p) => `{{ s${p} }}`).join(" ") : "{{ label }}";
    lines.push(`  s${i}:`);
    lines.push(`    run: echo ${reads} {{ label | upper }}`);
    if (parents.length) lines.push(`    depends: [${parents.map((p) => `s${p}`).join(", ")}]`);
    lines.push(`    condition: "{{ label }} != 'skip'"`);
    lines.push(`    vars:`);
    lines.push(`      tag: "{{ label ~ '-${i}' }}"`);
    lines.push(`    save: "/tmp/aiorch-bench-{{ label }}-${i}.txt"`);
  }
  const file = join(dir, `generated-${steps}.yaml`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}
