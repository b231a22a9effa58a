import { type Connections, type DatabaseOptions, openConnections, type Sql } from "./database.js";
import { migrate } from "./migrations.js";
import { WriteQueue } from "./write-queue.js";

/** A clock, injected so tests can fix time. */
export type Clock = () => Date;

export type StoreOptions = DatabaseOptions;

/**
 * The receiver's only door to the database: a reader connection for queries, and a group-commit write
 * queue over the writer connection. Query and write functions live beside it (release-rows.ts,
 * release-reads.ts, tokens.ts …) and take the `Sql` they should use.
 */
export class Store {
  readonly writes: WriteQueue;

  private constructor(private readonly connections: Connections) {
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
      throw error;
    }
    return new Store(connections);
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

  /** Whether the database answers. */
  async ping(): Promise<boolean> {
    try {
      return (await this.reader.get<{ ok: number }>("SELECT 1 AS ok"))?.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.writes.close();
    await this.connections.close();
  }
}
