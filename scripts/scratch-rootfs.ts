/**
 * Assembles the root folder of the `FROM scratch` image (Dockerfile): the aiorch executable
 * and exactly what it needs to start and to talk HTTPS, nothing else (no shell, no python3).
 *   bun scripts/scratch-rootfs.ts --binary dist/aiorch --out /rootfs [--ca-bundle FILE]
 * The Dockerfile runs this in its build stage and copies the folder to `/`; the test
 * (tests/dist/scratch-image.test.ts) runs it too and starts the binary in the folder with
 * chroot, so what is tested is what the image holds.
 *
 * What goes in:
 * - the executable at /usr/local/bin/aiorch;
 * - every shared library `ldd` names for it, and the dynamic loader, at the paths `ldd`
 *   names (the loader finds them there again: it searches the same default folders);
 * - the CA bundle at /etc/ssl/certs/ca-certificates.crt, where Bun reads the machine's
 *   certificates (its own Mozilla roots are compiled in; NODE_USE_SYSTEM_CA=1 and a
 *   bundle mounted over this one serve a company's own CA);
 * - /etc/passwd and /etc/group with root and the image's user aiorch (10001), home /aiorch;
 * - folders: /aiorch (AIORCH_HOME: history, cache, logs) and /tmp, writable by every uid
 *   (sticky, as /tmp), so `docker run --user "$(id -u)"` works; /work (WORKDIR, the usual
 *   bind mount); and the empty mount points /proc, /dev, /sys that a container runtime
 *   fills (the executable reads /proc/self at start-up and aborts without it).
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";

/** Where things are inside the image; the Dockerfile's ENV, USER and ENTRYPOINT agree. */
export const IMAGE = {
  binary: "/usr/local/bin/aiorch",
  home: "/aiorch",
  work: "/work",
  caBundle: "/etc/ssl/certs/ca-certificates.crt",
  uid: 10001,
} as const;

/** Debian's and Ubuntu's bundle (package ca-certificates), the default source of the CA bundle. */
const HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

export interface RootfsOptions {
  /** The compiled aiorch (scripts/build.ts). */
  binary: string;
  /** The folder to fill; it must not exist or be empty. */
  out: string;
  /** The PEM bundle to copy (default /etc/ssl/certs/ca-certificates.crt of this machine). */
  caBundle?: string;
}

export interface RootfsSummary {
  /** The libraries and loader copied, as `ldd` named them. */
  libraries: string[];
  /** Every file written, as paths inside the image. */
  files: string[];
  /** The sum of the files' sizes. */
  bytes: number;
}

/**
 * The absolute paths `ldd` prints for `binary`: its libraries and the loader (linux-vdso
 * has no file and is left out). A statically linked executable has none. A library that
 * `ldd` cannot find is an error: the image would not start.
 */
export function sharedLibraries(binary: string): string[] {
  const ldd = Bun.which("ldd");
  if (!ldd)
    throw new Error(
      "ldd was not found: it is needed to list the shared libraries of the executable (Debian: package libc-bin)",
    );
  const result = Bun.spawnSync([ldd, binary], { stdout: "pipe", stderr: "pipe", env: { ...process.env, LC_ALL: "C" } });
  const text = `${result.stdout.toString()}${result.stderr.toString()}`;
  if (/not a dynamic executable|statically linked/.test(text)) return [];
  if (result.exitCode !== 0) throw new Error(`ldd ${binary} failed (exit ${result.exitCode}):\n${text.trim()}`);
  const missing = text.split("\n").filter((line) => line.includes("=> not found"));
  if (missing.length) throw new Error(`ldd cannot find libraries of ${binary}:\n${missing.join("\n")}`);
  const paths = new Set<string>();
  for (const line of text.split("\n")) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (match) paths.add(match[1]!);
  }
  return [...paths];
}

const PASSWD = `root:x:0:0:root:/root:/sbin/nologin\naiorch:x:${IMAGE.uid}:${IMAGE.uid}:aiorch:${IMAGE.home}:/sbin/nologin\n`;
const GROUP = `root:x:0:\naiorch:x:${IMAGE.uid}:\n`;

/** Copies the content of `from` (symlinks followed) to `path` inside `root`, with its mode. */
function copyInto(root: string, path: string, from: string): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(realpathSync(from), target);
  chmodSync(target, statSync(from).mode & 0o7777);
}

function writeInto(root: string, path: string, text: string, mode: number): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  chmodSync(target, mode);
}

function folderInto(root: string, path: string, mode: number): void {
  const target = join(root, path);
  mkdirSync(target, { recursive: true });
  chmodSync(target, mode); // mkdir's mode passes through the umask, and drops the sticky bit
}

/** Every file under `root`, as paths inside it, sorted. */
function filesUnder(root: string, prefix = ""): string[] {
  const entries = readdirSync(join(root, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  return entries.flatMap((entry) => {
    const path = `${prefix}/${entry.name}`;
    return entry.isDirectory() ? filesUnder(root, path) : [path];
  });
}

/** Fills `out` with the image's root folder. */
export function assembleRootfs(options: RootfsOptions): RootfsSummary {
  const { binary, out } = options;
  const caBundle = options.caBundle ?? HOST_CA_BUNDLE;
  if (!existsSync(binary)) throw new Error(`no executable at ${binary}: build it first (bun scripts/build.ts)`);
  if (!existsSync(caBundle))
    throw new Error(`no CA bundle at ${caBundle}: install the package ca-certificates, or pass --ca-bundle FILE`);
  if (existsSync(out) && readdirSync(out).length)
    throw new Error(`${out} is not empty: the root folder is assembled into an empty or new folder`);
  const libraries = sharedLibraries(binary);
  mkdirSync(out, { recursive: true });
  chmodSync(out, 0o755);
  copyInto(out, IMAGE.binary, binary);
  chmodSync(join(out, IMAGE.binary), 0o755);
  for (const library of libraries) copyInto(out, library, library);
  copyInto(out, IMAGE.caBundle, caBundle);
  chmodSync(join(out, IMAGE.caBundle), 0o644);
  writeInto(out, "/etc/passwd", PASSWD, 0o644);
  writeInto(out, "/etc/group", GROUP, 0o644);
  for (const folder of [IMAGE.home, "/tmp"]) folderInto(out, folder, 0o1777);
  for (const folder of [IMAGE.work, "/proc", "/dev", "/sys"]) folderInto(out, folder, 0o755);
  const files = filesUnder(out);
  const bytes = files.reduce((sum, file) => sum + statSync(join(out, file)).size, 0);
  return { libraries, files, bytes };
}

/** `26 B`, `14.5 kB`, `115.87 MB`. */
function size(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  return bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(2)} MB`;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
}

function main(): void {
  const binary = option("--binary");
  const out = option("--out");
  if (!binary || !out) {
    console.error("usage: bun scripts/scratch-rootfs.ts --binary dist/aiorch --out DIR [--ca-bundle FILE]");
    process.exit(2);
  }
  try {
    const summary = assembleRootfs({ binary, out, caBundle: option("--ca-bundle") });
    for (const file of summary.files) console.log(`${size(statSync(join(out, file)).size).padStart(9)}  ${file}`);
    console.log(`${size(summary.bytes).padStart(9)}  in ${summary.files.length} files: ${out}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

if (import.meta.main) main();
