import type { Sql, SqlValue } from "./database.js";

/** The CI systems that post webhooks. */
export type Provider = "github" | "gitlab" | "jenkins" | "cdevents";
export const PROVIDERS: readonly Provider[] = ["github", "gitlab", "jenkins", "cdevents"];

/** What the receiver made of one delivery. */
export type DeliveryOutcome = "created" | "updated" | "ignored" | "duplicate" | "ping" | "error";
export const OUTCOMES: readonly DeliveryOutcome[] = [
  "created",
  "updated",
  "ignored",
  "duplicate",
  "ping",
  "error",
];

/** A row of the delivery log, without its body. */
export interface DeliveryRecord {
  id: number;
  provider: Provider;
  delivery_id: string;
  event: string;
  received_at: string;
  outcome: DeliveryOutcome;
  release_id: string | null;
  message: string | null;
  /** Request headers without credentials. */
  headers: Record<string, string>;
  /** The delivery this row re-ran (`POST /api/deliveries/:id/replay`), else null. */
  replay_of: number | null;
}

export interface NewDelivery {
  provider: Provider;
  deliveryId: string;
  event: string;
  receivedAt: string;
  outcome: DeliveryOutcome;
  releaseId: string | null;
  message: string | null;
  headers: Record<string, string>;
  body: string;
  replayOf: number | null;
}

interface DeliveryRow {
  seq: number;
  provider: Provider;
  delivery_id: string;
  event: string;
  received_at: string;
  outcome: DeliveryOutcome;
  release_id: string | null;
  message: string | null;
  headers: string;
  replay_of: number | null;
}

const COLUMNS =
  "seq, provider, delivery_id, event, received_at, outcome, release_id, message, headers, replay_of";

/** Appends a row to the delivery log; resolves to its id. */
export async function insertDelivery(sql: Sql, delivery: NewDelivery): Promise<number> {
  const row = await sql.get<{ seq: number }>(
    `INSERT INTO deliveries (provider, delivery_id, event, received_at, outcome, release_id, message, headers, body, replay_of)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
    [
      delivery.provider,
      delivery.deliveryId,
      delivery.event,
      delivery.receivedAt,
      delivery.outcome,
      delivery.releaseId,
      delivery.message,
      JSON.stringify(delivery.headers),
      delivery.body,
      delivery.replayOf,
    ],
  );
  if (!row) throw new Error("insert returned no row");
  return row.seq;
}

/**
 * Claims a provider's delivery id for processing: inserts the row unless a processed delivery with the
 * same id exists (the partial unique index `deliveries_processed` decides, so two receivers cannot both
 * claim it). Resolves to the new row's id, or undefined when the id was taken. Settle it with
 * {@link settleDelivery} in the same transaction.
 */
export async function claimDelivery(
  sql: Sql,
  delivery: Omit<NewDelivery, "outcome" | "releaseId" | "message" | "replayOf">,
): Promise<number | undefined> {
  const row = await sql.get<{ seq: number }>(
    `INSERT INTO deliveries (provider, delivery_id, event, received_at, outcome, release_id, message, headers, body, replay_of)
     VALUES (?, ?, ?, ?, 'ignored', NULL, NULL, ?, ?, NULL)
     ON CONFLICT (provider, delivery_id) WHERE replay_of IS NULL AND outcome NOT IN ('duplicate', 'error') DO NOTHING
     RETURNING seq`,
    [
      delivery.provider,
      delivery.deliveryId,
      delivery.event,
      delivery.receivedAt,
      JSON.stringify(delivery.headers),
      delivery.body,
    ],
  );
  return row?.seq;
}

/** Records what a claimed delivery came to. */
export async function settleDelivery(
  sql: Sql,
  id: number,
  outcome: Exclude<DeliveryOutcome, "duplicate" | "error">,
  releaseId: string | null,
  message: string | null,
): Promise<void> {
  await sql.run("UPDATE deliveries SET outcome = ?, release_id = ?, message = ? WHERE seq = ?", [
    outcome,
    releaseId,
    message,
    id,
  ]);
}

/**
 * The first delivery with this provider and id that was processed (not a duplicate, replay or error);
 * the partial unique index `deliveries_processed` holds at most one.
 */
export async function findProcessedDelivery(
  sql: Sql,
  provider: Provider,
  deliveryId: string,
): Promise<DeliveryRecord | undefined> {
  const row = await sql.get<DeliveryRow>(
    `SELECT ${COLUMNS} FROM deliveries
     WHERE provider = ? AND delivery_id = ? AND replay_of IS NULL AND outcome NOT IN ('duplicate', 'error')`,
    [provider, deliveryId],
  );
  return row && toRecord(row);
}

/** One delivery with its stored body. */
export async function getDelivery(
  sql: Sql,
  id: number,
): Promise<(DeliveryRecord & { body: string }) | undefined> {
  const row = await sql.get<DeliveryRow & { body: string }>(
    `SELECT ${COLUMNS}, body FROM deliveries WHERE seq = ?`,
    [id],
  );
  return row && { ...toRecord(row), body: row.body };
}

/** Points delivery rows of a release that was folded into another at the one that remains. */
export async function moveDeliveries(sql: Sql, fromReleaseId: string, toReleaseId: string): Promise<void> {
  await sql.run("UPDATE deliveries SET release_id = ? WHERE release_id = ?", [toReleaseId, fromReleaseId]);
}

export interface DeliveryFilter {
  provider?: Provider | undefined;
  outcome?: DeliveryOutcome | undefined;
  /** Rows older than this id (the previous page's `next_cursor`). */
  before?: number | undefined;
  limit: number;
}

/** The delivery log, newest first, through the (provider, outcome, seq) or (outcome, seq) index. */
export async function listDeliveries(
  sql: Sql,
  filter: DeliveryFilter,
): Promise<{ deliveries: DeliveryRecord[]; next: number | null }> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.provider !== undefined) {
    where.push("provider = ?");
    params.push(filter.provider);
  }
  if (filter.outcome !== undefined) {
    where.push("outcome = ?");
    params.push(filter.outcome);
  }
  if (filter.before !== undefined) {
    where.push("seq < ?");
    params.push(filter.before);
  }
  const rows = await sql.all<DeliveryRow>(
    `SELECT ${COLUMNS} FROM deliveries ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY seq DESC LIMIT ?`,
    [...params, filter.limit + 1],
  );
  const more = rows.length > filter.limit;
  const page = (more ? rows.slice(0, filter.limit) : rows).map(toRecord);
  const last = page[page.length - 1];
  return { deliveries: page, next: more && last ? last.id : null };
}

function toRecord(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.seq,
    provider: row.provider,
    delivery_id: row.delivery_id,
    event: row.event,
    received_at: row.received_at,
    outcome: row.outcome,
    release_id: row.release_id,
    message: row.message,
    headers: JSON.parse(row.headers) as Record<string, string>,
    replay_of: row.replay_of,
  };
}

/**
 * Deletes up to `limit` deliveries received before `before`, oldest first, through deliveries_by_time.
 * Resolves to how many went. A provider redelivering one of them later is processed again, which a
 * release's key makes harmless (the same release is updated).
 */
export async function pruneDeliveries(sql: Sql, before: string, limit: number): Promise<number> {
  const { changes } = await sql.run(
    "DELETE FROM deliveries WHERE seq IN (SELECT seq FROM deliveries WHERE received_at < ? ORDER BY received_at LIMIT ?)",
    [before, limit],
  );
  return changes;
}
