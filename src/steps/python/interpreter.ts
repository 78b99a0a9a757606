/**
 * The python3 used for python: steps: `AIORCH_PYTHON` > config `python:` > `python3` on PATH.
 * Returns undefined when none is found.
 */
export function findPython(configured?: string): string | undefined {
  const explicit = process.env.AIORCH_PYTHON || configured;
  if (explicit)
    return explicit.includes("/") || explicit.includes("\\") ? explicit : (Bun.which(explicit) ?? undefined);
  return Bun.which("python3") ?? Bun.which("python") ?? undefined;
}
