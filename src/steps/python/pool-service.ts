import { StepFailure } from "../../errors/step-failure.ts";
import type { RunServices, ServiceKey } from "../services.ts";
import { findPython } from "./interpreter.ts";
import { PythonPool } from "./pool.ts";
import { realInterpreter } from "./real-interpreter.ts";

/** What the command configures the python workers with. */
export interface PythonSettings {
  /** Config `python:`; AIORCH_PYTHON and PATH otherwise ({@link findPython}). */
  interpreter?: string | undefined;
  /** `$AIORCH_HOME`: where the real interpreter behind a version-manager shim is remembered. */
  home: string;
}

/** The run's python worker pool, started by the first python: step (or by {@link warmPython}). */
export const PYTHON_POOL: ServiceKey<PythonPool, PythonSettings> = {
  name: "python",
  create(settings, { env, cwd }) {
    const interpreter = findPython(settings?.interpreter);
    if (!interpreter) {
      throw new StepFailure(
        "python: steps need python3, and none was found on PATH; install Python 3, or set AIORCH_PYTHON to an interpreter; in Docker, use the aiorch:python image (Dockerfile.python)",
      );
    }
    if (!settings) throw new StepFailure("python: steps need the python settings of the run (an engine bug)");
    return new PythonPool({ python: realInterpreter(interpreter, { env, cwd, home: settings.home }) });
  },
  close: (pool) => pool.terminate(),
};

/** Starts the run's python workers ahead of the first python: step; undefined without python3. */
export async function warmPython(services: RunServices): Promise<PythonPool | undefined> {
  if (!findPython(services.settingsOf(PYTHON_POOL)?.interpreter)) return undefined;
  const pool = await services.get(PYTHON_POOL);
  pool.warm();
  return pool;
}
