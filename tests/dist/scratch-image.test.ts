/**
 * The `FROM scratch` image (Dockerfile), tested without Docker: scripts/scratch-rootfs.ts
 * assembles the root folder the Dockerfile copies to `/`, from the binary scripts/build.ts
 * makes, and the binary runs in it under chroot (see scratch-sandbox.ts) with the
 * Dockerfile's ENV, USER, WORKDIR and ENTRYPOINT: --version, validate, a real prompt run
 * against the local OpenAI-compatible server (plain HTTP, then HTTPS with a CA of the test)
 * writing its history inside the folder, and the run: and python: steps that cannot run there.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { assembleRootfs, IMAGE, sharedLibraries, type RootfsSummary } from "../../scripts/scratch-rootfs.ts";
import { HistoryStore } from "../../src/history/index.ts";
import { builtBinary } from "../helpers/binary.ts";
import { REPO_ROOT, tempDir } from "../helpers/cli.ts";
import { startLlmServer, type LlmServer } from "../helpers/llm-server.ts";
import { imageConfig, openSandbox, type Sandbox } from "./scratch-sandbox.ts";

const image = imageConfig();
const sandbox = openSandbox(image);
const unavailable = typeof sandbox === "string" ? sandbox : undefined;
if (unavailable) console.warn(`scratch image tests skipped: ${unavailable}`);
const openssl = Bun.which("openssl");

const KEY = "sk-test-scratch";
const ASK =
  "name: ask\ninput:\n  who: { type: string, default: Ada }\nsteps:\n  q:\n    model: gpt-4o-mini\n    prompt: Say hello to {{ who }}\n";

test("the Dockerfile builds FROM scratch the folder scratch-rootfs.ts makes, with the paths it uses", () => {
  expect(image.from).toBe("scratch");
  expect(image.copies).toEqual(["--from=build /rootfs /"]);
  expect(readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8")).toContain(
    "npx bun scripts/scratch-rootfs.ts --binary dist/aiorch --out /rootfs",
  );
  expect(image.entrypoint).toEqual([IMAGE.binary]);
  expect(image.env).toMatchObject({ AIORCH_HOME: IMAGE.home, NODE_USE_SYSTEM_CA: "1" });
  expect(image.user).toEqual({ uid: IMAGE.uid, gid: IMAGE.uid });
  expect(image.workdir).toBe(IMAGE.work);
});

test("scratch-rootfs.ts refuses a folder that is not empty and a missing CA bundle, and says what to do", () => {
  const binary = join(tempDir("fake-bin"), "aiorch");
  writeFileSync(binary, "");
  const full = tempDir("full");
  writeFileSync(join(full, "keep"), "mine");
  expect(() => assembleRootfs({ binary, out: full })).toThrow(`${full} is not empty`);
  expect(readFileSync(join(full, "keep"), "utf8")).toBe("mine");
  expect(() => assembleRootfs({ binary, out: join(full, "new"), caBundle: "/nonexistent/ca.crt" })).toThrow(
    "install the package ca-certificates, or pass --ca-bundle FILE",
  );
  expect(() => assembleRootfs({ binary: "/nonexistent/aiorch", out: join(full, "new") })).toThrow("build it first");
});

describe.skipIf(unavailable !== undefined)("the scratch image's root folder, under chroot", () => {
  const box = sandbox as Sandbox;
  let root: string;
  let summary: RootfsSummary;
  let server: LlmServer;
  let work: string;
  const inImage = (args: string[], options: { env?: Record<string, string>; caBundle?: string } = {}) =>
    box.run(args, { root, work, ...options });
  const project = (name: string, pipeline: string, baseUrl = server.url) => {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, "p.yaml"), pipeline);
    writeFileSync(join(dir, "aiorch.yaml"), `llm:\n  base_url: ${baseUrl}\n  api_key: \${TEST_LLM_KEY}\n`);
    chmodSync(dir, 0o777); // the image's user (10001) writes there, as in a bind-mounted folder
    return `${name}/p.yaml`;
  };

  beforeAll(async () => {
    const parent = tempDir("rootfs");
    chmodSync(parent, 0o755); // the image's user passes through it to the root folder
    root = join(parent, "root");
    summary = assembleRootfs({ binary: builtBinary(), out: root });
    work = tempDir("work");
    chmodSync(work, 0o777);
    server = await startLlmServer({ apiKey: KEY });
    console.log(
      `scratch image root folder: ${summary.files.length} files, ${(summary.bytes / 1e6).toFixed(1)} MB (${summary.libraries.join(" ")})`,
    );
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (root) rmSync(join(root, ".."), { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("it holds the binary, the libraries and loader ldd names, the CA bundle, passwd and group: nothing else", () => {
    expect(summary.libraries).toEqual(sharedLibraries(join(root, IMAGE.binary)));
    expect(summary.libraries.some((path) => /\/ld-linux[^/]*\.so/.test(path))).toBe(true);
    expect(summary.files.toSorted()).toEqual(
      [IMAGE.binary, IMAGE.caBundle, "/etc/group", "/etc/passwd", ...summary.libraries].toSorted(),
    );
    const bundle = readFileSync(join(root, IMAGE.caBundle), "utf8");
    expect(bundle.match(/-----BEGIN CERTIFICATE-----/g)!.length).toBeGreaterThan(100);
    expect(readFileSync(join(root, "etc/passwd"), "utf8")).toContain(
      `aiorch:x:${IMAGE.uid}:${IMAGE.uid}:aiorch:${IMAGE.home}:`,
    );
    for (const folder of [IMAGE.home, "/tmp"]) expect(statSync(join(root, folder)).mode & 0o7777).toBe(0o1777);
  });

  test("aiorch --version and validate of a prompt-only pipeline", async () => {
    const version = await inImage(["--version"]);
    expect(version).toMatchObject({ exitCode: 0, stdout: `${pkg.version}\n`, stderr: "" });
    const file = project("validate", ASK);
    const valid = await inImage(["validate", file], { env: { NO_COLOR: "1" } });
    expect(valid.stderr).toBe("");
    expect(valid.stdout).toContain("p.yaml is valid (ask: 1 step)");
    expect(valid.exitCode).toBe(0);
  });

  test("a prompt-only pipeline runs against the LLM server on 127.0.0.1 and its history is written in /aiorch", async () => {
    const file = project("prompt", ASK);
    const run = await inImage(["run", file, "--format", "json", "-i", "who=Grace"], { env: { TEST_LLM_KEY: KEY } });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as { run_id: string; status: string; outputs: Record<string, unknown> };
    expect(doc).toMatchObject({ status: "success", outputs: { q: "echo: Say hello to Grace" } });
    const history = join(root, IMAGE.home, "history.db");
    if (box.asImageUser) expect(statSync(history).uid).toBe(IMAGE.uid);
    const store = HistoryStore.open(history, { readonly: true });
    try {
      expect(store.getRun(doc.run_id)).toMatchObject({
        status: "success",
        pipeline: "ask",
        file: `${IMAGE.work}/${file}`,
      });
    } finally {
      store.close();
    }
  });

  test("a run: step fails with a message that points at the python image; so does a python: step", async () => {
    const shell = project("shell", "name: sh\nsteps:\n  hello:\n    run: echo hello\n");
    const failed = await inImage(["run", shell, "--format", "json"]);
    expect(failed.exitCode).toBe(1);
    const step = (JSON.parse(failed.stdout) as { steps: { error: string }[] }).steps[0]!;
    expect(step.error).toBe(
      "run: steps need a shell at /bin/sh, and this machine has none; install one (dash or bash), or in Docker run this pipeline with the aiorch:python image (Dockerfile.python), which has /bin/sh and python3",
    );
    const python = project("python", "name: py\nsteps:\n  hello:\n    python: print('hello')\n");
    const noPython = await inImage(["run", python, "--format", "json"]);
    expect(noPython.exitCode).toBe(1);
    expect((JSON.parse(noPython.stdout) as { steps: { error: string }[] }).steps[0]!.error).toContain(
      "in Docker, use the aiorch:python image (Dockerfile.python)",
    );
  });

  describe.skipIf(!openssl)("HTTPS", () => {
    let tlsServer: LlmServer;
    let caFile: string;
    let bundleFile: string;
    let file: string;
    beforeAll(async () => {
      const dir = tempDir("tls");
      const sh = (args: string[]) => {
        const r = Bun.spawnSync([openssl!, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
        if (r.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr.toString()}`);
      };
      sh([
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=aiorch test CA",
      ]);
      sh([
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
      ]);
      writeFileSync(
        join(dir, "ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
      );
      sh([
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
      ]);
      tlsServer = await startLlmServer({
        apiKey: KEY,
        tls: {
          cert: readFileSync(join(dir, "server.pem"), "utf8"),
          key: readFileSync(join(dir, "server.key"), "utf8"),
        },
      });
      file = project("https", ASK, tlsServer.url);
      caFile = join(work, "https", "test-ca.pem");
      writeFileSync(caFile, readFileSync(join(dir, "ca.pem")));
      // The image's bundle with the test's CA added: what a company mounts over it.
      bundleFile = join(dir, "bundle.pem");
      writeFileSync(bundleFile, `${readFileSync(join(root, IMAGE.caBundle), "utf8")}${readFileSync(caFile, "utf8")}`);
    }, 60_000);
    afterAll(async () => {
      await tlsServer?.stop();
    });
    const answered = (out: { stdout: string }) =>
      (JSON.parse(out.stdout) as { status: string; steps: { error: string | null }[] }).steps[0]!;

    test("certificates are checked: the test's CA is not in the image's bundle", async () => {
      const run = await inImage(["run", file, "--format", "json", "--no-cache"], { env: { TEST_LLM_KEY: KEY } });
      expect(run.exitCode).toBe(1);
      expect(answered(run).error).toContain(`cannot reach ${tlsServer.url}: unable to verify the first certificate`);
    });

    test("a bundle mounted over /etc/ssl/certs/ca-certificates.crt is trusted (NODE_USE_SYSTEM_CA=1 of the image)", async () => {
      const run = await inImage(["run", file, "--format", "json", "--no-cache"], {
        env: { TEST_LLM_KEY: KEY },
        caBundle: bundleFile,
      });
      expect(run.stderr).toBe("");
      expect(answered(run)).toMatchObject({ status: "success", error: null });
    });

    test("NODE_EXTRA_CA_CERTS adds a CA file from the work folder", async () => {
      const run = await inImage(["run", file, "--format", "json", "--no-cache"], {
        env: { TEST_LLM_KEY: KEY, NODE_EXTRA_CA_CERTS: `${IMAGE.work}/https/test-ca.pem` },
      });
      expect(run.stderr).toBe("");
      expect(answered(run)).toMatchObject({ status: "success", error: null });
    });
  });
});
