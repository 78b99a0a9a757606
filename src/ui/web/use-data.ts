import { useEffect, useState } from "preact/hooks";

export type Loaded<T> = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; value: T };

/** The value `load` fetches, loaded again when a dependency changes; a late answer to an older request is dropped. */
export function useData<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, (value: T) => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  useEffect(() => {
    let current = true;
    setLoaded({ state: "loading" });
    load().then(
      (value) => current && setLoaded({ state: "ready", value }),
      (error: unknown) =>
        current && setLoaded({ state: "error", message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return [loaded, (value: T) => setLoaded({ state: "ready", value })];
}
