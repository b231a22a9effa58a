/**
 * The write thread: owns the embedded database's writer connection and runs the release writes
 * (write-operations.ts) in its own group-commit queue, so that their SQL and the WAL writes take none of
 * the event loop's time. After each COMMIT it posts the batch's `commit`, then each write's answer, and
 * goes on with the next batch; the thread that started it syncs the WAL and answers the writers
 * (write-thread.ts). Started by WriteThread.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { SpongeConfig } from "@sponge/core";
import type { WriteContext } from "../releases/release-writer.js";
import { type WriteOperationName, writeOperations } from "../releases/write-operations.js";
import { openThreadWriter, type Sql } from "./database.js";
import {
  type FromWriteThread,
  type ToWriteThread,
  toThreadError,
  type WriteThreadData,
} from "./write-messages.js";
import { WriteQueue } from "./write-queue.js";

const port = parentPort;
if (!port) throw new Error("write-worker.js runs as a worker thread");
const { path, options } = workerData as WriteThreadData;
const writer = openThreadWriter(path, options);

/**
 * How often, while writes come in, the WAL is checkpointed: first aside (the bulk of the pages, with the
 * database file's sync, while writes go on), then on the writer between two batches (what was written
 * meanwhile), after which the WAL starts over. Under sustained ingest that keeps the WAL to a few tens of MB.
 */
const CHECKPOINT_EVERY_MS = 250;
/** `aside` while the aside checkpoint runs; `finish` when the writer's short one is due. */
let checkpointing: "no" | "aside" | "finish" = "no";
let commitsSinceCheckpoint = 0;

function finishCheckpoint(): void {
  if (checkpointing !== "finish") return;
  checkpointing = "no";
  try {
    writer.checkpoint();
  } catch {
    // A checkpoint that could not run now runs at the next turn; the WAL only grows meanwhile.
  }
}

const queue = new WriteQueue(writer.sql, { beforeBatch: finishCheckpoint });
const post = (message: FromWriteThread) => port.postMessage(message);
queue.onCommit((stats) => {
  commitsSinceCheckpoint++;
  post({ type: "commit", stats });
});

const checkpoints = setInterval(() => {
  if (checkpointing !== "no" || commitsSinceCheckpoint === 0) return;
  commitsSinceCheckpoint = 0;
  checkpointing = "aside";
  writer.checkpointAside().then(
    () => {
      checkpointing = "finish";
      if (queue.idle) finishCheckpoint();
    },
    () => {
      checkpointing = "no";
    },
  );
}, CHECKPOINT_EVERY_MS);

let config: SpongeConfig | undefined;

port.on("message", (message: ToWriteThread) => {
  if (message.type === "close") {
    void close();
    return;
  }
  if (message.config) config = message.config;
  const { id, name, now, owner, args } = message;
  const run = writeOperations[name as WriteOperationName] as (
    sql: Sql,
    ctx: WriteContext,
    args: unknown,
  ) => Promise<unknown>;
  queue
    .run((sql) => {
      if (!config) throw new Error("no configuration was sent with the first write");
      return run(sql, { config, now, owner }, args);
    })
    .then(
      (value) => post({ type: "done", id, value }),
      (error: unknown) => post({ type: "failed", id, error: toThreadError(error) }),
    );
});

async function close(): Promise<void> {
  clearInterval(checkpoints);
  await queue.close();
  while (checkpointing === "aside") await new Promise((r) => setTimeout(r, 5));
  await writer.close();
  // Closing the port lets the thread exit; the owner waits for that.
  port?.close();
}
