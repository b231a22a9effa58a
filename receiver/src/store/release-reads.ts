import type { Status } from "@sponge/core";
import type { Sql, SqlValue } from "./database.js";

export interface ReleaseFilter {
  package?: string | undefined;
  environment?: string | undefined;
  status?: Status | undefined;
  team?: string | undefined;
  person?: string | undefined;
  platform?: string | undefined;
  reference?: string | undefined;
  host?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
  cursor?: { startedAt: string; id: string } | undefined;
}

export interface ReleasePage {
  /** Stored JSON documents, newest first. */
  docs: string[];
  next: { startedAt: string; id: string } | null;
}

/**
 * Lists releases by (started_at, id) descending. The most selective filter drives the query through its
 * index (package, then a tag, then the releases table's own indexes), so no filter scans the history.
 */
export async function listReleases(sql: Sql, filter: ReleaseFilter): Promise<ReleasePage> {
  const query = buildListQuery(filter);
  const rows = await sql.all<{ doc: string; started_at: string; id: string }>(query.sql, query.params);
  const more = rows.length > filter.limit;
  const page = more ? rows.slice(0, filter.limit) : rows;
  const last = page[page.length - 1];
  return {
    docs: page.map((r) => r.doc),
    next: more && last ? { startedAt: last.started_at, id: last.id } : null,
  };
}

/** The SQL of a history page (exported so tests can check its query plan). */
export function buildListQuery(filter: ReleaseFilter): { sql: string; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  let from: string;
  let order: string;
  const driverTag =
    filter.package === undefined
      ? (["reference", "host", "platform"] as const).find((kind) => filter[kind] !== undefined)
      : undefined;
  if (filter.package !== undefined) {
    from = "release_packages d JOIN releases r ON r.seq = d.release_seq";
    where.push("d.name = ?");
    params.push(filter.package);
    order = "d.started_at DESC, d.release_id DESC";
  } else if (driverTag) {
    from = "release_tags d JOIN releases r ON r.seq = d.release_seq";
    where.push("d.kind = ? AND d.value = ?");
    params.push(driverTag, filter[driverTag] ?? "");
    order = "d.started_at DESC, d.release_id DESC";
  } else {
    from = "releases r";
    order = "r.started_at DESC, r.id DESC";
  }
  const d = from === "releases r" ? "r" : "d";
  const idColumn = d === "r" ? "r.id" : "d.release_id";
  const tagFilter = (kind: "reference" | "host" | "platform", value: string | undefined) => {
    if (value === undefined || kind === driverTag) return;
    where.push(
      "EXISTS (SELECT 1 FROM release_tags t WHERE t.release_seq = r.seq AND t.kind = ? AND t.value = ?)",
    );
    params.push(kind, value);
  };
  tagFilter("reference", filter.reference);
  tagFilter("host", filter.host);
  tagFilter("platform", filter.platform);
  for (const column of ["environment", "status", "team", "person"] as const) {
    const value = filter[column];
    if (value !== undefined) {
      where.push(`r.${column} = ?`);
      params.push(value);
    }
  }
  if (filter.since !== undefined) {
    where.push(`${d}.started_at >= ?`);
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    where.push(`${d}.started_at < ?`);
    params.push(filter.until);
  }
  if (filter.cursor) {
    where.push(`(${d}.started_at, ${idColumn}) < (?, ?)`);
    params.push(filter.cursor.startedAt, filter.cursor.id);
  }
  return {
    sql: `SELECT r.doc, ${d}.started_at, ${idColumn} AS id FROM ${from}
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order} LIMIT ?`,
    params: [...params, filter.limit + 1],
  };
}

export async function getReleaseDoc(sql: Sql, id: string): Promise<string | undefined> {
  return (await sql.get<{ doc: string }>("SELECT doc FROM releases WHERE id = ?", [id]))?.doc;
}

export interface CurrentVersion {
  package: string;
  environment: string;
  version: string | null;
  release_id: string;
  deployed_at: string;
  person: string | null;
  team: string | null;
  commit: string | null;
}

/** The current version of a package in an environment, from the current-version table (no history scan). */
export async function currentVersion(
  sql: Sql,
  name: string,
  environment: string,
): Promise<CurrentVersion | undefined> {
  return sql.get<CurrentVersion>(
    `SELECT c.package, c.environment, c.version, r.id AS release_id, c.deployed_at, r.person, r.team,
       r.commit_sha AS "commit"
     FROM current_versions c JOIN releases r ON r.seq = c.release_seq WHERE c.package = ? AND c.environment = ?`,
    [name, environment],
  );
}

export interface LogRow {
  id: number;
  ts: string;
  level: string;
  host: string | null;
  message: string;
}

export async function releaseLogs(sql: Sql, releaseId: string, after: number, limit: number) {
  return sql.all<LogRow>(
    `SELECT l.id, l.ts, l.level, l.host, l.message FROM logs l JOIN releases r ON r.seq = l.release_seq
     WHERE r.id = ? AND l.id > ? ORDER BY l.id LIMIT ?`,
    [releaseId, after, limit],
  );
}
