import { close, fdatasync, open } from "node:fs";
import { promisify } from "node:util";

const openFile = promisify(open);
const syncFile = promisify(fdatasync);
const closeFile = promisify(close);
const noop = () => undefined;

/**
 * Group fsync of one file: `sync()` resolves once everything written to the file before the call is on
 * disk. Calls that arrive while a sync is in flight share the next one, so a stream of commits costs one
 * fdatasync at a time, each covering every commit written since the one before. The sync runs on libuv's
 * thread pool; the caller's thread goes on meanwhile.
 *
 * @example
 * const wal = new FileSync(`${path}-wal`);
 * db.exec("COMMIT"); // synchronous=NORMAL: the WAL is written, not synced
 * await wal.sync();  // now it is
 */
export class FileSync {
  private fd: Promise<number> | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  /** fdatasync calls made so far. */
  syncs = 0;

  constructor(private readonly path: string) {}

  sync(): Promise<void> {
    if (!this.running) return this.start();
    // The sync in flight may have started before the caller's write: once it ends, one more sync covers
    // every caller that arrived meanwhile.
    this.next ??= this.running.then(noop, noop).then(() => {
      this.next = undefined;
      return this.start();
    });
    return this.next;
  }

  private start(): Promise<void> {
    const running: Promise<void> = this.syncOnce().finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private async syncOnce(): Promise<void> {
    this.fd ??= openFile(this.path, "r+").catch((error: unknown) => {
      this.fd = undefined;
      throw error;
    });
    this.syncs++;
    await syncFile(await this.fd);
  }

  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.next?.catch(() => undefined);
    if (this.fd) await closeFile(await this.fd).catch(() => undefined);
    this.fd = undefined;
  }
}
