import type { WriteContext } from "../releases/release-writer.js";
import {
  type WriteArgs,
  type WriteOperationName,
  type WriteSummary,
  writeOperations,
} from "../releases/write-operations.js";
import { type Connections, type DatabaseOptions, filePath, openConnections, type Sql } from "./database.js";
import { fileProblem } from "./database-problems.js";
import { migrate } from "./migrations.js";
import { type BatchStats, WriteQueue } from "./write-queue.js";
import { WriteThread } from "./write-thread.js";

/** A clock, injected so tests can fix time. */
export type Clock = () => Date;

export interface StoreOptions extends DatabaseOptions {
  /**
   * Runs the release writes on a worker thread of their own (write-thread.ts) when the database is an
   * embedded file. The receiver's process turns it on; it needs the built JavaScript (`tsc -b`).
   */
  writeThread?: boolean;
}

/**
 * The receiver's only door to the database: a reader connection for queries, a group-commit write queue
 * over the writer connection and, for an embedded file, the write thread that runs the release writes.
 * Query and write functions live beside it (release-rows.ts, release-reads.ts, tokens.ts …) and take the
 * `Sql` they should use.
 */
export class Store {
  readonly writes: WriteQueue;

  private constructor(
    private readonly connections: Connections,
    private readonly thread: WriteThread | undefined,
  ) {
    this.writes = new WriteQueue(connections.writer);
  }

  /** Opens the database and applies pending migrations. */
  static async open(options: StoreOptions): Promise<Store> {
    const connections = await openConnections(options);
    try {
      await connections.sync();
      await migrate(connections.writer);
    } catch (error) {
      await connections.close();
      // A file that opened but cannot be read or written shows it here, at the first statement that needs to.
      throw (connections.remote ? undefined : fileProblem(filePath(options.url), error)) ?? error;
    }
    const path = filePath(options.url);
    const threaded =
      options.writeThread === true && !connections.remote && !options.syncUrl && path !== ":memory:";
    return new Store(connections, threaded ? new WriteThread(path, options) : undefined);
  }

  /** Read-only queries: sees committed data only. */
  get reader(): Sql {
    return this.connections.reader;
  }

  get remote(): boolean {
    return this.connections.remote;
  }

  /** Runs `work` inside the next write transaction; resolves after it commits. */
  write<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.writes.run(work);
  }

  /** Runs a release write (write-operations.ts): on the write thread when there is one. */
  perform<N extends WriteOperationName>(
    name: N,
    ctx: WriteContext,
    args: WriteArgs<N>,
  ): Promise<WriteSummary> {
    if (this.thread) return this.thread.perform(name, ctx, args);
    const operation = writeOperations[name] as (
      sql: Sql,
      ctx: WriteContext,
      args: WriteArgs<N>,
    ) => Promise<WriteSummary>;
    return this.writes.run((sql) => operation(sql, ctx, args));
  }

  /** Calls `listener` after every committed write batch (of either writer), before its writers hear back. */
  onCommit(listener: (stats: BatchStats) => void): void {
    this.writes.onCommit(listener);
    this.thread?.onCommit(listener);
  }

  /** Whether the database answers. */
  async ping(): Promise<boolean> {
    try {
      return (await this.reader.get<{ ok: number }>("SELECT 1 AS ok"))?.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.thread?.close();
    await this.writes.close();
    await this.connections.close();
  }
}
