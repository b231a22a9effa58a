import { Worker } from "node:worker_threads";
import type { SpongeConfig } from "@sponge/core";
import type { WriteContext } from "../releases/release-writer.js";
import type { WriteArgs, WriteOperationName, WriteSummary } from "../releases/write-operations.js";
import type { DatabaseOptions } from "./database.js";
import { FileSync } from "./file-sync.js";
import {
  type FromWriteThread,
  fromThreadError,
  type ToWriteThread,
  type WriteThreadData,
} from "./write-messages.js";
import type { BatchStats } from "./write-queue.js";

/**
 * The worker's module: beside this one in the build. Run from the sources (vitest), this module is
 * TypeScript, which a worker cannot load; the build's copy is used, which `npm test` makes first (`tsc -b`).
 */
function workerModule(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts")
    ? new URL("../../dist/store/write-worker.js", here)
    : new URL("./write-worker.js", here);
}

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** A batch the thread committed: its writers hear back once its WAL is synced. */
interface Batch {
  /** Undefined while syncing; then whether the sync worked. */
  synced: { ok: true } | { ok: false; error: unknown } | undefined;
  /** Answers that arrived before the sync ended. */
  held: (() => void)[];
  answer(settle: (error?: unknown) => void): void;
}

/**
 * The release writes of an embedded database, run on a worker thread (write-worker.ts) with a writer
 * connection of its own. The event loop only sends each write's validated input and receives its answer;
 * SQLite's work and the WAL writes happen on the other thread, in group-commit batches like the store's own
 * queue. With synchronous=FULL the thread commits without syncing and this side syncs the WAL (one
 * fdatasync for every batch committed since the last began) before the batch's writers hear back, while
 * the thread already runs the next batch. The sync's end is seen here at once; on the thread, busy with
 * its next batch, it would wait for that batch to end. Other writes (tokens, logs, deliveries) stay on the
 * store's queue: SQLite's write lock orders the two writers as it orders two receiver processes.
 *
 * @example
 * const thread = new WriteThread("/data/sponge.db", { url: "file:/data/sponge.db" });
 * const { doc } = await thread.perform("createOrMerge", ctx, { input, source: "api" });
 */
export class WriteThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly commitListeners: ((stats: BatchStats) => void)[] = [];
  private sentConfig: SpongeConfig | undefined;
  private closing: Promise<void> | undefined;
  private readonly wal: Pick<FileSync, "sync" | "close"> | undefined;
  /** The batch whose answers are arriving: every answer follows its batch's `commit`. */
  private batch: Batch | undefined;

  /** `walSync` stands in for the WAL's FileSync (tests make it fail). */
  constructor(
    private readonly path: string,
    private readonly options: DatabaseOptions,
    walSync?: Pick<FileSync, "sync" | "close">,
  ) {
    const full = (options.synchronous ?? "FULL") === "FULL";
    this.wal = full ? (walSync ?? new FileSync(`${path}-wal`)) : undefined;
  }

  /** Calls `listener` after every batch the thread committed, before its writers hear back. */
  onCommit(listener: (stats: BatchStats) => void): void {
    this.commitListeners.push(listener);
  }

  perform<N extends WriteOperationName>(
    name: N,
    ctx: WriteContext,
    args: WriteArgs<N>,
  ): Promise<WriteSummary> {
    if (this.closing) return Promise.reject(new Error("the database is closing"));
    const worker = this.start();
    const id = this.nextId++;
    const message: ToWriteThread = { type: "write", id, name, now: ctx.now, args };
    if (ctx.owner !== undefined) message.owner = ctx.owner;
    if (ctx.config !== this.sentConfig) {
      message.config = ctx.config;
      this.sentConfig = ctx.config;
    }
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage(message);
    });
  }

  /** Lets queued writes finish, then stops the thread. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const worker = this.worker;
      if (!worker) return resolve();
      worker.once("exit", () => resolve());
      worker.postMessage({ type: "close" } satisfies ToWriteThread);
    }).then(() => this.wal?.close());
    return this.closing;
  }

  /** The worker, started on the first write (and again if it ever died). */
  private start(): Worker {
    if (this.worker) return this.worker;
    const data: WriteThreadData = { path: this.path, options: this.options };
    const worker = new Worker(workerModule(), { workerData: data });
    worker.on("message", (message: FromWriteThread) => this.receive(message));
    worker.on("error", (error) => this.failAll(error));
    worker.on("exit", (code) => {
      if (this.worker === worker) this.worker = undefined;
      this.sentConfig = undefined;
      this.failAll(new Error(`the write thread stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: FromWriteThread): void {
    switch (message.type) {
      case "commit":
        this.batch = this.committed(message.stats);
        return;
      case "done": {
        const waiting = this.settle(message.id);
        this.batch?.answer((error) => (error ? waiting?.reject(error) : waiting?.resolve(message.value)));
        return;
      }
      case "failed": {
        const waiting = this.settle(message.id);
        const failure = fromThreadError(message.error);
        this.batch?.answer((error) => waiting?.reject(error ?? failure));
        return;
      }
    }
  }

  /** Starts the sync of a committed batch; its listeners and writers hear of it once the WAL is on disk. */
  private committed(stats: BatchStats): Batch {
    const batch: Batch = {
      synced: undefined,
      held: [],
      answer(settle) {
        const synced = batch.synced;
        if (synced === undefined) batch.held.push(() => batch.answer(settle));
        else settle(synced.ok ? undefined : synced.error);
      },
    };
    const notify = (syncSeconds?: number) => {
      for (const listener of this.commitListeners)
        listener(syncSeconds === undefined ? stats : { ...stats, syncSeconds });
    };
    if (!this.wal) {
      batch.synced = { ok: true };
      notify();
      return batch;
    }
    const began = performance.now();
    this.wal
      .sync()
      .then(
        () => {
          batch.synced = { ok: true };
          notify((performance.now() - began) / 1000);
        },
        (error: unknown) => {
          // Committed (readers see it) but not known to be on disk: caches drop it, its writers get an error.
          batch.synced = { ok: false, error };
          notify();
        },
      )
      .finally(() => {
        for (const answer of batch.held.splice(0)) answer();
      });
    return batch;
  }

  private settle(id: number): Waiting | undefined {
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    return waiting;
  }

  private failAll(error: unknown): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
