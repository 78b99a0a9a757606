/**
 * Sets `obj[key] = value` as an own data property. Names come from pipelines and data
 * (a step called `__proto__`, a CSV column `constructor`): a plain assignment of
 * `__proto__` would change the object's prototype instead of storing the value.
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
