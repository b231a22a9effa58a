import type { Release, Status } from "@sponge/core";
import type { Sql } from "../store/database.js";
import { lastDeploymentOfVersion } from "../store/read-queries.js";
import { parseReleaseDoc } from "./release-docs.js";
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

/** The current version of a package in an environment and the release behind it. */
export interface CurrentCell {
  version: string | null;
  deployed_at: string;
  release_id: string;
  person: string | null;
  rollback: boolean;
}

/**
 * One cell of the environments × packages matrix: the current version, if a deployment of the package
 * there ever succeeded, and the newest attempt when it did not become current (running, queued, failed or
 * cancelled). A cell has at least one of the two.
 */
export interface MatrixCell {
  package: string;
  environment: string;
  /** The team of the current version's release, or of the latest attempt's when there is no current version. */
  team: string | null;
  current: CurrentCell | null;
  latest: LatestAttempt | null;
  /** When the package was taken out of the environment, if it was and nothing became current since. */
  removed_at: string | null;
}

/** Upper bound on matrix cells read per page (packages × environments). */
export const MATRIX_LIMIT = 5000;

interface MatrixRow {
  package: string;
  environment: string;
  version: string | null;
  deployed_at: string | null;
  release_id: string | null;
  person: string | null;
  team: string | null;
  rollback: number | null;
  latest_version: string | null;
  latest_status: Status | null;
  latest_release_id: string | null;
  latest_started_at: string | null;
  latest_person: string | null;
  latest_team: string | null;
  removed_at: string | null;
}

/**
 * Every (package, environment) pair that was ever deployed, in order, found by skipping through the
 * (name, environment, started_at) index: one seek per pair, and one more per package to reach the next
 * one (the "loose index scan" of https://www.sqlite.org/lang_with.html). The walk is a single chain (a
 * row whose environment is NULL moves on to the next package), so it yields the pairs sorted and stops
 * as soon as the outer LIMIT is met.
 */
const PAIRS = `pairs(name, environment) AS (
  SELECT head.name, (SELECT min(environment) FROM release_packages WHERE name = head.name)
  FROM (SELECT min(name) AS name FROM release_packages) head
  UNION ALL
  SELECT
    CASE WHEN pairs.environment IS NULL
      THEN (SELECT min(name) FROM release_packages WHERE name > pairs.name)
      ELSE pairs.name END,
    CASE WHEN pairs.environment IS NULL
      THEN (SELECT min(environment) FROM release_packages
            WHERE name = (SELECT min(name) FROM release_packages WHERE name > pairs.name))
      ELSE (SELECT min(environment) FROM release_packages
            WHERE name = pairs.name AND environment > pairs.environment) END
  FROM pairs WHERE pairs.name IS NOT NULL
)`;

/**
 * The matrix: each (package, environment) pair ever deployed (see PAIRS), with its current version from
 * the current_versions table (kept by the writer) joined to its release by primary key, and its newest
 * deployment found with one seek on the (name, environment, started_at) index: no history is scanned.
 * A pair with no current version (its deployments there all failed, or the first one is still running)
 * still gets its cell, from the newest deployment. The package's own rollback flag is read from the
 * stored document, falling back to the release's.
 */
export async function matrixCells(sql: Sql, filter: { team?: string | undefined }): Promise<MatrixCell[]> {
  const rows = await sql.all<MatrixRow>(
    `WITH RECURSIVE ${PAIRS}
     SELECT k.name AS package, k.environment, c.version, c.deployed_at, r.id AS release_id, r.person, r.team,
       COALESCE((SELECT json_extract(j.value, '$.rollback') FROM json_each(r.doc, '$.packages') j
                 WHERE json_extract(j.value, '$.name') = c.package), r.rollback) AS rollback,
       l.version AS latest_version, l.status AS latest_status, l.release_id AS latest_release_id,
       l.started_at AS latest_started_at, lr.person AS latest_person, lr.team AS latest_team,
       (SELECT MAX(m.removed_at) FROM removals m WHERE m.package = k.name AND m.environment = k.environment)
         AS removed_at
     FROM pairs k
     LEFT JOIN current_versions c ON c.package = k.name AND c.environment = k.environment
     LEFT JOIN releases r ON r.seq = c.release_seq
     LEFT JOIN release_packages l ON l.name = k.name AND l.release_seq = (
       SELECT p.release_seq FROM release_packages p WHERE p.name = k.name AND p.environment = k.environment
       ORDER BY p.started_at DESC LIMIT 1)
     LEFT JOIN releases lr ON lr.seq = l.release_seq
     WHERE k.environment IS NOT NULL
       ${filter.team === undefined ? "" : "AND (CASE WHEN c.package IS NULL THEN lr.team ELSE r.team END) = ?"}
     LIMIT ?`,
    filter.team === undefined ? [MATRIX_LIMIT] : [filter.team, MATRIX_LIMIT],
  );
  const cells = rows.map((row): MatrixCell => {
    const current =
      row.release_id !== null && row.deployed_at !== null
        ? {
            version: row.version,
            deployed_at: row.deployed_at,
            release_id: row.release_id,
            person: row.person,
            rollback: row.rollback === 1,
          }
        : null;
    const attempt =
      row.latest_release_id !== null && row.latest_status !== null && row.latest_started_at !== null
        ? {
            version: row.latest_version,
            status: row.latest_status,
            release_id: row.latest_release_id,
            started_at: row.latest_started_at,
            person: row.latest_person,
          }
        : null;
    const newer =
      attempt !== null &&
      (current === null ||
        (attempt.release_id !== current.release_id &&
          attempt.status !== "succeeded" &&
          attempt.started_at > current.deployed_at));
    return {
      package: row.package,
      environment: row.environment,
      team: current === null ? row.latest_team : row.team,
      current,
      latest: newer ? attempt : null,
      removed_at: current === null ? row.removed_at : null,
    };
  });
  // The walk yields the pairs in this order already; sorting again costs little and does not rely on it.
  return cells.sort((a, b) => compareText(a.package, b.package) || compareText(a.environment, b.environment));
}

/** Orders like SQLite's default (binary) collation for the names the store keeps. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What is deploying now: the running releases, then the queued ones. */
export interface OngoingReleases {
  releases: Release[];
  /** More releases are running or queued than were listed. */
  more: boolean;
}

/**
 * The running releases, newest first, then the queued ones, newest first (a release left queued long ago
 * is the one to drop when the list is full), at most `limit` in all. Each status is one range of the
 * status index; the team is checked on the rows found (`+team`), because the team index would walk that
 * team's whole history looking for the few releases still going.
 */
export async function ongoingReleases(
  sql: Sql,
  team: string | undefined,
  limit: number,
): Promise<OngoingReleases> {
  const byTeam = team === undefined ? "" : "AND +team = ?";
  const arm = (status: "running" | "queued") =>
    `SELECT * FROM (SELECT doc, '${status}' AS ongoing, started_at, id FROM releases
       WHERE status = '${status}' ${byTeam} ORDER BY started_at DESC, id DESC LIMIT ?)`;
  const armParams = team === undefined ? [limit + 1] : [team, limit + 1];
  const rows = await sql.all<{ doc: string; ongoing: "running" | "queued"; started_at: string; id: string }>(
    `${arm("running")} UNION ALL ${arm("queued")}`,
    [...armParams, ...armParams],
  );
  const rank = { running: 0, queued: 1 } as const;
  rows.sort(
    (a, b) =>
      rank[a.ongoing] - rank[b.ongoing] || compareText(b.started_at, a.started_at) || compareText(b.id, a.id),
  );
  return {
    releases: rows.slice(0, limit).map((row) => parseReleaseDoc(row.doc)),
    more: rows.length > limit,
  };
}

/** The id and status of a release. */
export interface ReleaseMark {
  id: string;
  status: Status;
}

/**
 * The newest release (of a team), as the overview's latest releases list it first: one seek at the end
 * of the start-time or team index. The live overview watches it to see a release recorded already
 * finished, which never appears among the ongoing ones.
 */
export async function newestRelease(sql: Sql, team: string | undefined): Promise<ReleaseMark | undefined> {
  const where = team === undefined ? "" : "WHERE team = ?";
  return sql.get<ReleaseMark>(
    `SELECT id, status FROM releases ${where} ORDER BY started_at DESC, id DESC LIMIT 1`,
    team === undefined ? [] : [team],
  );
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
  /**
   * Succeeded deployments in `from` that `to` lacks, counted as /api/compare lists them (capped at
   * DRIFT_AHEAD_CAP): since `from` last deployed the version `to` runs.
   */
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
      // As /api/compare counts: after `from`'s latest deployment of the version `to` runs, or, when that
      // version never ran in `from` (a hotfix), after `to` got it; everything when `to` never ran it.
      const anchor =
        row.to_release === null
          ? undefined
          : ((await lastDeploymentOfVersion(sql, row.package, from, row.to_version)) ?? {
              finished_at: row.to_deployed_at ?? "",
              release_seq: Number.MAX_SAFE_INTEGER,
            });
      const counted = await sql.get<{ n: number }>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM release_packages
           WHERE name = ? AND environment = ? AND status = 'succeeded' AND finished_at IS NOT NULL
             AND (finished_at, release_seq) > (?, ?) LIMIT ?)`,
        [row.package, from, anchor?.finished_at ?? "", anchor?.release_seq ?? -1, DRIFT_AHEAD_CAP],
      );
      ahead = counted?.n ?? 0;
    }
    result.push({ ...row, ahead });
  }
  return result;
}
