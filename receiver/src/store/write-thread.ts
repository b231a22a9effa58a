import { Worker } from "node:worker_threads";
import type { SpongeConfig } from "@sponge/core";
import type { WriteContext } from "../releases/release-writer.js";
import type { WriteArgs, WriteOperationName, WriteSummary } from "../releases/write-operations.js";
import type { DatabaseOptions } from "./database.js";
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

/**
 * The release writes of an embedded database, run on a worker thread (write-worker.ts) with a writer
 * connection of its own. The event loop only sends each write's validated input and receives its answer;
 * SQLite's work, the WAL writes and the wait for fsync happen on the other thread, in group-commit batches
 * like the store's own queue. Other writes (tokens, logs, deliveries) stay on the store's queue: SQLite's
 * write lock orders the two writers as it orders two receiver processes.
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

  constructor(
    private readonly path: string,
    private readonly options: DatabaseOptions,
  ) {}

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
    });
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
        for (const listener of this.commitListeners) listener(message.stats);
        return;
      case "done":
        this.settle(message.id)?.resolve(message.value);
        return;
      case "failed":
        this.settle(message.id)?.reject(fromThreadError(message.error));
        return;
      case "closed":
        return;
    }
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
