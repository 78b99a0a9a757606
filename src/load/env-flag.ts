/** Whether an on/off environment variable (`AIORCH_NO_HISTORY`, `AIORCH_NO_CACHE`) is on: set to anything but empty, `0` or `false`. */
export function envFlag(env: Record<string, string | undefined>, name: string): boolean {
  const value = env[name];
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}
