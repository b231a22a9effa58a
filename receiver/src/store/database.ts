import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "libsql";
import RemoteDatabase from "libsql/promise";
import { accessProblem, DatabaseOpenError, databaseOpenError, describeFsError } from "./database-problems.js";

/** A value a statement can bind. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/**
 * The SQL surface the store uses. Every method returns a promise so that the same store code runs on an
 * embedded file (synchronous libsql underneath, no awaiting IO) and on a remote libSQL server (libsql's
 * promise API, so no network round trip blocks the event loop).
 */
export interface Sql {
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `file:./data/sponge.db`, a plain path, `:memory:`, or `libsql://` / `https://` for a libSQL server. */
  url: string;
  authToken?: string | undefined;
  /** Primary to sync from when `url` is an embedded replica file. */
  syncUrl?: string | undefined;
  /** `FULL` (default: every acknowledged write is on disk) or `NORMAL`. */
  synchronous?: "FULL" | "NORMAL";
  busyTimeoutMs?: number;
}

/** A writer and a reader connection: reads never see a write batch that is not committed yet. */
export interface Connections {
  writer: Sql;
  reader: Sql;
  remote: boolean;
  /** Pulls the primary's changes into an embedded replica (no-op otherwise). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * libsql's `get` adds a `_metadata` property (query timing) to the row it returns; rows are answered as
 * JSON in places, so it is removed here once for every caller.
 */
function withoutMetadata(row: unknown): unknown {
  if (row !== null && typeof row === "object" && "_metadata" in row) {
    const { _metadata, ...rest } = row as Record<string, unknown>;
    return rest;
  }
  return row;
}

export function isRemoteUrl(url: string): boolean {
  return /^(libsql|https?|wss?):\/\//i.test(url);
}

/** Opens the database named by `url`, creating the file's directory when needed. */
export async function openConnections(options: DatabaseOptions): Promise<Connections> {
  if (isRemoteUrl(options.url)) return openRemote(options);
  const path = filePath(options.url);
  if (path === ":memory:") {
    const memory = openLocal(path, options);
    return {
      writer: memory.sql,
      reader: memory.sql,
      remote: false,
      sync: async () => {},
      close: async () => {
        memory.db.close();
      },
    };
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new DatabaseOpenError(
      `cannot create the directory of the database ${path}: ${describeFsError(error)}`,
    );
  }
  const problem = accessProblem(path);
  if (problem !== undefined) throw new DatabaseOpenError(`cannot use the database ${path}: ${problem}`);
  let writer: ReturnType<typeof openLocalWriter> | undefined;
  let reader: ReturnType<typeof openLocal>;
  try {
    writer = openLocalWriter(path, options);
    reader = openLocal(path, options);
  } catch (error) {
    writer?.db.close();
    throw databaseOpenError(path, error);
  }
  return {
    writer: writer.sql,
    reader: reader.sql,
    remote: false,
    sync: async () => {
      if (options.syncUrl) writer.db.sync();
    },
    close: async () => {
      reader.db.close();
      writer.db.close();
    },
  };
}

export function filePath(url: string): string {
  if (url === ":memory:") return url;
  return url.replace(/^file:(\/\/)?/, "");
}

function databaseOptions(options: DatabaseOptions) {
  return {
    timeout: (options.busyTimeoutMs ?? 10_000) / 1000,
    ...(options.syncUrl ? { syncUrl: options.syncUrl, authToken: options.authToken ?? "" } : {}),
  };
}

/**
 * WAL pages after which a commit checkpoints (SQLite's default is 1,000). Each checkpoint copies every
 * distinct page the WAL holds and syncs the database file; under sustained ingest the same index pages
 * are dirtied by batch after batch, so checkpointing ten times less often copies far fewer pages per
 * release (in-process: about 15 % less CPU and 23 % less time per write). The price is a WAL of up to
 * about 40 MB and, every 10,000 pages, one slower commit.
 */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** The writer connection's page cache, in KiB. */
const WRITER_CACHE_KIB = 32 * 1024;

function pragmas(path: string, options: DatabaseOptions): string[] {
  const wal = path !== ":memory:" && !options.syncUrl;
  return [
    ...(wal ? ["PRAGMA journal_mode = WAL", `PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`] : []),
    `PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 10_000}`,
    `PRAGMA synchronous = ${options.synchronous ?? "FULL"}`,
    "PRAGMA foreign_keys = ON",
  ];
}

/** A connection on the event loop's thread: every call runs synchronously underneath. */
function openLocal(path: string, options: DatabaseOptions) {
  const db = new Database(path, databaseOptions(options));
  for (const pragma of pragmas(path, options)) db.exec(pragma);
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const sql: Sql = {
    get: async <T>(text: string, params: readonly SqlValue[] = []) =>
      withoutMetadata(prepare(text).get(...params)) as T | undefined,
    all: async <T>(text: string, params: readonly SqlValue[] = []) => prepare(text).all(...params) as T[],
    run: async (text, params = []) => ({ changes: prepare(text).run(...params).changes }),
    exec: async (text) => {
      db.exec(text);
    },
    close: async () => {
      db.close();
    },
  };
  return { db, sql };
}

/**
 * Statements that wait: for another process's write lock (`BEGIN IMMEDIATE`, up to the busy timeout) or for
 * the disk (`COMMIT` fsyncs with synchronous=FULL). The writer runs them off the event loop.
 */
const WAITING_STATEMENTS = new Set(["BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"]);

/**
 * libsql's promise API runs `exec` on libsql's own threads; its sync API runs everything on the calling
 * thread. Both wrap the same native connection (the promise API's `exec` only reads the wrapper's native
 * handle), so the writer keeps the sync API for its statements (microseconds each) and borrows the promise
 * API's `exec` for the statements that wait.
 */
const execOffThread: (this: Database.Database, sql: string) => Promise<void> = RemoteDatabase.prototype.exec;

/**
 * The writer connection: like a reader, except that `BEGIN IMMEDIATE`, `COMMIT` and `ROLLBACK` leave the
 * event loop free while they wait, so one batch's fsync does not stall every other request. The write queue
 * never uses the connection while one of them is in flight.
 */
function openLocalWriter(path: string, options: DatabaseOptions) {
  const local = openLocal(path, options);
  const db = local.db;
  // Every write searches and extends the same package indexes; SQLite's default 2 MB page cache made
  // the writer re-read about five pages per release from the file. Memory is spent only as pages are used.
  db.exec(`PRAGMA cache_size = -${WRITER_CACHE_KIB}`);
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  /** `BEGIN IMMEDIATE` when no other process holds the write lock: no wait, so no trip to another thread. */
  const beginAtOnce = (): boolean => {
    db.exec("PRAGMA busy_timeout = 0");
    try {
      db.exec("BEGIN IMMEDIATE");
      return true;
    } catch (error) {
      if (isBusyError(error)) return false;
      throw error;
    } finally {
      db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    }
  };
  const sql: Sql = {
    ...local.sql,
    exec: async (text) => {
      if (text === "BEGIN IMMEDIATE" && beginAtOnce()) return;
      if (WAITING_STATEMENTS.has(text)) await execOffThread.call(db, text);
      else db.exec(text);
    },
  };
  return { db, sql };
}

/** The write thread's connection, and the checkpoints it takes out of its commits. */
export interface ThreadWriter {
  sql: Sql;
  /**
   * A PASSIVE checkpoint on a connection of its own, run on libsql's threads: copies the WAL's pages into the
   * database file and syncs it while the writer goes on writing.
   */
  checkpointAside(): Promise<void>;
  /**
   * A PASSIVE checkpoint on the writer, between batches: after one aside, only the pages written since, so
   * it is short; once it has copied everything, the next transaction starts the WAL over.
   */
  checkpoint(): void;
  close(): Promise<void>;
}

/**
 * The write thread's connection (write-worker.ts). Every statement runs on the calling thread, which does
 * nothing else: waiting for the lock there blocks no request. COMMIT does not sync (synchronous=NORMAL):
 * with FULL asked for, the thread's owner syncs the WAL after each commit (write-thread.ts). Nor does it
 * checkpoint (a checkpoint of thousands of pages took 25–50 ms, during which every write waited): the
 * write thread checkpoints aside, on a connection of its own (ThreadWriter).
 */
export function openThreadWriter(path: string, options: DatabaseOptions): ThreadWriter {
  const writer = openLocal(path, { ...options, synchronous: "NORMAL" });
  writer.db.exec(`PRAGMA cache_size = -${WRITER_CACHE_KIB}`);
  writer.db.exec("PRAGMA wal_autocheckpoint = 0");
  const aside = openLocal(path, { ...options, synchronous: "NORMAL" });
  aside.db.exec("PRAGMA wal_autocheckpoint = 0");
  return {
    sql: writer.sql,
    checkpointAside: () => execOffThread.call(aside.db, "PRAGMA wal_checkpoint(PASSIVE)"),
    checkpoint: () => writer.db.exec("PRAGMA wal_checkpoint(PASSIVE)"),
    close: async () => {
      aside.db.close();
      writer.db.close();
    },
  };
}

/** SQLITE_BUSY: another connection holds the lock. */
export function isBusyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = "code" in error && typeof error.code === "string" ? error.code : "";
  return /SQLITE_BUSY|database is locked/i.test(`${code} ${error.message}`);
}

/**
 * A libSQL server (sqld, Turso) through libsql's promise API. Not exercised by this repository's tests:
 * no server runs on the test machines. See docs/operations.md.
 */
async function openRemote(options: DatabaseOptions): Promise<Connections> {
  const open = () => new RemoteDatabase(options.url, { authToken: options.authToken ?? "" });
  const toSql = (db: ReturnType<typeof open>): Sql => ({
    get: async <T>(text: string, params: readonly SqlValue[] = []) =>
      withoutMetadata((await db.prepare(text)).get(...params)) as T | undefined,
    all: async <T>(text: string, params: readonly SqlValue[] = []) =>
      (await (await db.prepare(text)).all(...params)) as T[],
    run: async (text, params = []) => ({ changes: (await db.prepare(text)).run(...params).changes }),
    exec: async (text) => {
      await db.exec(text);
    },
    close: async () => {
      db.close();
    },
  });
  const writerDb = open();
  const readerDb = open();
  return {
    writer: toSql(writerDb),
    reader: toSql(readerDb),
    remote: true,
    sync: async () => {},
    close: async () => {
      readerDb.close();
      writerDb.close();
    },
  };
}
