import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname } from "node:path";

/*
 * What is wrong with a local database file that cannot be opened or written, in words that name the file:
 * SQLite's result codes and the file system's errors, translated once for start-up messages.
 */

/** Thrown when a database file cannot be opened or written; the message names the file and what is wrong. */
export class DatabaseOpenError extends Error {
  override readonly name = "DatabaseOpenError";
}

/** SQLite's primary result codes that say something about the database file (https://sqlite.org/rescode.html). */
const CODE_NAMES = {
  SQLITE_PERM: 3,
  SQLITE_READONLY: 8,
  SQLITE_IOERR: 10,
  SQLITE_CORRUPT: 11,
  SQLITE_FULL: 13,
  SQLITE_CANTOPEN: 14,
  SQLITE_NOTADB: 26,
} as const;
const SQLITE_READONLY = CODE_NAMES.SQLITE_READONLY;
const SQLITE_CANTOPEN = CODE_NAMES.SQLITE_CANTOPEN;

/** What those codes say about a database file that cannot be used. */
const FILE_PROBLEMS: Record<number, string> = {
  [CODE_NAMES.SQLITE_PERM]: "permission denied",
  [CODE_NAMES.SQLITE_READONLY]:
    "it is read-only (Sponge writes to the file and creates -wal and -shm files beside it)",
  [CODE_NAMES.SQLITE_IOERR]: "reading or writing the file failed",
  [CODE_NAMES.SQLITE_CORRUPT]: "it is corrupt",
  [CODE_NAMES.SQLITE_FULL]: "the disk is full",
  [CODE_NAMES.SQLITE_NOTADB]: "it is not a SQLite database",
};

/**
 * The primary SQLite result code of a libsql error: from its `rawCode` (extended codes carry the primary
 * one in their low byte), its `code` (`SQLITE_READONLY`, `UNKNOWN_SQLITE_ERROR_1544`), or, for a file
 * libsql cannot open at all, its message (`ConnectionFailed("… : 14")`).
 */
function primaryCode(error: Error): number | undefined {
  const raw = "rawCode" in error && typeof error.rawCode === "number" ? error.rawCode : undefined;
  if (raw !== undefined) return raw & 0xff;
  const code = "code" in error && typeof error.code === "string" ? error.code : "";
  const unknown = /^UNKNOWN_SQLITE_ERROR_(\d+)$/.exec(code)?.[1];
  if (unknown !== undefined) return Number(unknown) & 0xff;
  const named = Object.entries(CODE_NAMES).find(([name]) => code === name || code.startsWith(`${name}_`));
  if (named) return named[1];
  const failed = /^ConnectionFailed\(.*: (\d+)"?\)$/.exec(error.message)?.[1];
  return failed === undefined ? undefined : Number(failed) & 0xff;
}

/**
 * A `DatabaseOpenError` for an error met while opening the database file at `path` (or applying its
 * migrations); undefined when `error` is not about the file.
 */
export function fileProblem(path: string, error: unknown): DatabaseOpenError | undefined {
  if (error instanceof DatabaseOpenError) return error;
  if (!(error instanceof Error)) return undefined;
  const code = primaryCode(error);
  if (code === SQLITE_CANTOPEN) {
    const why = accessProblem(path) ?? "it cannot be opened or created";
    return new DatabaseOpenError(`cannot use the database ${path}: ${why}`);
  }
  const problem = code === undefined ? undefined : FILE_PROBLEMS[code];
  if (problem === undefined) return undefined;
  // A read-only file in a writable directory, or a writable file in a read-only one: say which.
  const where = code === SQLITE_READONLY ? (accessProblem(path) ?? problem) : problem;
  return new DatabaseOpenError(`cannot use the database ${path}: ${where} (${error.message})`);
}

export function databaseOpenError(path: string, error: unknown): DatabaseOpenError {
  return (
    fileProblem(path, error) ??
    new DatabaseOpenError(
      `cannot open the database ${path}: ${error instanceof Error ? error.message : String(error)}`,
    )
  );
}

/**
 * What keeps this process from reading and writing the database at `path`, as far as the file system
 * tells: SQLite needs to write the file, its -wal and -shm files, and the directory they are created in.
 * A read-only file in WAL mode would otherwise open without a word and fail at the first write.
 */
export function accessProblem(path: string): string | undefined {
  const directory = dirname(path);
  try {
    if (statSync(path).isDirectory()) return "it is a directory";
  } catch {
    // Not there yet: SQLite creates it.
  }
  if (!existsSync(directory)) return `its directory ${directory} does not exist`;
  const denied = (target: string, mode: number) => {
    try {
      accessSync(target, mode);
      return undefined;
    } catch (error) {
      return describeFsError(error);
    }
  };
  const files: [string, string][] = [
    [path, "the file"],
    [`${path}-wal`, "its -wal file"],
    [`${path}-shm`, "its -shm file"],
  ];
  for (const [file, name] of files) {
    if (!existsSync(file)) continue;
    const unwritable = denied(file, constants.W_OK);
    if (unwritable !== undefined) return `${name} is read-only (${unwritable})`;
    const unreadable = denied(file, constants.R_OK);
    if (unreadable !== undefined) return `${name} cannot be read (${unreadable})`;
  }
  const why = denied(directory, constants.W_OK | constants.X_OK);
  if (why !== undefined)
    return `its directory ${directory} cannot be written (${why}); the -wal and -shm files are created there`;
  return undefined;
}

const FS_ERRORS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOTDIR: "part of the path is a file, not a directory",
  EEXIST: "part of the path is a file, not a directory",
  ENOSPC: "the disk is full",
};

export function describeFsError(error: unknown): string {
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
  return FS_ERRORS[code] ?? (error instanceof Error ? error.message : String(error));
}
