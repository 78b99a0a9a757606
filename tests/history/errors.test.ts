import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HistoryStore } from "../../src/history/index.ts";
import { removeTempDirs, spawnChild, tempDb, caughtUserError } from "./helpers.ts";

afterAll(removeTempDirs);

const caught = caughtUserError;

/** Root writes anywhere: permission tests then run the child as `nobody`. */
const AS_NOBODY = process.getuid?.() === 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];

/**
 * `nobody` may not reach this checkout (a clone under a 0700 temp folder, bun inside it):
 * then the child is compiled into a standalone executable in a folder anyone can read.
 */
let standalone: string | undefined;
function childCommand(): string[] | undefined {
  if (!AS_NOBODY.length) return undefined;
  const script = join(import.meta.dir, "children", "open-store.ts");
  const reachable =
    Bun.spawnSync([...AS_NOBODY, "sh", "-c", 'test -x "$0" && test -r "$1"', process.execPath, script]).exitCode === 0;
  if (reachable) return undefined;
  if (!standalone) {
    const dir = mkdtempSync(join(tmpdir(), "aiorch-open-store-"));
    chmodSync(dir, 0o755);
    standalone = join(dir, "open-store");
    const built = Bun.spawnSync([process.execPath, "build", script, "--compile", "--outfile", standalone], {
      stdout: "pipe",
      stderr: "pipe",
    });
    if (built.exitCode !== 0) throw new Error(`could not build the open-store child: ${built.stderr.toString()}`);
    chmodSync(standalone, 0o755);
  }
  return [...AS_NOBODY, standalone];
}

async function openInChild(
  path: string,
  mode = "",
): Promise<{ ok: boolean; runs?: number; message?: string; hint?: string; exitCode?: number }> {
  const command = childCommand();
  const child = command
    ? Bun.spawn([...command, path, mode], { stdout: "pipe", stderr: "pipe" })
    : spawnChild("open-store", [path, mode], { prefix: AS_NOBODY });
  const [out, err] = [await new Response(child.stdout).text(), await new Response(child.stderr).text()];
  expect(await child.exited).toBe(0);
  expect(err).toBe("");
  return JSON.parse(out);
}

describe("a file that is not a database", () => {
  test("is refused with its path and a way out, and left untouched", () => {
    const { path } = tempDb("corrupt");
    const garbage = "this is not a database, just some text\n".repeat(200);
    writeFileSync(path, garbage);
    for (const readonly of [false, true]) {
      const error = caught(() => HistoryStore.open(path, { readonly }));
      expect(error.message).toContain(path);
      expect(error.message).toContain("not a SQLite database");
      expect(error.hint).toContain(`mv "${path}" "${path}.broken"`);
      expect(error.exitCode).toBe(2);
    }
    expect(readFileSync(path, "utf8")).toBe(garbage);
  });

  test("damaged pages inside a database are reported when read", () => {
    const { path } = tempDb("damaged");
    const store = HistoryStore.open(path);
    for (let i = 0; i < 300; i++) {
      store.startRun({
        id: `r${i}`,
        pipeline: "p",
        file: "/p.yaml",
        inputs: { pad: "x".repeat(200) },
        pid: process.pid,
        startedAt: i,
      });
    }
    store.close();
    const db = new Database(path);
    const pageSize = db.query<{ page_size: number }, []>("PRAGMA page_size").get()?.page_size ?? 4096;
    db.close();
    const fd = openSync(path, "r+");
    const junk = Buffer.alloc(pageSize * 6, 0x5a);
    writeSync(fd, junk, 0, junk.length, pageSize * 2);
    closeSync(fd);
    const error = caught(() => {
      const damaged = HistoryStore.open(path);
      try {
        damaged.listRuns({ limit: 1000 });
        damaged.getRun("r150");
      } finally {
        damaged.close();
      }
    });
    expect(error.message).toContain(path);
    expect(error.hint).toContain("move it away");
  });
});

describe("places aiorch cannot write", () => {
  test("a folder that cannot be created (a file is in the way)", () => {
    const { dir } = tempDb("blocked");
    writeFileSync(join(dir, "home"), "a file, not a folder");
    const path = join(dir, "home", "history.db");
    const error = caught(() => HistoryStore.open(path));
    expect(error.message).toContain(`cannot create the history folder ${join(dir, "home")}`);
    expect(error.hint).toContain("AIORCH_HOME");
    expect(error.exitCode).toBe(2);
  });

  test("a folder without write permission", async () => {
    const { dir } = tempDb("readonly-dir");
    const folder = join(dir, "home");
    mkdirSync(folder);
    chmodSync(dir, 0o755);
    chmodSync(folder, 0o555);
    const result = await openInChild(join(folder, "history.db"));
    expect(result.ok).toBe(false);
    expect(result.message).toContain(`cannot write the history folder ${folder}`);
    expect(result.message).toContain("permission denied");
    expect(result.hint).toContain("AIORCH_HOME");
    expect(result.exitCode).toBe(2);
  });

  test("a database file without write permission (reading it still works)", async () => {
    const { dir, path } = tempDb("readonly-file");
    const store = HistoryStore.open(path);
    store.startRun({ id: "r", pipeline: "p", file: "/p.yaml", inputs: {}, pid: process.pid, startedAt: 1 });
    store.close();
    chmodSync(dir, 0o777);
    chmodSync(path, 0o444);
    const result = await openInChild(path);
    expect(result.ok).toBe(false);
    expect(result.message).toContain(`cannot write the history database ${path}`);
    expect(result.hint).toContain("writable");
    expect(await openInChild(path, "readonly")).toEqual({ ok: true, runs: 1 });
  });
});
