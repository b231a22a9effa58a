import type { Sql, SqlValue } from "./database.js";

/** A package, or what a service runs, taken out of an environment. */
export interface Removal {
  environment: string;
  /** ISO 8601 UTC. */
  removedAt: string;
  /** Who reported it: `cdevents`, `api`. */
  source: string;
  /** The producer's name for the service (a CDEvents subject id), when a service was removed. */
  service?: string | undefined;
}

/** What was current in an environment when it was removed. */
export interface RemovedPackage {
  package: string;
  version: string | null;
  release_id: string;
}

/** A recorded removal, as the API reports it. */
export interface RemovalRecord extends RemovedPackage {
  environment: string;
  removed_at: string;
}

/**
 * Takes what `service` runs in an environment out of the current-version table: the packages named like the
 * service, and those whose current deployment a CDEvents producer recorded for that service (`ci.service`).
 * A deployment that finished after the removal stays current (the removal arrived late).
 *
 * @returns the packages removed, none when nothing of the service was current there
 */
export async function removeService(sql: Sql, service: string, removal: Removal): Promise<RemovedPackage[]> {
  const current = await sql.all<RemovedPackage>(
    `SELECT c.package, c.version, r.id AS release_id
     FROM current_versions c JOIN releases r ON r.seq = c.release_seq
     WHERE c.environment = ?1 AND c.deployed_at <= ?3
       AND (c.package = ?2 OR (r.source = 'cdevents' AND json_extract(r.doc, '$.ci.service') = ?2))
     ORDER BY c.package`,
    [removal.environment, service, removal.removedAt],
  );
  await removePackages(sql, current, { ...removal, service });
  return current;
}

/**
 * Records the removal of packages from an environment and drops their current versions. Every removal is
 * kept, so a deployment that finished before it, recorded later, does not become current again (one that
 * finished after it does), and history before it does not count after it.
 */
export async function removePackages(
  sql: Sql,
  packages: readonly RemovedPackage[],
  removal: Removal,
): Promise<void> {
  for (const removed of packages) {
    await sql.run(
      `INSERT OR IGNORE INTO removals (package, environment, removed_at, source, service, version, release_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        removed.package,
        removal.environment,
        removal.removedAt,
        removal.source,
        removal.service ?? null,
        removed.version,
        removed.release_id,
      ],
    );
    await sql.run("DELETE FROM current_versions WHERE package = ? AND environment = ?", [
      removed.package,
      removal.environment,
    ]);
  }
}

/**
 * The package's last removal from an environment, if nothing became current there since (a deployment that
 * finished after it would have).
 */
export function lastRemoval(sql: Sql, name: string, environment: string): Promise<RemovalRecord | undefined> {
  return sql.get<RemovalRecord>(
    `SELECT m.package, m.environment, m.removed_at, m.version, m.release_id FROM removals m
     WHERE m.package = ? AND m.environment = ?
       AND NOT EXISTS (SELECT 1 FROM current_versions c WHERE c.package = m.package AND c.environment = m.environment)
     ORDER BY m.removed_at DESC LIMIT 1`,
    [name, environment],
  );
}

/** When a package was last taken out of an environment, whatever ran there since. */
export async function removedAt(sql: Sql, name: string, environment: string): Promise<string | undefined> {
  const row = await sql.get<{ removed_at: string | null }>(
    "SELECT MAX(removed_at) AS removed_at FROM removals WHERE package = ? AND environment = ?",
    [name, environment],
  );
  return row?.removed_at ?? undefined;
}

/** A removal as `GET /api/removals` lists it. */
export interface RemovalEntry extends RemovalRecord {
  /** Who reported it: `cdevents` (a `service.removed` event) or `api` (`DELETE …/current`). */
  source: string;
  /** The CDEvents service that was removed, when one was. */
  service: string | null;
}

/**
 * Removals, newest first, optionally of one package or in one environment; `limit + 1` rows so the caller
 * can tell there are more. `before` continues after the last one of a previous page.
 */
export function listRemovals(
  sql: Sql,
  filter: {
    package?: string | undefined;
    environment?: string | undefined;
    before?: RemovalCursor | undefined;
  },
  limit: number,
): Promise<RemovalEntry[]> {
  // Only the conditions given, so that SQLite picks the index they match (the primary key for a package,
  // removals_by_environment for an environment, removals_by_time for neither).
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.package !== undefined) {
    where.push("package = ?");
    params.push(filter.package);
  }
  if (filter.environment !== undefined) {
    where.push("environment = ?");
    params.push(filter.environment);
  }
  if (filter.before !== undefined) {
    where.push("(removed_at, package, environment) < (?, ?, ?)");
    params.push(filter.before.removed_at, filter.before.package, filter.before.environment);
  }
  return sql.all<RemovalEntry>(
    `SELECT package, environment, removed_at, source, service, version, release_id FROM removals
     ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY removed_at DESC, package DESC, environment DESC LIMIT ?`,
    [...params, limit + 1],
  );
}

/** Where a page of removals ended. */
export interface RemovalCursor {
  removed_at: string;
  package: string;
  environment: string;
}
