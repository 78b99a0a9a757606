/** Starts `aiorch ui --port 0` (from the sources) on a history and reads the link it prints. */
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";

export interface RunningUi {
  url: string;
  stop(): Promise<void>;
  stderr: () => string;
}

export async function startUi(options: {
  cwd: string;
  env: Record<string, string>;
  args?: string[];
}): Promise<RunningUi> {
  const child = Bun.spawn(
    [process.execPath, join(REPO_ROOT, "src/main.ts"), "ui", "--port", "0", ...(options.args ?? [])],
    {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  let errors = "";
  void new Response(child.stderr).text().then((text) => (errors = text));
  const reader = child.stdout.getReader();
  let out = "";
  const decoder = new TextDecoder();
  while (!/aiorch ui: (\S+)/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`aiorch ui ended (exit ${await child.exited}): ${out}${errors}`);
    out += decoder.decode(value);
  }
  reader.releaseLock();
  const url = /aiorch ui: (\S+)/.exec(out)![1]!;
  return {
    url,
    stderr: () => errors,
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
    },
  };
}
