/**
 * The interpreter behind a version-manager shim. `python3` from pyenv or asdf is a shell
 * script that works out a version and then starts the real interpreter: 60–150 ms for every
 * python worker aiorch starts. The real path is asked once (`sys.executable`) and kept in
 * `$AIORCH_HOME/python-interpreters.json`, keyed by everything the shim's answer depends on:
 * the shim file itself (path and modification time), PATH, the version variables, and the
 * folder (a `.python-version` file there or above picks the version). A cached path that is
 * gone is asked again; any failure keeps the shim.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join } from "node:path";

/** Variables a shim reads to choose the version. */
const VERSION_VARIABLES = [
  "PYENV_VERSION",
  "PYENV_ROOT",
  "ASDF_PYTHON_VERSION",
  "ASDF_DATA_DIR",
  "ASDF_DEFAULT_TOOL_VERSIONS_FILENAME",
];
const CACHE_FILE = "python-interpreters.json";
const MAX_ENTRIES = 200;

/** A script (`#!`), not a compiled interpreter: what a shim is. */
function isScript(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head.toString("latin1") === "#!";
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function cacheKey(shim: string, env: Record<string, string | undefined>, cwd: string): string {
  const versions = VERSION_VARIABLES.map((name) => `${name}=${env[name] ?? ""}`).join("\n");
  return [shim, statSync(shim).mtimeMs, env.PATH ?? "", versions, cwd].join("\n");
}

function readCache(file: string): Record<string, string> {
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, string>)
      : {};
  } catch {
    return {};
  }
}

function ask(shim: string, env: Record<string, string | undefined>, cwd: string): string | undefined {
  const result = Bun.spawnSync([shim, "-c", "import sys; print(sys.executable)"], {
    env: env as Record<string, string>,
    cwd,
    stdout: "pipe",
    stderr: "ignore",
  });
  const path = result.stdout.toString().trim();
  return result.exitCode === 0 && isAbsolute(path) && existsSync(path) && !isScript(path) ? path : undefined;
}

/**
 * The interpreter to start workers with: `python` itself unless it is a shim, else the real
 * interpreter it chose for `cwd` (cached in `home`).
 */
export function realInterpreter(
  python: string,
  options: { env: Record<string, string | undefined>; cwd: string; home: string },
): string {
  if (!isScript(python)) return python;
  const file = join(options.home, CACHE_FILE);
  try {
    const key = cacheKey(python, options.env, options.cwd);
    const cache = readCache(file);
    const known = cache[key];
    if (known && existsSync(known)) return known;
    const real = ask(python, options.env, options.cwd);
    if (!real) return python;
    const kept = Object.entries(cache)
      .filter(([k]) => k !== key)
      .slice(-(MAX_ENTRIES - 1));
    mkdirSync(dirname(file), { recursive: true });
    // Written aside and renamed: another aiorch starting at the same time reads a whole file.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(Object.fromEntries([...kept, [key, real]]), null, 1)}\n`);
    renameSync(temporary, file);
    return real;
  } catch {
    return python; // an unreadable home or a shim that fails: start workers with the shim, as before
  }
}
