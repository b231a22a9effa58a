import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "@sponge/core";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../src/errors.js";
import { openConnections } from "../src/store/database.js";
import { FileSync } from "../src/store/file-sync.js";
import { Store } from "../src/store/store.js";
import { type BatchStats, WriteQueue } from "../src/store/write-queue.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sponge-thread-"));
  dirs.push(dir);
  return dir;
}

/** A promise and the functions that settle it. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe("FileSync", () => {
  it("shares one fdatasync among the callers that arrive while one runs", async () => {
    const path = join(tempDir(), "wal");
    writeFileSync(path, "x".repeat(4096));
    const sync = new FileSync(path);
    try {
      await Promise.all(Array.from({ length: 20 }, () => sync.sync()));
      // The first caller's sync, then one more for everyone who came while it ran.
      expect(sync.syncs).toBeLessThanOrEqual(2);
      await sync.sync();
      expect(sync.syncs).toBeLessThanOrEqual(3);
    } finally {
      await sync.close();
    }
  });

  it("names a missing file, and works once it exists", async () => {
    const path = join(tempDir(), "wal");
    const sync = new FileSync(path);
    await expect(sync.sync()).rejects.toThrow(/ENOENT/);
    writeFileSync(path, "x");
    await expect(sync.sync()).resolves.toBeUndefined();
    await sync.close();
  });
});

describe("WriteQueue with its own sync", () => {
  /** A queue of the test's own over a file's writer connection, with `durable` as its sync. */
  async function queueOver(durable: () => Promise<void>) {
    const connections = await openConnections({ url: `file:${join(tempDir(), "q.db")}` });
    await connections.writer.exec("CREATE TABLE t (n INTEGER)");
    return { connections, queue: new WriteQueue(connections.writer, { durable }) };
  }

  it("answers a batch only once it is synced, and runs the next batch meanwhile", async () => {
    const syncs: ReturnType<typeof deferred>[] = [];
    const { connections, queue } = await queueOver(() => {
      const next = deferred();
      syncs.push(next);
      return next.promise;
    });
    const stats: BatchStats[] = [];
    queue.onCommit((batch) => stats.push(batch));
    let firstDone = false;
    const first = queue
      .run((sql) => sql.run("INSERT INTO t VALUES (1)"))
      .then(() => {
        firstDone = true;
      });
    while (syncs.length < 1) await new Promise((r) => setTimeout(r, 1));
    // Committed, not yet synced: not answered, and the next batch is not held back by it.
    const second = queue.run((sql) => sql.run("INSERT INTO t VALUES (2)"));
    while (syncs.length < 2) await new Promise((r) => setTimeout(r, 1));
    expect(firstDone).toBe(false);
    expect(stats).toEqual([]);
    syncs[0]?.resolve();
    await first;
    expect(stats).toHaveLength(1);
    expect(stats[0]?.syncSeconds).toBeGreaterThan(0);
    syncs[1]?.resolve();
    await second;
    await queue.close();
    await connections.close();
  });

  it("fails the writes of a batch whose sync failed, and still tells the listeners it committed", async () => {
    const { connections, queue } = await queueOver(() =>
      Promise.reject(new Error("EIO: i/o error, fdatasync")),
    );
    let commits = 0;
    queue.onCommit(() => commits++);
    await expect(queue.run((sql) => sql.run("INSERT INTO t VALUES (1)"))).rejects.toThrow(/EIO/);
    expect(commits).toBe(1);
    await queue.close();
    await connections.close();
  });
});

describe("the write thread", () => {
  const ctx = () => ({ config: defaultConfig, now: new Date().toISOString() });

  it("writes releases in shared, synced batches and answers each write on its own", async () => {
    const store = await Store.open({ url: `file:${join(tempDir(), "t.db")}`, writeThread: true });
    const stats: BatchStats[] = [];
    store.onCommit((batch) => stats.push(batch));
    try {
      const writes = Array.from({ length: 30 }, (_, i) =>
        i % 6 === 0
          ? store.perform("update", ctx(), { id: `missing-${i}`, input: { extra: {} }, force: false })
          : store.perform("createOrMerge", ctx(), {
              input: { key: `k-${i}`, packages: [{ name: `svc-${i % 4}`, version: `1.${i}` }], extra: {} },
              source: "api",
            }),
      );
      const outcomes = await Promise.allSettled(writes);
      const failed = outcomes.filter((o) => o.status === "rejected");
      expect(failed).toHaveLength(5);
      for (const failure of failed) {
        // The error crossed the thread as what it was: a 404 naming the release.
        const reason = (failure as PromiseRejectedResult).reason;
        expect(reason).toBeInstanceOf(ApiError);
        expect(reason).toMatchObject({ status: 404, code: "not_found" });
        expect(reason.message).toMatch(/release "missing-\d+" was not found/);
      }
      const created = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
      expect(created).toHaveLength(25);
      expect(created.every((w) => w.created && w.source === "api" && JSON.parse(w.doc).id === w.id)).toBe(
        true,
      );
      const count = await store.reader.get<{ n: number }>("SELECT count(*) AS n FROM releases");
      expect(count?.n).toBe(25);
      // Shared batches, each synced by the thread (synchronous=FULL is the default).
      expect(stats.length).toBeGreaterThan(0);
      expect(stats.length).toBeLessThan(30);
      expect(stats.reduce((n, batch) => n + batch.size, 0)).toBe(30);
      expect(stats.every((batch) => batch.syncSeconds > 0)).toBe(true);
      // A repeated key merges into the same release.
      const again = await store.perform("createOrMerge", ctx(), {
        input: { key: "k-1", status: "succeeded", extra: {} },
        source: "api",
      });
      expect(again.created).toBe(false);
      expect(again.id).toBe(created[0]?.id);
    } finally {
      await store.close();
    }
    await expect(
      store.perform("createOrMerge", ctx(), { input: { extra: {} }, source: "api" }),
    ).rejects.toThrow(/closing/);
  });

  it("answers every write queued before close, then stops", async () => {
    const store = await Store.open({ url: `file:${join(tempDir(), "c.db")}`, writeThread: true });
    const writes = Array.from({ length: 10 }, (_, i) =>
      store.perform("createOrMerge", ctx(), { input: { key: `c-${i}`, extra: {} }, source: "api" }),
    );
    const closed = store.close();
    expect((await Promise.all(writes)).every((w) => w.created)).toBe(true);
    await closed;
  });
});
