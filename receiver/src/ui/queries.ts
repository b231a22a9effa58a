import type { Status } from "@sponge/core";
import type { Sql } from "../store/database.js";
/** Map key of a matrix cell. */
export function cellKey(pkg: string, environment: string): string {
  return `${pkg}\u0000${environment}`;
}

/** The newest deployment of a package in an environment, when it is not the current version's. */
export interface LatestAttempt {
  version: string | null;
  status: Status;
  release_id: string;
  started_at: string;
  person: string | null;
}

/** One cell of the environments × packages matrix: the current version and the release behind it. */
export interface MatrixCell {
  package: string;
  environment: string;
  version: string | null;
  deployed_at: string;
  release_id: string;
  person: string | null;
  team: string | null;
  rollback: boolean;
  /** A newer attempt that did not (yet) become current: running, failed or cancelled. */
  latest: LatestAttempt | null;
}

/** Upper bound on matrix cells read per page (packages × environments). */
export const MATRIX_LIMIT = 5000;

interface MatrixRow {
  package: string;
  environment: string;
  version: string | null;
  deployed_at: string;
  release_id: string;
  person: string | null;
  team: string | null;
  rollback: number | null;
  latest_version: string | null;
  latest_status: Status | null;
  latest_release_id: string | null;
  latest_started_at: string | null;
  latest_person: string | null;
}

/**
 * Current versions from the current_versions table (one row per package and environment, kept by the
 * writer), joined to their release by primary key, plus the newest deployment of each cell found with one
 * seek on the (name, environment, started_at) index: no history is scanned. The package's own rollback
 * flag is read from the stored document, falling back to the release's.
 */
export async function matrixCells(sql: Sql, filter: { team?: string | undefined }): Promise<MatrixCell[]> {
  const rows = await sql.all<MatrixRow>(
    `SELECT c.package, c.environment, c.version, c.deployed_at, r.id AS release_id, r.person, r.team,
       COALESCE((SELECT json_extract(j.value, '$.rollback') FROM json_each(r.doc, '$.packages') j
                 WHERE json_extract(j.value, '$.name') = c.package), r.rollback) AS rollback,
       l.version AS latest_version, l.status AS latest_status, l.release_id AS latest_release_id,
       l.started_at AS latest_started_at, lr.person AS latest_person
     FROM current_versions c JOIN releases r ON r.seq = c.release_seq
     LEFT JOIN release_packages l ON l.name = c.package AND l.release_seq = (
       SELECT p.release_seq FROM release_packages p WHERE p.name = c.package AND p.environment = c.environment
       ORDER BY p.started_at DESC LIMIT 1)
     LEFT JOIN releases lr ON lr.seq = l.release_seq
     ${filter.team === undefined ? "" : "WHERE r.team = ?"}
     ORDER BY c.package, c.environment LIMIT ?`,
    filter.team === undefined ? [MATRIX_LIMIT] : [filter.team, MATRIX_LIMIT],
  );
  return rows.map((row) => ({
    package: row.package,
    environment: row.environment,
    version: row.version,
    deployed_at: row.deployed_at,
    release_id: row.release_id,
    person: row.person,
    team: row.team,
    rollback: row.rollback === 1,
    latest:
      row.latest_release_id !== null &&
      row.latest_release_id !== row.release_id &&
      row.latest_status !== null &&
      row.latest_status !== "succeeded" &&
      row.latest_started_at !== null &&
      row.latest_started_at > row.deployed_at
        ? {
            version: row.latest_version,
            status: row.latest_status,
            release_id: row.latest_release_id,
            started_at: row.latest_started_at,
            person: row.latest_person,
          }
        : null,
  }));
}

/** Filter values the store's read queries do not list (environments and packages they do). */
const DISTINCT_SOURCES = {
  team: { table: "releases", column: "team" },
  person: { table: "releases", column: "person" },
} as const;

/** A column whose distinct values the filters offer. */
export type DistinctField = keyof typeof DISTINCT_SOURCES;

/**
 * Distinct values of an indexed column by skipping through its index (one seek per value, the "loose
 * index scan" of https://www.sqlite.org/lang_with.html), never reading every row.
 */
export async function distinctValues(sql: Sql, field: DistinctField, limit = 500): Promise<string[]> {
  const { table, column } = DISTINCT_SOURCES[field];
  const rows = await sql.all<{ value: string }>(
    `WITH RECURSIVE v(x) AS (
       SELECT (SELECT min(${column}) FROM ${table} WHERE ${column} IS NOT NULL)
       UNION ALL
       SELECT (SELECT min(${column}) FROM ${table} WHERE ${column} > v.x) FROM v WHERE v.x IS NOT NULL
     ) SELECT x AS value FROM v WHERE x IS NOT NULL LIMIT ?`,
    [limit],
  );
  return rows.map((row) => row.value);
}

/** Release counts by status since a time (a range on the start-time or team index), and rollbacks. */
export async function recentCounts(
  sql: Sql,
  since: string,
  team: string | undefined,
): Promise<{ byStatus: Partial<Record<Status, number>>; rollbacks: number }> {
  const where = team === undefined ? "started_at >= ?" : "team = ? AND started_at >= ?";
  const params = team === undefined ? [since] : [team, since];
  // `+status`: grouping on the bare column lets the planner walk the whole status index for its order;
  // the range on started_at (or team) is what must drive this query.
  const rows = await sql.all<{ status: Status; n: number; rollbacks: number }>(
    `SELECT status, count(*) AS n, sum(rollback) AS rollbacks FROM releases WHERE ${where} GROUP BY +status`,
    params,
  );
  return {
    byStatus: Object.fromEntries(rows.map((row) => [row.status, row.n])),
    rollbacks: rows.reduce((sum, row) => sum + (row.rollbacks ?? 0), 0),
  };
}

/** One package's current version in two environments. */
export interface DriftRow {
  package: string;
  from_version: string | null;
  from_deployed_at: string;
  from_release: string;
  to_version: string | null;
  to_deployed_at: string | null;
  to_release: string | null;
  /** Succeeded deployments in `from` since `to` got its current version (capped at DRIFT_AHEAD_CAP). */
  ahead: number;
}

export const DRIFT_AHEAD_CAP = 100;

/**
 * The drift between two environments (staging versus production): each package current in `from`, with
 * its current version in `to` and how many deployments `to` is behind. Reads current_versions by its
 * environment index and counts on the succeeded-deployments index.
 */
export async function drift(sql: Sql, from: string, to: string, limit = 500): Promise<DriftRow[]> {
  const rows = await sql.all<Omit<DriftRow, "ahead">>(
    `SELECT a.package, a.version AS from_version, a.deployed_at AS from_deployed_at, ra.id AS from_release,
       b.version AS to_version, b.deployed_at AS to_deployed_at, rb.id AS to_release
     FROM current_versions a JOIN releases ra ON ra.seq = a.release_seq
     LEFT JOIN current_versions b ON b.package = a.package AND b.environment = ?
     LEFT JOIN releases rb ON rb.seq = b.release_seq
     WHERE a.environment = ? ORDER BY a.package LIMIT ?`,
    [to, from, limit],
  );
  const result: DriftRow[] = [];
  for (const row of rows) {
    let ahead = 0;
    if (row.from_version !== row.to_version) {
      const counted = await sql.get<{ n: number }>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM release_packages
           WHERE name = ? AND environment = ? AND status = 'succeeded' AND finished_at > ? LIMIT ?)`,
        [row.package, from, row.to_deployed_at ?? "", DRIFT_AHEAD_CAP],
      );
      ahead = counted?.n ?? 0;
    }
    result.push({ ...row, ahead });
  }
  return result;
}
