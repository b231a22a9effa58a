import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { defaultConfig } from "@sponge/core";
import { describe, expect, it } from "vitest";
import { ApiError } from "../src/errors.js";
import { FileSync } from "../src/store/file-sync.js";
import { Store } from "../src/store/store.js";
import type { BatchStats } from "../src/store/write-queue.js";
import { WriteThread } from "../src/store/write-thread.js";
import { tempDirs } from "./harness.js";

const tempDir = tempDirs("sponge-thread-");

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
      expect(stats.every((batch) => (batch.syncSeconds ?? 0) > 0)).toBe(true);
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

  it("fails the writes of a batch whose sync failed, and still tells the listeners it committed", async () => {
    const dir = tempDir();
    const path = join(dir, "f.db");
    await (await Store.open({ url: `file:${path}` })).close();
    const thread = new WriteThread(
      path,
      { url: `file:${path}` },
      {
        sync: () => Promise.reject(new Error("EIO: i/o error, fdatasync")),
        close: async () => {},
      },
    );
    let commits = 0;
    thread.onCommit(() => commits++);
    const write = thread.perform("createOrMerge", ctx(), { input: { key: "f-1", extra: {} }, source: "api" });
    await expect(write).rejects.toThrow(/EIO/);
    expect(commits).toBe(1);
    await thread.close();
  });

  it("does not sync with synchronous=NORMAL", async () => {
    const dir = tempDir();
    const path = join(dir, "n.db");
    await (await Store.open({ url: `file:${path}` })).close();
    let syncs = 0;
    const thread = new WriteThread(
      path,
      { url: `file:${path}`, synchronous: "NORMAL" },
      {
        sync: async () => {
          syncs++;
        },
        close: async () => {},
      },
    );
    const stats: BatchStats[] = [];
    thread.onCommit((batch) => stats.push(batch));
    await thread.perform("createOrMerge", ctx(), { input: { key: "n-1", extra: {} }, source: "api" });
    expect(syncs).toBe(0);
    expect(stats).toHaveLength(1);
    expect(stats[0]?.syncSeconds).toBeUndefined();
    await thread.close();
  });

  it("checkpoints the WAL aside and starts it over, so it does not grow with the writes", async () => {
    const path = join(tempDir(), "w.db");
    const store = await Store.open({ url: `file:${path}`, writeThread: true, synchronous: "NORMAL" });
    const write = (i: number) =>
      store.perform("createOrMerge", ctx(), {
        input: { key: `w-${i}`, packages: [{ name: `svc-${i % 9}`, version: `${i}` }], extra: {} },
        source: "api",
      });
    const size = (file: string) => statSync(file).size;
    const round = async (from: number) => {
      await Promise.all(Array.from({ length: 300 }, (_, i) => write(from + i)));
      // Only a checkpoint writes pages into the database file: the thread's, every quarter second while
      // writes come in. A second leaves room for the aside one and the writer's finish on a loaded machine.
      await new Promise((r) => setTimeout(r, 1_000));
    };
    try {
      await round(0);
      const pages = await store.reader.get<{ page_count: number }>("PRAGMA page_count");
      expect(size(path)).toBe((pages?.page_count ?? 0) * 4096);
      // Once everything is checkpointed, the next writes start the WAL over instead of growing it. A round's
      // frames can be split by a checkpoint in its middle, so the first round's WAL may hold a third of
      // them; a WAL that never started over would hold all four rounds' frames, over 4 times as many.
      const first = size(`${path}-wal`);
      for (const from of [300, 600, 900]) await round(from);
      expect(size(`${path}-wal`)).toBeLessThan(first * 3.5);
      const count = await store.reader.get<{ n: number }>("SELECT count(*) AS n FROM releases");
      expect(count?.n).toBe(1200);
    } finally {
      await store.close();
    }
  });

  it("fails the writes in flight when the thread dies, and starts a new one for the next write", async () => {
    const dir = tempDir();
    const path = join(dir, "d.db");
    await (await Store.open({ url: `file:${path}` })).close();
    const thread = new WriteThread(path, { url: `file:${path}` });
    const write = (key: string) =>
      thread.perform("createOrMerge", ctx(), { input: { key, extra: {} }, source: "api" });
    try {
      const first = await write("d-1");
      // The thread is private; reaching in is the only way to kill it from outside.
      const worker = (thread as unknown as { worker: Worker }).worker;
      const dying = worker.terminate();
      const inFlight = write("d-2");
      await dying;
      await expect(inFlight).rejects.toThrow(/the write thread stopped/);
      // A new thread, sent the configuration again, merges into what the first one wrote.
      const again = await write("d-1");
      expect(again).toMatchObject({ id: first.id, created: false });
    } finally {
      await thread.close();
    }
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
