import type { LogInput } from "@sponge/core";
import { notFound, quoted } from "../errors.js";
import type { Sql } from "../store/database.js";

/**
 * Appends log lines to a release; returns how many were stored. With a `batchKey` (the request's
 * Idempotency-Key), a retried upload that already committed appends nothing and reports the first count.
 */
export async function appendLogs(
  sql: Sql,
  releaseId: string,
  entries: readonly LogInput[],
  now: string,
  batchKey?: string,
) {
  const row = await sql.get<{ seq: number }>("SELECT seq FROM releases WHERE id = ?", [releaseId]);
  if (!row) throw notFound(`release ${quoted(releaseId)}`);
  if (batchKey !== undefined) {
    const seen = await sql.get<{ n: number }>(
      "SELECT count(*) AS n FROM logs WHERE release_seq = ? AND batch_key = ?",
      [row.seq, batchKey],
    );
    if (seen && seen.n > 0) return seen.n;
  }
  for (const entry of entries) {
    const ts = "ts" in entry && entry.ts ? entry.ts : now;
    const level = "level" in entry && entry.level ? entry.level : "info";
    const host = "host" in entry && entry.host ? entry.host : null;
    await sql.run(
      "INSERT INTO logs (release_seq, ts, level, host, message, batch_key) VALUES (?, ?, ?, ?, ?, ?)",
      [row.seq, ts, level, host, entry.message, batchKey ?? null],
    );
  }
  return entries.length;
}
