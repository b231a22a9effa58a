import { rmSync } from "node:fs";
import Database from "libsql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest, releaseBody } from "./support/ingest.js";
import { type ReceiverProcess, startReceiver, tempDatabase } from "./support/receiver-process.js";

const TOKEN = "concurrency-write-token-1";
const db = tempDatabase();
let a: ReceiverProcess;
let b: ReceiverProcess;

beforeAll(async () => {
  const env = { SPONGE_DATABASE_URL: db.url, SPONGE_TOKENS: `write:${TOKEN}` };
  // Started together: both apply the migrations to the same new file at once.
  [a, b] = await Promise.all([startReceiver(env), startReceiver(env)]);
});

afterAll(async () => {
  await Promise.all([a?.kill(), b?.kill()]);
  rmSync(db.dir, { recursive: true, force: true });
});

function rows(sql: string, ...params: string[]): unknown[] {
  const file = new Database(db.path);
  try {
    return file.prepare(sql).all(...params);
  } finally {
    file.close();
  }
}

describe("two receiver processes on one database file", () => {
  it("share a write load with no 5xx and nothing lost", async () => {
    const load = await ingest({
      urls: [a.url, b.url],
      token: TOKEN,
      clients: 32,
      prefix: "shared",
      perClient: 40,
    });
    expect(load.networkErrors).toBe(0);
    expect(load.refused).toEqual([]);
    expect(load.acknowledged).toHaveLength(32 * 40);
    const stored = rows("SELECT id, key FROM releases WHERE key LIKE 'shared-%'") as {
      id: string;
      key: string;
    }[];
    const byKey = new Map(stored.map((row) => [row.key, row.id]));
    expect(stored).toHaveLength(32 * 40);
    for (const ack of load.acknowledged) expect(byKey.get(ack.key)).toBe(ack.id);
  }, 120_000);

  it("create one release per idempotency key when both receive it at the same moment", async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `same-${i}`);
    const post = (url: string, key: string, n: number) =>
      fetch(`${url}/api/releases`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
        body: releaseBody(key, n),
      }).then(async (res) => ({
        status: res.status,
        body: (await res.json()) as { id: string; key: string },
      }));
    // Many keys in flight at once, each sent to both processes together.
    const answers = await Promise.all(
      keys.map((key, n) => Promise.all([post(a.url, key, n), post(b.url, key, n)])),
    );
    for (const [fromA, fromB] of answers) {
      expect([fromA.status, fromB.status].sort()).toEqual([200, 201]);
      expect(fromA.body.id).toBe(fromB.body.id);
      expect(fromA.body.key).toBe(fromB.body.key);
    }
    const stored = rows("SELECT key, count(*) AS n FROM releases WHERE key LIKE 'same-%' GROUP BY key") as {
      key: string;
      n: number;
    }[];
    expect(stored).toHaveLength(keys.length);
    expect(stored.every((row) => row.n === 1)).toBe(true);
  }, 120_000);

  it("keep answering reads from both while the other writes, and agree on current versions", async () => {
    const writes = ingest({ urls: [a.url], token: TOKEN, clients: 16, prefix: "mixed", perClient: 30 });
    const reads: number[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${b.url}/api/releases?limit=20${i % 2 ? "&environment=production" : ""}`);
      reads.push(res.status);
      await res.arrayBuffer();
    }
    const load = await writes;
    expect(load.refused).toEqual([]);
    expect(reads.every((status) => status === 200)).toBe(true);
    const fromA = await (await fetch(`${a.url}/api/packages/api/current?environment=production`)).json();
    const fromB = await (await fetch(`${b.url}/api/packages/api/current?environment=production`)).json();
    expect(fromB).toEqual(fromA);
    const [status] = rows("PRAGMA integrity_check") as { integrity_check: string }[];
    expect(status?.integrity_check).toBe("ok");
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
  }, 120_000);
});
