import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReadCache } from "../src/store/read-cache.js";
import { type Harness, harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

/** A loader that reads a real row and counts how often it ran. */
function counter() {
  const calls = { count: 0 };
  const load = async () => {
    calls.count++;
    const row = await h.store.reader.get<{ n: number }>("SELECT COUNT(*) AS n FROM tokens");
    return row?.n ?? -1;
  };
  return { calls, load };
}

const addToken = (id: string) =>
  h.store.write((sql) =>
    sql.run("INSERT INTO tokens (id, name, scope, hash, created_at) VALUES (?, ?, 'read', ?, ?)", [
      id,
      id,
      `hash-${id}`,
      "2024-01-01T00:00:00.000Z",
    ]),
  );

describe("ReadCache", () => {
  it("answers from memory until this receiver commits a write", async () => {
    const cache = new ReadCache<number>(h.store);
    const { calls, load } = counter();
    expect(await cache.get("k", load)).toBe(0);
    expect(await cache.get("k", load)).toBe(0);
    expect(calls.count).toBe(1);
    await addToken("a");
    // The write's promise settles after the cache was cleared: read-your-writes.
    expect(await cache.get("k", load)).toBe(1);
    expect(calls.count).toBe(2);
  });

  it("expires entries after the TTL (writes by other receivers)", async () => {
    let now = 0;
    const cache = new ReadCache<number>(h.store, { ttlMs: 1_000, now: () => now });
    const { calls, load } = counter();
    await cache.get("k", load);
    now = 999;
    await cache.get("k", load);
    expect(calls.count).toBe(1);
    now = 1_000;
    await cache.get("k", load);
    expect(calls.count).toBe(2);
  });

  it("drops an entry loaded while a commit landed", async () => {
    const cache = new ReadCache<number>(h.store);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = cache.get("k", async () => {
      await gate;
      return 0;
    });
    await addToken("b");
    release();
    expect(await slow).toBe(0);
    const { calls, load } = counter();
    expect(await cache.get("k", load)).toBe(1);
    expect(calls.count).toBe(1);
  });

  it("keeps at most maxEntries, dropping the oldest", async () => {
    const cache = new ReadCache<number>(h.store, { maxEntries: 2 });
    const { calls, load } = counter();
    await cache.get("a", load);
    await cache.get("b", load);
    await cache.get("c", load);
    expect(calls.count).toBe(3);
    await cache.get("c", load);
    await cache.get("b", load);
    expect(calls.count).toBe(3);
    await cache.get("a", load);
    expect(calls.count).toBe(4);
  });
});
