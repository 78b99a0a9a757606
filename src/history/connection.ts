import { Database, constants as sqlite } from "bun:sqlite";
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UserError } from "../errors/user-error.ts";
import { announcePythonImport } from "./import-notices.ts";
import { checkNotNewer, migrate, schemaVersion, SCHEMA_VERSION } from "./migrations.ts";
import { importPythonHistory, isPythonHistory, movePythonHistoryAside, underImportLock } from "./python-history.ts";
import { retryBusy, toUserError } from "./sqlite-errors.ts";

/** How long a connection waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

const WHERE_ELSE = "or set AIORCH_HOME (or storage.path in the config) to a writable folder";

/** An open, migrated connection and the file it reads. */
export interface Connection {
  db: Database;
  file: string;
  readonly: boolean;
}

/**
 * Opens the history database at `path`: read-write (creating the folder and the file, WAL,
 * upgrading an older schema) or read-only. A read-only open of a missing file gives an
 * empty in-memory database, so that `aiorch history` on a new machine lists nothing
 * instead of failing or creating files. Failures the user can fix are UserErrors.
 */
export function openConnection(path: string, options: { readonly?: boolean } = {}): Connection {
  const file = resolve(path);
  try {
    if (options.readonly) return openReadonly(file);
    return { db: openReadWrite(file), file, readonly: false };
  } catch (error) {
    throw toUserError(error, file);
  }
}

function openReadWrite(file: string): Database {
  ensureWritable(file);
  // Creating the file also waits for the lock: another first run may be between moving the
  // Python file aside and creating ours, and must not find the place empty.
  if (existsSync(file) && !isPythonHistory(file)) return openMigrated(file);
  return underImportLock(file, () => {
    // Another process may have moved and imported it while this one waited for the lock.
    const keptAt = isPythonHistory(file) ? movePythonHistoryAside(file) : undefined;
    return openMigrated(file, keptAt);
  });
}

/** Opens `file` read-write in WAL mode and brings its schema up to date; `pythonKeptAt`: then imports the Python history moved there. */
function openMigrated(file: string, pythonKeptAt?: string): Database {
  const db = new Database(file, { create: true, readwrite: true, strict: true });
  try {
    configure(db);
    // WAL is a property of the file; switching takes a lock another opener may hold.
    retryBusy(() => db.run("PRAGMA journal_mode = WAL"));
    // NORMAL would already survive a killed process; FULL also keeps every commit through a
    // power cut. Commits are few (one per run start/end, one per 50 ms of steps), so the
    // fsync each costs little.
    db.run("PRAGMA synchronous = FULL");
    try {
      retryBusy(() => migrate(db, file));
    } catch (error) {
      throw upgradeError(error, file);
    }
    if (pythonKeptAt) adoptPythonRuns(db, file, pythonKeptAt);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function openReadonly(file: string): Connection {
  if (!existsSync(file)) {
    const db = new Database(":memory:", { strict: true });
    migrate(db, file);
    return { db, file, readonly: true };
  }
  // Opening the Python tool's file here would leave -wal/-shm files beside it: import it first.
  if (isPythonHistory(file)) openReadWrite(file).close();
  let db: Database;
  try {
    db = new Database(file, { readonly: true, strict: true });
    db.query("PRAGMA user_version").get(); // SQLite opens lazily: a file it cannot read fails here
  } catch (error) {
    if (isWritableFolder(dirname(file))) throw error;
    return openOnReadonlyDisk(file);
  }
  try {
    configure(db);
    const version = schemaVersion(db);
    checkNotNewer(version, file);
    if (version < SCHEMA_VERSION) {
      // Queries need the current columns: upgrade through a short read-write connection.
      db.close();
      openReadWrite(file).close();
      db = new Database(file, { readonly: true, strict: true });
      configure(db);
    }
    return { db, file, readonly: true };
  } catch (error) {
    db.close();
    throw error;
  }
}

function isWritableFolder(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A history on a read-only disk (a mounted backup, a read-only container layer): SQLite
 * cannot make the WAL index beside it, so it is opened as immutable — read as it is on disk.
 * A newer schema is refused as usual; an older one is read as it is (it cannot be upgraded).
 */
function openOnReadonlyDisk(file: string): Connection {
  const uri = `file:${file.split("/").map(encodeURIComponent).join("/")}?immutable=1`;
  const db = new Database(uri, sqlite.SQLITE_OPEN_READONLY | sqlite.SQLITE_OPEN_URI);
  try {
    configure(db);
    const version = schemaVersion(db);
    checkNotNewer(version, file);
    if (version < SCHEMA_VERSION) {
      throw new UserError(
        `the history database ${file} is on a read-only disk and has an older schema (${version}), which this aiorch reads only after upgrading it`,
        {
          hint: "copy it to a writable folder and point AIORCH_HOME (or storage.path) there",
        },
      );
    }
    return { db, file, readonly: true };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Copies the runs of the Python history moved to `keptAt` into the new database. A failure
 * is reported (once: the file is moved only once) and the open goes on with an empty
 * history: the first run must not fail because of what an older tool left behind.
 */
function adoptPythonRuns(db: Database, found: string, keptAt: string): void {
  try {
    announcePythonImport({ found, keptAt, ...importPythonHistory(db, keptAt) });
  } catch (error) {
    announcePythonImport({
      found,
      keptAt,
      runs: 0,
      steps: 0,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** A migration that fails on a file it did not expect (tables made by hand, say) rolls back and says so. */
function upgradeError(error: unknown, file: string): unknown {
  const mapped = toUserError(error, file);
  if (mapped instanceof UserError || !(mapped instanceof Error)) return mapped;
  return new UserError(
    `cannot upgrade the history database ${file} to schema ${SCHEMA_VERSION} (${mapped.message}); it was left as it was`,
    {
      hint: `move it away (mv "${file}" "${file}.old"; its -wal and -shm files too, if any) and run again: aiorch starts a new one`,
    },
  );
}

function configure(db: Database): void {
  db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.run("PRAGMA foreign_keys = ON");
}

/** Creates the folder, and checks up front what SQLite would report as a bare "unable to open". */
function ensureWritable(file: string): void {
  const folder = dirname(file);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new UserError(`cannot create the history folder ${folder} (${describe(error)})`, {
      hint: `create it by hand with write permission, ${WHERE_ELSE}`,
    });
  }
  const target = existsSync(file) ? file : folder;
  try {
    accessSync(target, constants.W_OK);
    // SQLite creates FILE-wal and FILE-shm next to the database.
    if (target === file) accessSync(folder, constants.W_OK);
  } catch (error) {
    const what = target === file ? `the history database ${file}` : `the history folder ${folder}`;
    throw new UserError(`cannot write ${what} (${describe(error)})`, {
      hint: `make ${target === file ? "the file and its folder" : "the folder"} writable (chmod u+w), ${WHERE_ELSE}`,
    });
  }
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") {
    const codes: Record<string, string> = {
      EACCES: "permission denied",
      EPERM: "operation not permitted",
      EROFS: "read-only file system",
      ENOTDIR: "a part of the path is a file, not a folder",
      EEXIST: "a file of that name is in the way",
    };
    return codes[error.code] ?? error.code;
  }
  return error instanceof Error ? error.message : String(error);
}
