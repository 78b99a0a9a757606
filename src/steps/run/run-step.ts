import { parsePyJson } from "../../model/py-json.ts";
import { compileTemplate, pyStrip } from "../../template/index.ts";
import type { RunStep } from "../../model/pipeline.ts";
import { registerExecutor, type StepCall, type StepOutput } from "../registry.ts";
import { StepFailure } from "../../errors/step-failure.ts";
import { maxOutputBytes, runShell } from "./shell-process.ts";

/**
 * `format: json` on a run: step: stdout is a JSON document, and the result is its value
 * (as the Python aiorch reads it), so `{{ report.is_healthy }}` works downstream.
 */
function parseJsonOutput(stdout: string): unknown {
  try {
    return parsePyJson(stdout);
  } catch (error) {
    const shown = stdout.length > 200 ? `${stdout.slice(0, 200)}…` : stdout;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StepFailure(
      `format: json is set, but stdout is not JSON (${reason}); stdout was: ${JSON.stringify(shown)}`,
    );
  }
}

/**
 * The rendered command's stdout with surrounding whitespace stripped, as Python's
 * `str.strip()` (what the Python aiorch's pipelines read), parsed with `format: json`.
 */
export async function executeRun(call: StepCall<RunStep>): Promise<StepOutput> {
  const command = compileTemplate(call.step.body, "shell").render({ ...call.context, ...call.extra });
  call.rendered(command);
  const { stdout, stderr } = await runShell({
    command,
    env: call.env,
    cwd: call.cwd,
    signal: call.signal,
    maxOutput: maxOutputBytes(call.env),
    onOutput: call.onOutput,
  });
  const text = pyStrip(stdout);
  const value = call.step.format === "json" ? parseJsonOutput(text) : text;
  return { value, ...(stderr.trim() ? { log: stderr } : {}) };
}

registerExecutor("run", executeRun, {
  printsOutput: true,
  templates: (step) => [{ source: step.body, mode: "shell" }],
});
