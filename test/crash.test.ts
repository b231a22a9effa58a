import { rmSync } from "node:fs";
import Database from "libsql";
import { afterAll, describe, expect, it } from "vitest";
import { type Acknowledged, ingest } from "./support/ingest.js";
import { type ReceiverProcess, startReceiver, tempDatabase } from "./support/receiver-process.js";

const TOKEN = "crash-write-token-1";
const ROUNDS = 4;
const db = tempDatabase();
const running: ReceiverProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((receiver) => receiver.kill()));
  rmSync(db.dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the database file the way a restart would (WAL recovery included) and checks it. */
function inspect(acknowledged: readonly Acknowledged[]) {
  const file = new Database(db.path);
  try {
    const integrity = file.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[];
    const byId = file.prepare("SELECT key, status FROM releases WHERE id = ?");
    const missing = acknowledged.filter((ack) => {
      const row = byId.get(ack.id) as { key: string } | undefined;
      return row?.key !== ack.key;
    });
    const keys = file
      .prepare("SELECT count(*) AS n, count(DISTINCT key) AS distinct_keys FROM releases")
      .get() as {
      n: number;
      distinct_keys: number;
    };
    return { integrity: integrity.map((row) => row.integrity_check), missing, keys };
  } finally {
    file.close();
  }
}

describe("a receiver killed with SIGKILL during sustained ingest", () => {
  it("keeps every release it acknowledged, round after round, and the database stays intact", async () => {
    const acknowledged: Acknowledged[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const receiver = await startReceiver({ SPONGE_DATABASE_URL: db.url, SPONGE_TOKENS: `write:${TOKEN}` });
      running.push(receiver);
      // The crash comes while 24 clients are mid-request, once a varying number of writes were answered.
      let reached: () => void = () => {};
      const threshold = 100 + round * 150;
      const crash = new Promise<void>((resolve) => {
        reached = resolve;
      })
        .then(() => sleep(round * 7))
        .then(() => receiver.kill());
      const load = await ingest({
        urls: [receiver.url],
        token: TOKEN,
        clients: 24,
        prefix: `crash-${round}`,
        perClient: 100_000,
        stop: crash,
        onAcknowledged: (count) => {
          if (count >= threshold) reached();
        },
      });
      await crash;
      expect(load.refused).toEqual([]);
      expect(
        load.acknowledged.length,
        `round ${round} acknowledged nothing before the crash`,
      ).toBeGreaterThan(0);
      expect(load.networkErrors, `round ${round}: the crash interrupted no request`).toBeGreaterThan(0);
      acknowledged.push(...load.acknowledged);

      const after = inspect(acknowledged);
      expect(after.integrity).toEqual(["ok"]);
      expect(after.missing, `round ${round}: acknowledged releases missing after the crash`).toEqual([]);
      expect(after.keys.distinct_keys).toBe(after.keys.n);
    }

    // A restarted receiver serves them, and a retry with an acknowledged key returns the same release.
    const last = await startReceiver({ SPONGE_DATABASE_URL: db.url, SPONGE_TOKENS: `write:${TOKEN}` });
    running.push(last);
    const sample = acknowledged.filter((_, i) => i % Math.ceil(acknowledged.length / 50) === 0);
    for (const ack of sample) {
      const res = await fetch(`${last.url}/api/releases/${ack.id}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { key: string }).key).toBe(ack.key);
    }
    const first = acknowledged[0];
    if (!first) throw new Error("nothing was acknowledged");
    const retry = await fetch(`${last.url}/api/releases`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ key: first.key }),
    });
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { id: string }).id).toBe(first.id);
    expect(await last.stop()).toBe(0);
  }, 120_000);
});
