import { compileTemplate } from "../../template/index.ts";
import { registerExecutor, type StepCall, type StepOutput } from "../registry.ts";
import { maxOutputBytes, runShell } from "./shell-process.ts";

/** §5.2 + §3.1: the rendered command's stdout, trailing whitespace trimmed. */
export async function executeRun(call: StepCall): Promise<StepOutput> {
  const command = compileTemplate(call.step.body, "shell").render({ ...call.context, ...call.extra });
  call.rendered(command);
  const { stdout, stderr } = await runShell({ command, env: call.env, cwd: call.cwd, signal: call.signal, maxOutput: maxOutputBytes(call.env) });
  return { value: stdout.replace(/\s+$/, ""), ...(stderr.trim() ? { log: stderr } : {}) };
}

registerExecutor("run", executeRun);
