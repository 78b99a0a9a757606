import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { builtBinary } from "../helpers/binary.ts";
import { REPO_ROOT, tempDir } from "../helpers/cli.ts";
import { fakeBinary, type ReleaseMirror, sha256Sums, startReleaseMirror } from "./release-mirror.ts";

/** install.sh against a release mirror served on 127.0.0.1, under every POSIX shell found here. */
const SCRIPT = join(REPO_ROOT, "install.sh");
const SHELLS = ["sh", "dash", "bash"].filter((name) => Bun.which(name) !== null);
const LINUX_X64 = { AIORCH_INSTALL_OS: "Linux", AIORCH_INSTALL_ARCH: "x86_64" };

interface Result {
  code: number;
  out: string;
  err: string;
}

async function install(shell: string, env: Record<string, string>, args: string[] = []): Promise<Result> {
  // Async spawn: the mirror answers from this process's event loop.
  const child = Bun.spawn([Bun.which(shell)!, SCRIPT, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, out, err };
}

/** A PATH holding only the tools install.sh may use, minus `without`. */
function restrictedPath(without: string[]): string {
  const dir = tempDir("tools");
  const tools = [
    "curl",
    "wget",
    "awk",
    "mktemp",
    "dirname",
    "rm",
    "mkdir",
    "cp",
    "chmod",
    "mv",
    "uname",
    "cat",
    "sha256sum",
    "shasum",
    "sysctl",
  ];
  for (const tool of tools.filter((t) => !without.includes(t))) {
    const found = Bun.which(tool);
    if (found) symlinkSync(found, join(dir, tool));
  }
  return dir;
}

let mirror: ReleaseMirror;
beforeAll(() => {
  mirror = startReleaseMirror(tempDir("mirror"));
  mirror.addRelease("latest", { "aiorch-linux-x64": fakeBinary("2.0.0"), "aiorch-darwin-arm64": fakeBinary("2.0.0") });
  mirror.addRelease("v1.2.3", { "aiorch-linux-x64": fakeBinary("1.2.3") });
  mirror.addRelease("v6.6.6", { "aiorch-linux-x64": fakeBinary("6.6.6") }, `${"0".repeat(64)}  aiorch-linux-x64\n`);
  mirror.addRelease(
    "v7.0.0",
    { "aiorch-linux-x64": fakeBinary("7.0.0") },
    sha256Sums({ "aiorch-linux-arm64": "other" }),
  );
});
afterAll(() => mirror.stop());

describe.each(SHELLS)("install.sh under %s", (shell) => {
  const base = () => ({ ...LINUX_X64, AIORCH_INSTALL_BASE_URL: mirror.baseUrl });
  const runInstalled = (file: string) => Bun.spawnSync([file]).stdout.toString().trim();

  test("installs the latest release into ~/.local/bin and says when it is not on PATH", async () => {
    const home = tempDir("home");
    mirror.requests.length = 0;
    const r = await install(shell, { ...base(), HOME: home });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(runInstalled(join(home, ".local/bin/aiorch"))).toBe("2.0.0");
    expect(mirror.requests).toEqual([
      "/releases/latest/download/aiorch-linux-x64",
      "/releases/latest/download/SHA256SUMS",
    ]);
    expect(r.out).toContain(`installed aiorch 2.0.0 to ${home}/.local/bin/aiorch`);
    expect(r.out).toContain("is not on your PATH");
  });

  test("AIORCH_INSTALL_DIR wins, and a dir already on PATH gets no PATH note", async () => {
    const dir = join(tempDir("bin"), "nested/bin");
    const r = await install(shell, {
      ...base(),
      HOME: tempDir("home"),
      AIORCH_INSTALL_DIR: dir,
      PATH: `${dir}:${process.env.PATH}`,
    });
    expect(r.code).toBe(0);
    expect(runInstalled(join(dir, "aiorch"))).toBe("2.0.0");
    expect(r.out).not.toContain("not on your PATH");
  });

  test("--version and AIORCH_VERSION pin the release path", async () => {
    for (const [env, args] of [
      [{ AIORCH_VERSION: "v1.2.3" }, []],
      [{}, ["--version", "v1.2.3"]],
      [{}, ["--version=1.2.3"]],
    ] as const) {
      const dir = tempDir("bin");
      mirror.requests.length = 0;
      const r = await install(shell, { ...base(), ...env, AIORCH_INSTALL_DIR: dir }, [...args]);
      expect(r.code).toBe(0);
      expect(mirror.requests).toEqual([
        "/releases/download/v1.2.3/aiorch-linux-x64",
        "/releases/download/v1.2.3/SHA256SUMS",
      ]);
      expect(runInstalled(join(dir, "aiorch"))).toBe("1.2.3");
    }
  });

  test("a download that does not match SHA256SUMS is refused and nothing is installed", async () => {
    const dir = join(tempDir("bin"), "bin");
    const r = await install(shell, { ...base(), AIORCH_INSTALL_DIR: dir }, ["--version", "v6.6.6"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("checksum mismatch for aiorch-linux-x64");
    expect(r.err).toContain("nothing was installed");
    expect(existsSync(dir)).toBe(false);
  });

  test("a release without the asset, or a missing version, is refused", async () => {
    const dir = tempDir("bin");
    const missing = await install(shell, { ...base(), AIORCH_INSTALL_DIR: dir }, ["--version", "v9.9.9"]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain("could not download");
    expect(missing.err).toContain("/download/v9.9.9/aiorch-linux-x64");
    const noLine = await install(shell, { ...base(), AIORCH_INSTALL_DIR: dir }, ["--version", "v7.0.0"]);
    expect(noLine.code).not.toBe(0);
    expect(noLine.err).toContain("SHA256SUMS of this release has no line for aiorch-linux-x64");
    expect(readdirSync(dir)).toEqual([]);
  });

  test("without sha256sum and shasum it refuses to install", async () => {
    const dir = join(tempDir("bin"), "bin");
    const r = await install(shell, {
      ...base(),
      AIORCH_INSTALL_DIR: dir,
      PATH: restrictedPath(["sha256sum", "shasum"]),
    });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("neither sha256sum nor shasum is installed");
    expect(existsSync(dir)).toBe(false);
  });

  test("uses wget when curl is missing, shasum when sha256sum is", async () => {
    if (!Bun.which("wget") || !Bun.which("shasum")) return;
    const dir = tempDir("bin");
    const r = await install(shell, { ...base(), AIORCH_INSTALL_DIR: dir, PATH: restrictedPath(["curl", "sha256sum"]) });
    expect(r.err).toBe("");
    expect(runInstalled(join(dir, "aiorch"))).toBe("2.0.0");
  });

  test("maps OS and architecture names to assets", async () => {
    const dir = tempDir("bin");
    mirror.requests.length = 0;
    const r = await install(shell, {
      ...base(),
      AIORCH_INSTALL_OS: "Darwin",
      AIORCH_INSTALL_ARCH: "aarch64",
      AIORCH_INSTALL_DIR: dir,
    });
    expect(r.code).toBe(0);
    expect(mirror.requests[0]).toBe("/releases/latest/download/aiorch-darwin-arm64");
  });

  test("an unsupported OS or architecture is refused with a pointer to the releases", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ AIORCH_INSTALL_OS: "FreeBSD" }, "no aiorch binary for the operating system 'FreeBSD'"],
      [{ AIORCH_INSTALL_OS: "MINGW64_NT-10.0" }, "on Windows download aiorch-windows-x64.exe"],
      [{ AIORCH_INSTALL_ARCH: "riscv64" }, "no aiorch binary for the architecture 'riscv64'"],
    ];
    for (const [env, message] of cases) {
      mirror.requests.length = 0;
      const r = await install(shell, { ...base(), ...env, AIORCH_INSTALL_DIR: tempDir("bin") });
      expect(r.code).not.toBe(0);
      expect(r.err).toContain(message);
      expect(r.err).toContain("https://github.com/aiorch/aiorch/releases");
      expect(mirror.requests).toEqual([]);
    }
  });

  test("bad arguments are refused with the usage", async () => {
    const r = await install(shell, base(), ["--versoin", "v1"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("unknown argument '--versoin'; usage: install.sh [--version vX.Y.Z]");
    expect((await install(shell, base(), ["--version", "v1;rm"])).err).toContain("is not a release tag");
  });
});

test("installs the real compiled binary for this machine from a local mirror", async () => {
  const binary = builtBinary();
  const asset = `aiorch-${process.platform === "darwin" ? "darwin" : "linux"}-${process.arch === "arm64" ? "arm64" : "x64"}`;
  const mirrorRoot = tempDir("mirror");
  const home = tempDir("home");
  const realMirror = startReleaseMirror(mirrorRoot);
  try {
    realMirror.addRelease(`v${pkg.version}`, { [asset]: readFileSync(binary) });
    mkdirSync(join(home, ".local/bin"), { recursive: true });
    const r = await install("sh", { HOME: home, AIORCH_INSTALL_BASE_URL: realMirror.baseUrl }, [
      "--version",
      `v${pkg.version}`,
    ]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const version = Bun.spawnSync([join(home, ".local/bin/aiorch"), "--version"])
      .stdout.toString()
      .trim();
    expect(version).toBe(pkg.version);
  } finally {
    realMirror.stop();
    // Two copies of a ~100 MB binary (the built one is removed when the test process ends).
    for (const dir of [mirrorRoot, home]) rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
