import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A pipeline of `steps` steps in layers of `width`; each step depends on two steps of the
 * previous layer and carries four templated fields (run, condition, vars, save) that read
 * them, so `steps × 4` templates are checked.
 */
export function generatePipeline(dir: string, steps: number, width = 10): string {
  const lines = [
    `name: generated-${steps}`,
    "description: generated for benchmarks",
    "input:",
    "  label: bench",
    "steps:",
  ];
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

/** Writes `text` as `name` in `dir` and returns the path. */
export function writePipeline(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** One python step: what a worker start costs (issue 13 item 16: a pyenv shim is resolved once). */
export const ONE_PYTHON_STEP = `name: one-python-step
steps:
  hello:
    python: |
      result = "hello"
`;

export const THREE_SHELL_STEPS = `name: three-shell-steps
steps:
  a:
    run: echo one
  b:
    run: echo {{ a }} two
    depends: [a]
  c:
    run: echo {{ b }} three
    depends: [b]
`;

/** A parallel python foreach over `n` integers (n given with -i n=…). */
export const PYTHON_FOREACH = `name: python-foreach
input:
  n: 1000
steps:
  items:
    python: result = list(range(inputs["n"]))
  double:
    foreach: items
    parallel: true
    concurrency: 16
    python: result = inputs["item"] * 2
    depends: [items]
  total:
    python: result = sum(inputs["double"])
    depends: [double]
outputs:
  total: "{{ total }}"
`;

export const SHELL_FOREACH = `name: shell-foreach
steps:
  items:
    python: result = list(range(1000))
  each:
    foreach: items
    parallel: true
    concurrency: 16
    run: echo {{ item }}
    depends: [items]
`;

/** `count` independent steps that each sleep 0.2 s. */
export function sleepers(count: number): string {
  const lines = ["name: sleepers", "steps:"];
  for (let i = 0; i < count; i++) lines.push(`  s${i}:`, "    run: sleep 0.2");
  return `${lines.join("\n")}\n`;
}

/** A chain of `count` steps: each runs `echo N` and depends on the one before it. */
export function chain(count: number): string {
  const lines = [`name: chain-${count}`, "steps:"];
  for (let i = 0; i < count; i++) {
    lines.push(`  s${i}:`, `    run: echo ${i}`);
    if (i > 0) lines.push(`    depends: [s${i - 1}]`);
  }
  return `${lines.join("\n")}\n`;
}

/** One `run:` step whose command sits inside `depth` nested `{% for %}` loops. */
export function nestedLoops(depth: number): string {
  const open = Array.from({ length: depth }, (_, i) => `{% for x${i} in [1] %}`).join("");
  return `name: nested-${depth}\nsteps:\n  s:\n    run: '${open}echo {{ x0 }}${"{% endfor %}".repeat(depth)}'\n`;
}
