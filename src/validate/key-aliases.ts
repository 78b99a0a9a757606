import { closest } from "../errors/did-you-mean.ts";

/** Words people write for a key from other tools (Taskfile, GitHub Actions, Airflow …). */
const STEP_ALIASES: Record<string, string> = {
  command: "run",
  cmd: "run",
  shell: "run",
  sh: "run",
  bash: "run",
  exec: "run",
  script: "python",
  code: "python",
  py: "python",
  pipeline: "flow",
  include: "flow",
  subflow: "flow",
  call: "flow",
  llm: "prompt",
  ask: "prompt",
  message: "prompt",
  retries: "retry",
  max_retries: "retry",
  attempts: "retry",
  depends_on: "depends",
  dependencies: "depends",
  deps: "depends",
  needs: "depends",
  after: "depends",
  requires: "depends",
  if: "condition",
  when: "condition",
  only_if: "condition",
  for_each: "foreach",
  each: "foreach",
  loop: "foreach",
  matrix: "foreach",
  items: "foreach",
  outputs: "output",
  as: "output",
  result: "output",
  workdir: "cwd",
  working_dir: "cwd",
  working_directory: "cwd",
  dir: "cwd",
  environment: "env",
  variables: "vars",
  params: "input",
  inputs: "input",
  with: "input",
  timeout_seconds: "timeout",
  delay: "retry_delay",
  backoff: "retry_strategy",
  on_error: "on_failure",
  onerror: "on_failure",
  catch: "on_failure",
  on_fail: "on_failure",
};

const PIPELINE_ALIASES: Record<string, string> = {
  step: "steps",
  tasks: "steps",
  jobs: "steps",
  inputs: "input",
  params: "input",
  parameters: "input",
  environment: "env",
  output: "outputs",
  desc: "description",
  title: "name",
};

const INPUT_ALIASES: Record<string, string> = {
  min: "minimum",
  max: "maximum",
  optional: "required",
  desc: "description",
  value: "default",
  sep: "delimiter",
};

export type KeyContext = "pipeline" | "a step" | "input";

/** The key the user most likely meant: a close spelling, else a known alias (itself possibly misspelt: `comand`). */
export function suggestKey(
  key: string,
  candidates: readonly string[],
  context: KeyContext | string,
): string | undefined {
  const aliases =
    context === "pipeline"
      ? PIPELINE_ALIASES
      : context === "input"
        ? INPUT_ALIASES
        : context === "a step"
          ? STEP_ALIASES
          : {};
  const word = key.toLowerCase();
  const alias = aliases[word] ?? aliases[closest(word, Object.keys(aliases)) ?? ""];
  return closest(key, candidates) ?? (alias && candidates.includes(alias) ? alias : undefined);
}
