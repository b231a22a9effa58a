import type { Sql } from "./database.js";

interface Job {
  work: (sql: Sql) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** What one committed batch took. */
export interface BatchStats {
  /** Writes in the batch. */
  size: number;
  /** Seconds from BEGIN to the last write's savepoint released: the writes' own work. */
  workSeconds: number;
  /** Seconds COMMIT took: the WAL written and, with synchronous=FULL, synced. */
  commitSeconds: number;
  /** Seconds from COMMIT to the WAL synced, when the write thread syncs it after COMMIT (write-thread.ts). */
  syncSeconds?: number;
}

export interface WriteQueueOptions {
  /** Most writes committed together. */
  maxBatch?: number;
  /** Runs before each batch's BEGIN, outside any transaction (the write thread checkpoints there). */
  beforeBatch?: () => void;
}

/**
 * Group commit. Writes that arrive together share one `BEGIN IMMEDIATE … COMMIT` (so one fsync),
 * each inside its own savepoint so that one failing write rolls back alone. A write's promise settles
 * only after the batch has committed, so no response is sent before its data is durable.
 *
 * @example
 * const queue = new WriteQueue(sql);
 * const id = await queue.run(async (tx) => { await tx.run("INSERT …"); return 1; });
 */
export class WriteQueue {
  private pending: Job[] = [];
  private flushing = false;
  private closed = false;
  private readonly maxBatch: number;
  private readonly beforeBatch: (() => void) | undefined;
  private readonly commitListeners: ((stats: BatchStats) => void)[] = [];

  constructor(
    private readonly sql: Sql,
    options: WriteQueueOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.beforeBatch = options.beforeBatch;
  }

  /** Whether no batch is running or queued. */
  get idle(): boolean {
    return !this.flushing && this.pending.length === 0;
  }

  /** Calls `listener` after every committed batch, before its writers hear back. */
  onCommit(listener: (stats: BatchStats) => void): void {
    this.commitListeners.push(listener);
  }

  run<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the database is closing"));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let requests that arrived in the same turn of the event loop join this batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Waits for queued writes, then refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      await this.commit(batch);
    }
    this.flushing = false;
  }

  private async commit(batch: Job[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    this.beforeBatch?.();
    const began = performance.now();
    let committing = began;
    try {
      await this.sql.exec("BEGIN IMMEDIATE");
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    try {
      for (const job of batch) {
        await this.sql.exec("SAVEPOINT write");
        try {
          const value = await job.work(this.sql);
          await this.sql.exec("RELEASE write");
          outcomes.push({ ok: true, value });
        } catch (error) {
          await this.sql.exec("ROLLBACK TO write");
          await this.sql.exec("RELEASE write");
          outcomes.push({ ok: false, error });
        }
      }
      committing = performance.now();
      await this.sql.exec("COMMIT");
    } catch (error) {
      await this.sql.exec("ROLLBACK").catch(() => undefined);
      for (const job of batch) job.reject(error);
      return;
    }
    const stats: BatchStats = {
      size: batch.length,
      workSeconds: (committing - began) / 1000,
      commitSeconds: (performance.now() - committing) / 1000,
    };
    for (const listener of this.commitListeners) listener(stats);
    batch.forEach((job, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) job.resolve(outcome.value);
      else job.reject(outcome?.error);
    });
  }
}
