import { SQLiteError } from "bun:sqlite";
import { UserError } from "../errors/user-error.ts";

const WHERE_ELSE = "or set AIORCH_HOME (or storage.path in the config) to a writable folder";

/** SQLite's primary result code name (`SQLITE_BUSY` for `SQLITE_BUSY_SNAPSHOT`). */
function primaryCode(error: SQLiteError): string {
  const code = error.code ?? "";
  const match = /^SQLITE_[A-Z]+/.exec(code);
  return match ? match[0] : code;
}

/** The disk (or the file system's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  return error instanceof SQLiteError && primaryCode(error) === "SQLITE_FULL";
}

/** Another connection holds the lock longer than the busy timeout, or a snapshot went stale. */
export function isBusy(error: unknown): boolean {
  if (!(error instanceof SQLiteError)) return false;
  const code = primaryCode(error);
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

/**
 * The UserError for a failure the user can fix (a corrupt, unwritable or full database,
 * or one locked for too long); any other error is returned as it is: it is a bug.
 */
export function toUserError(error: unknown, file: string): unknown {
  if (!(error instanceof SQLiteError)) return error;
  switch (primaryCode(error)) {
    case "SQLITE_NOTADB":
    case "SQLITE_CORRUPT":
      return new UserError(`history database ${file} is not a SQLite database, or is damaged (${error.message})`, {
        hint: `move it away (mv "${file}" "${file}.broken"; its -wal and -shm files too, if any) and run again: aiorch starts a new one`,
      });
    case "SQLITE_CANTOPEN":
    case "SQLITE_READONLY":
    case "SQLITE_PERM":
      return new UserError(`cannot write the history database ${file} (${error.message})`, {
        hint: `make the file and its folder writable (SQLite also creates ${file}-wal and ${file}-shm next to it), ${WHERE_ELSE}`,
      });
    case "SQLITE_FULL":
      return new UserError(`the disk holding the history database ${file} is full`, {
        hint: "free some space, or delete old runs with `aiorch history prune`",
      });
    case "SQLITE_IOERR":
      return new UserError(`cannot read or write the history database ${file} (${error.message})`, {
        hint: `check the disk and the file's permissions, ${WHERE_ELSE}`,
      });
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return new UserError(`the history database ${file} stayed locked by another process`, {
        hint: "another program holds a long write transaction on it (an open sqlite3 shell?); close it and run again",
      });
    default:
      return error;
  }
}

/** Retries of a write transaction that met SQLITE_BUSY past the busy timeout. */
const BUSY_RETRIES = 3;

/**
 * Runs `write` (a whole IMMEDIATE transaction, safe to repeat because it only upserts) and
 * runs it again after a short random pause while it fails with SQLITE_BUSY. The busy
 * timeout already waits for the lock; this covers what it does not (a lock held past it,
 * BUSY returned without waiting during WAL recovery).
 */
export function retryBusy<T>(write: () => T): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return write();
    } catch (error) {
      if (!isBusy(error) || attempt >= BUSY_RETRIES) throw error;
      Bun.sleepSync(5 + Math.random() * 20 * (attempt + 1));
    }
  }
}
