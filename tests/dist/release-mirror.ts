import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Server } from "bun";

/**
 * A GitHub-like release mirror on 127.0.0.1 for install.sh: files live under
 * `<root>/latest/download/<asset>` and `<root>/download/<tag>/<asset>`, and every request
 * path is recorded so a test can see what the script fetched.
 */
export interface ReleaseMirror {
  /** The value for AIORCH_INSTALL_BASE_URL. */
  baseUrl: string;
  requests: string[];
  /** Adds a release: `tag` is "latest" or a tag such as "v1.2.3"; sums are computed from `assets` unless given. */
  addRelease(tag: string, assets: Record<string, Uint8Array | string>, sums?: string): void;
  stop(): void;
}

export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export function sha256Sums(assets: Record<string, Uint8Array | string>): string {
  return Object.entries(assets)
    .map(([name, data]) => `${sha256(data)}  ${name}\n`)
    .join("");
}

/** A tiny stand-in for the real binary: a shell script that prints a version. */
export function fakeBinary(version: string): string {
  return `#!/bin/sh\necho "${version}"\n`;
}

export function startReleaseMirror(root: string): ReleaseMirror {
  const requests: string[] = [];
  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = decodeURIComponent(new URL(request.url).pathname);
      requests.push(path);
      const file = join(root, path);
      if (path.includes("..") || !existsSync(file)) return new Response("not found", { status: 404 });
      return new Response(readFileSync(file));
    },
  });
  return {
    baseUrl: `http://127.0.0.1:${server.port}/releases`,
    requests,
    addRelease(tag, assets, sums) {
      const dir = join(root, "releases", tag === "latest" ? "latest/download" : `download/${tag}`);
      for (const [name, data] of Object.entries({ ...assets, SHA256SUMS: sums ?? sha256Sums(assets) })) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), data);
        chmodSync(join(dir, name), 0o755);
      }
    },
    stop: () => void server.stop(true),
  };
}
