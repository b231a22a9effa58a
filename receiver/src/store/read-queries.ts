import type { Status } from "@sponge/core";
import type { Sql, SqlValue } from "./database.js";
import type { CurrentVersion } from "./release-reads.js";

/**
 * The first row of a query. Goes through `all` because libsql's `get` adds a `_metadata` property to the
 * row, which would leak into responses built from it.
 */
export async function first<T>(
  sql: Sql,
  text: string,
  params: readonly SqlValue[] = [],
): Promise<T | undefined> {
  return (await sql.all<T>(text, params))[0];
}

/**
 * Distinct values of an indexed column, found by hopping from one value to the next through the index
 * (a "skip scan"): one index seek per value, however many rows each value has.
 */
function distinctValues(sql: Sql, table: string, column: string): Promise<{ value: string }[]> {
  return sql.all<{ value: string }>(
    `WITH RECURSIVE hop(value) AS (
       SELECT (SELECT MIN(${column}) FROM ${table})
       UNION ALL
       SELECT (SELECT MIN(${column}) FROM ${table} WHERE ${column} > hop.value) FROM hop WHERE hop.value IS NOT NULL
     ) SELECT value FROM hop WHERE value IS NOT NULL`,
  );
}

/** Every environment any release names, in order. */
export async function environmentNames(sql: Sql): Promise<string[]> {
  return (await distinctValues(sql, "releases", "environment")).map((row) => row.value);
}

/** Every package name any release names, in order. */
export async function packageNames(sql: Sql): Promise<string[]> {
  return (await distinctValues(sql, "release_packages", "name")).map((row) => row.value);
}

/** All current versions (optionally of one environment), by package then environment. */
export async function allCurrentVersions(sql: Sql, environment?: string): Promise<CurrentVersion[]> {
  return sql.all<CurrentVersion>(
    `SELECT c.package, c.environment, c.version, r.id AS release_id, c.deployed_at, r.person, r.team,
       r.commit_sha AS "commit"
     FROM current_versions c JOIN releases r ON r.seq = c.release_seq
     ${environment === undefined ? "" : "WHERE c.environment = ?"}
     ORDER BY c.package, c.environment`,
    environment === undefined ? [] : [environment],
  );
}

export interface EnvironmentActivity {
  /** Packages with a current version there. */
  packages: number;
  /** The most recent succeeded deployment there. */
  last_deploy: { package: string; version: string | null; release_id: string; deployed_at: string } | null;
  /** The most recently started release there, whatever its status. */
  last_release: { id: string; status: Status; started_at: string; finished_at: string | null } | null;
}

/** What an environment holds and when it last changed; a few index seeks, no history scan. */
export async function environmentActivity(sql: Sql, environment: string): Promise<EnvironmentActivity> {
  const counted = await first<{ packages: number }>(
    sql,
    "SELECT COUNT(*) AS packages FROM current_versions WHERE environment = ?",
    [environment],
  );
  const lastDeploy = await first<NonNullable<EnvironmentActivity["last_deploy"]>>(
    sql,
    `SELECT c.package, c.version, r.id AS release_id, c.deployed_at
     FROM current_versions c JOIN releases r ON r.seq = c.release_seq
     WHERE c.environment = ? ORDER BY c.deployed_at DESC LIMIT 1`,
    [environment],
  );
  const lastRelease = await first<NonNullable<EnvironmentActivity["last_release"]>>(
    sql,
    `SELECT id, status, started_at, finished_at FROM releases WHERE environment = ?
     ORDER BY started_at DESC, id DESC LIMIT 1`,
    [environment],
  );
  return {
    packages: counted?.packages ?? 0,
    last_deploy: lastDeploy ?? null,
    last_release: lastRelease ?? null,
  };
}

/** What a badge shows: the latest deployment's status and the current version, if any. */
export interface BadgeState {
  /** Status of the most recently started deployment there that was not cancelled. */
  status: Exclude<Status, "cancelled">;
  /** Whether a version is current there (a deployment succeeded). */
  deployed: boolean;
  /** Whether nothing is current because the package was taken out of the environment. */
  removed: boolean;
  version: string | null;
}

/**
 * The badge of a package in an environment in one statement (badges are fetched far more often than
 * anything else). The latest deployment is ordered by start time only, so the index alone gives the
 * order (a tie on the millisecond picks either). Undefined when nothing but cancelled runs happened.
 */
export async function badgeState(
  sql: Sql,
  name: string,
  environment: string,
): Promise<BadgeState | undefined> {
  // `get`, not `first`: the fields are copied out below, so the driver's extra property cannot leak.
  const row = await sql.get<{
    status: BadgeState["status"];
    deployed: number;
    removed: number;
    version: string | null;
  }>(
    `SELECT l.status, c.package IS NOT NULL AS deployed,
       EXISTS (SELECT 1 FROM removals m WHERE m.package = ?1 AND m.environment = ?2) AS removed, c.version
     FROM (SELECT status FROM release_packages
           WHERE name = ?1 AND environment = ?2 AND status != 'cancelled'
           ORDER BY started_at DESC LIMIT 1) l
     LEFT JOIN current_versions c ON c.package = ?1 AND c.environment = ?2`,
    [name, environment],
  );
  return (
    row && {
      status: row.status,
      deployed: row.deployed === 1,
      removed: row.deployed === 0 && row.removed === 1,
      version: row.version,
    }
  );
}

/** Stored documents of the releases that touched a host, newest first. */
export async function hostReleaseDocs(sql: Sql, host: string, limit: number): Promise<string[]> {
  const rows = await sql.all<{ doc: string }>(
    `SELECT r.doc FROM release_tags t JOIN releases r ON r.seq = t.release_seq
     WHERE t.kind = 'host' AND t.value = ? ORDER BY t.started_at DESC, t.release_id DESC LIMIT ?`,
    [host, limit],
  );
  return rows.map((row) => row.doc);
}

/** A succeeded deployment of a package in an environment. */
export interface DeploymentRow {
  release_seq: number;
  release_id: string;
  version: string | null;
  finished_at: string;
}

/** The latest succeeded deployment of one version of a package in an environment. */
export async function lastDeploymentOfVersion(
  sql: Sql,
  name: string,
  environment: string,
  version: string | null,
): Promise<DeploymentRow | undefined> {
  return first<DeploymentRow>(
    sql,
    `SELECT release_seq, release_id, version, finished_at FROM release_packages
     WHERE name = ? AND environment = ? AND version IS ? AND status = 'succeeded' AND finished_at IS NOT NULL
     ORDER BY finished_at DESC, release_seq DESC LIMIT 1`,
    [name, environment, version],
  );
}

/**
 * Succeeded deployments of a package in an environment after a point (finish time, then row order),
 * oldest first, with their release documents; `limit + 1` rows so the caller can tell it was cut.
 */
export async function deploymentsAfter(
  sql: Sql,
  name: string,
  environment: string,
  after: { finished_at: string; release_seq: number } | undefined,
  limit: number,
): Promise<(DeploymentRow & { doc: string })[]> {
  return sql.all(
    `SELECT p.release_seq, p.release_id, p.version, p.finished_at, r.doc
     FROM release_packages p JOIN releases r ON r.seq = p.release_seq
     WHERE p.name = ? AND p.environment = ? AND p.status = 'succeeded' AND p.finished_at IS NOT NULL
       AND (p.finished_at, p.release_seq) > (?, ?)
     ORDER BY p.finished_at, p.release_seq LIMIT ?`,
    [name, environment, after?.finished_at ?? "", after?.release_seq ?? -1, limit + 1],
  );
}
