import type { LogInput } from "@sponge/core";
import { notFound } from "../errors.js";
import type { Sql } from "../store/database.js";

/** Appends log lines to a release; returns how many were stored. */
export async function appendLogs(sql: Sql, releaseId: string, entries: readonly LogInput[], now: string) {
  const row = await sql.get<{ seq: number }>("SELECT seq FROM releases WHERE id = ?", [releaseId]);
  if (!row) throw notFound(`release ${JSON.stringify(releaseId)}`);
  for (const entry of entries) {
    const ts = "ts" in entry && entry.ts ? entry.ts : now;
    const level = "level" in entry && entry.level ? entry.level : "info";
    const host = "host" in entry && entry.host ? entry.host : null;
    await sql.run("INSERT INTO logs (release_seq, ts, level, host, message) VALUES (?, ?, ?, ?, ?)", [
      row.seq,
      ts,
      level,
      host,
      entry.message,
    ]);
  }
  return entries.length;
}
