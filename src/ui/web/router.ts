/** Hash routes (`#/run/ID`), so that the same page works served and as a file. */
import { useEffect, useState } from "preact/hooks";

export interface Route {
  /** `runs`, `run`, `costs`, `pipeline`. */
  page: string;
  /** The path's second part: a run id, a pipeline name. */
  arg: string;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?");
  const [page = "runs", ...rest] = path.split("/");
  return { page: page || "runs", arg: decodeURIComponent(rest.join("/")), params: new URLSearchParams(query) };
}

export function href(page: string, arg?: string, params?: URLSearchParams): string {
  const query = params && [...params.keys()].length ? `?${params}` : "";
  return `#/${page}${arg === undefined ? "" : `/${encodeURIComponent(arg)}`}${query}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}
