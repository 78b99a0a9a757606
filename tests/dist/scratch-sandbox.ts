/**
 * Runs the `FROM scratch` image without Docker: its root folder (scripts/scratch-rootfs.ts)
 * becomes the root directory of the process, with what a container runtime adds around it
 * and with the Dockerfile's own ENV, USER, WORKDIR and ENTRYPOINT.
 *
 * Each run gets fresh mount and PID namespaces (`unshare --mount --pid --fork`; as a user
 * other than root also `--user --map-root-user`), where a host /bin/sh mounts a fresh /proc,
 * /dev and /sys (the runtime's part: the executable aborts without /proc), binds the work
 * folder at /work (`docker run -v "$PWD:/work"`) and, when asked, a CA bundle over the
 * image's; then `unshare --root=ROOT --wd=WORKDIR` chroots and starts the entry point. As
 * root, `setpriv` first takes the image's USER (keeping only CAP_SYS_CHROOT for the chroot);
 * in a user namespace only root is mapped, so the entry point runs as root there. The
 * network namespace is the host's: 127.0.0.1 inside is the test's servers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";

/** The last stage of a Dockerfile: its instructions, continuation lines joined, comments dropped. */
export function finalStage(dockerfile: string): string[] {
  const instructions = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const from = instructions.findLastIndex((line) => /^FROM\s/i.test(line));
  return instructions.slice(from);
}

/** What the image's last stage sets up for the process: ENV, USER, WORKDIR, ENTRYPOINT. */
export interface ImageConfig {
  from: string;
  env: Record<string, string>;
  user: { uid: number; gid: number };
  workdir: string;
  entrypoint: string[];
  copies: string[];
}

export function imageConfig(dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8")): ImageConfig {
  const stage = finalStage(dockerfile);
  const args = (keyword: string) =>
    stage
      .filter((line) => line.toUpperCase().startsWith(`${keyword} `))
      .map((line) => line.slice(keyword.length + 1).trim());
  const env: Record<string, string> = {};
  for (const line of args("ENV"))
    for (const pair of line.split(/\s+/)) env[pair.slice(0, pair.indexOf("="))] = pair.slice(pair.indexOf("=") + 1);
  const [uid, gid] = (args("USER").at(-1) ?? "0:0").split(":").map(Number);
  return {
    from: args("FROM")[0]!,
    env,
    user: { uid: uid!, gid: gid ?? uid! },
    workdir: args("WORKDIR").at(-1) ?? "/",
    entrypoint: JSON.parse(args("ENTRYPOINT").at(-1) ?? "[]") as string[],
    copies: args("COPY"),
  };
}

const MOUNT_AND_START = `set -e
root=$1 work=$2 bundle=$3 workdir=$4 mount=$5 unshare=$6 setpriv=$7 ids=$8
shift 8
$mount -t proc proc "$root/proc"
$mount --rbind /dev "$root/dev"
$mount --rbind /sys "$root/sys"
$mount --bind "$work" "$root/work"
if [ -n "$bundle" ]; then $mount --bind "$bundle" "$root/etc/ssl/certs/ca-certificates.crt"; fi
if [ -n "$setpriv" ]; then
  exec $setpriv --reuid="\${ids%:*}" --regid="\${ids#*:}" --clear-groups --inh-caps=+sys_chroot --ambient-caps=+sys_chroot $unshare --root="$root" --wd="$workdir" "$@"
fi
exec $unshare --root="$root" --wd="$workdir" "$@"
`;

export interface Sandbox {
  /** True when the entry point runs as the image's USER (the test runs as root). */
  asImageUser: boolean;
  run(
    args: string[],
    options: { root: string; work: string; env?: Record<string, string>; caBundle?: string },
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

/** The sandbox, or why there is none on this machine. */
export function openSandbox(image: ImageConfig): Sandbox | string {
  if (process.platform !== "linux") return `the image is Linux and this is ${process.platform}`;
  const tools = Object.fromEntries(
    ["unshare", "mount", "setpriv", "ldd"].map((name) => [
      name,
      Bun.which(name) ?? Bun.which(name, { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" }),
    ]),
  );
  const absent = Object.keys(tools).filter((name) => !tools[name]);
  if (absent.length) return `${absent.join(", ")} not found (util-linux, libc-bin)`;
  const root = process.getuid?.() === 0;
  const namespaces = [tools.unshare!, ...(root ? [] : ["--user", "--map-root-user"]), "--mount", "--pid", "--fork"];
  const probe = Bun.spawnSync([...namespaces, tools.mount!, "-t", "proc", "proc", "/proc"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if (probe.exitCode !== 0) {
    const why = probe.stderr.toString().trim().split("\n").pop();
    return root
      ? `unshare --mount --pid fails as root here (${why})`
      : `not root, and unprivileged user namespaces are not allowed here (${why})`;
  }
  return {
    asImageUser: root,
    async run(args, { root: rootDir, work, env = {}, caBundle = "" }) {
      const argv = [
        ...namespaces,
        "/bin/sh",
        "-c",
        MOUNT_AND_START,
        "sh",
        rootDir,
        work,
        caBundle,
        image.workdir,
        tools.mount!,
        tools.unshare!,
        root ? tools.setpriv! : "",
        `${image.user.uid}:${image.user.gid}`,
        ...image.entrypoint,
        ...args,
      ];
      // The environment is the image's ENV and the `docker run -e` ones, nothing of the test's.
      const child = Bun.spawn(argv, { env: { ...image.env, ...env }, stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr, exitCode] = await Promise.all([
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
        child.exited,
      ]);
      return { exitCode, stdout, stderr };
    },
  };
}
