import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAlive as running } from "../../tests/run/harness.ts";
import { killTokenHolders, markedEnv, newStepToken, STEP_TOKEN_VAR, tokenHolders } from "./step-token.ts";

async function until(condition: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !condition(); i++) await Bun.sleep(50);
  return condition();
}

test.skipIf(process.platform !== "linux" && process.platform !== "darwin")(
  "a daemon made by a double fork into a new session still carries the token, and is found and killed",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "aiorch-token-"));
    const token = newStepToken();
    try {
      // sh → background python → new session → fork → the parent exits: the sleeper is an orphan in its own session.
      const daemonize = `import os, subprocess
if os.fork() == 0:
    os.setsid()
    child = subprocess.Popen(["sleep", "300"])
    open("daemon.pid", "w").write(str(child.pid))
    os._exit(0)
`;
      const shell = Bun.spawn(["/bin/sh", "-c", `python3 -c '${daemonize}'`], {
        cwd: dir,
        env: { ...process.env, [STEP_TOKEN_VAR]: token },
        stdout: "ignore",
        stderr: "ignore",
      });
      await shell.exited;
      expect(
        await until(() => existsSync(join(dir, "daemon.pid")) && readFileSync(join(dir, "daemon.pid"), "utf8") !== ""),
      ).toBe(true);
      const daemon = Number(readFileSync(join(dir, "daemon.pid"), "utf8"));
      expect(running(daemon)).toBe(true);
      expect(tokenHolders(token)).toContain(daemon);
      expect(tokenHolders(newStepToken())).toEqual([]);
      killTokenHolders(token);
      expect(await until(() => !running(daemon))).toBe(true);
    } finally {
      killTokenHolders(token); // whatever a failed assertion left behind
      rmSync(dir, { recursive: true, force: true });
    }
  },
  30_000,
);

test.skipIf(process.platform !== "linux" && process.platform !== "darwin")(
  "marks chain: a process marked inside a marked step (aiorch run by a run: step) is found by either mark",
  async () => {
    const outer = newStepToken();
    const inner = newStepToken();
    const env = markedEnv(markedEnv(process.env, outer), inner);
    expect(env[STEP_TOKEN_VAR]).toBe(`${outer}:${inner}`);
    const sleeper = Bun.spawn(["sleep", "300"], { env, stdout: "ignore", stderr: "ignore" });
    try {
      expect(await until(() => tokenHolders(inner).includes(sleeper.pid))).toBe(true);
      expect(tokenHolders(outer)).toContain(sleeper.pid);
      expect(tokenHolders(`${outer}:${inner}`)).toEqual([]);
      killTokenHolders(outer);
      expect(await sleeper.exited).not.toBe(0);
    } finally {
      sleeper.kill("SIGKILL");
    }
  },
  30_000,
);
