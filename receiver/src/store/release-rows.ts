import type { Release } from "@sponge/core";
import type { Sql, SqlValue } from "./database.js";

/** The internal row number and the stored document of a release. */
export interface StoredRelease {
  seq: number;
  release: Release;
}

export async function loadById(sql: Sql, id: string): Promise<StoredRelease | undefined> {
  const row = await sql.get<{ seq: number; doc: string }>("SELECT seq, doc FROM releases WHERE id = ?", [id]);
  return row && { seq: row.seq, release: JSON.parse(row.doc) as Release };
}

export async function loadByKey(sql: Sql, key: string): Promise<StoredRelease | undefined> {
  const row = await sql.get<{ seq: number; doc: string }>("SELECT seq, doc FROM releases WHERE key = ?", [
    key,
  ]);
  return row && { seq: row.seq, release: JSON.parse(row.doc) as Release };
}

/**
 * The releases one source recorded for a GitHub workflow run, oldest first, through the partial indexes on
 * (repository, ci.run_id) for `github-action` and `github` releases.
 */
export async function releasesOfRun(
  sql: Sql,
  repository: string,
  runId: string,
  source: "github-action" | "github",
): Promise<StoredRelease[]> {
  // The source is written into the SQL, not bound: a partial index is used only when the query's WHERE
  // names its condition literally.
  const rows = await sql.all<{ seq: number; doc: string }>(
    `SELECT seq, doc FROM releases
     WHERE repository = ? AND json_extract(doc, '$.ci.run_id') = ? AND source = '${source}' ORDER BY seq`,
    [repository, runId],
  );
  return rows.map((row) => ({ seq: row.seq, release: JSON.parse(row.doc) as Release }));
}

/**
 * Writes a release and its index rows, then brings the current-version table up to date for every package
 * and environment the write touched (`existing` holds the previous state, so moving a release to another
 * environment or correcting its status updates both sides). `doc` is the release's JSON when the caller has
 * it already. Resolves to the release's row number.
 */
export async function saveRelease(
  sql: Sql,
  release: Release,
  existing: StoredRelease | undefined,
  doc: string = JSON.stringify(release),
): Promise<number> {
  const row = [
    release.key,
    release.status,
    release.environment,
    release.person,
    release.team,
    release.source,
    release.repository,
    release.commit,
    release.started_at,
    release.finished_at,
    release.duration_ms,
    release.lead_time_ms,
    release.rollback ? 1 : 0,
    doc,
    release.updated_at,
  ];
  let seq: number;
  if (existing) {
    seq = existing.seq;
    await sql.run(
      `UPDATE releases SET key = ?, status = ?, environment = ?, person = ?, team = ?, source = ?, repository = ?,
        commit_sha = ?, started_at = ?, finished_at = ?, duration_ms = ?, lead_time_ms = ?, rollback = ?, doc = ?,
        updated_at = ? WHERE seq = ?`,
      [...row, seq],
    );
    await sql.run("DELETE FROM release_packages WHERE release_seq = ?", [seq]);
    await sql.run("DELETE FROM release_tags WHERE release_seq = ?", [seq]);
  } else {
    const inserted = await sql.get<{ seq: number }>(
      `INSERT INTO releases (key, status, environment, person, team, source, repository, commit_sha, started_at,
        finished_at, duration_ms, lead_time_ms, rollback, doc, updated_at, id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
      [...row, release.id],
    );
    if (!inserted) throw new Error("insert returned no row");
    seq = inserted.seq;
  }
  await insertPackageRows(sql, seq, release);
  await insertTagRows(sql, seq, release);

  if (existing) {
    const pairs = new Map<string, [string, string]>();
    for (const pkg of existing.release.packages) {
      const environment = existing.release.environment;
      pairs.set(`${pkg.name}\u0000${environment}`, [pkg.name, environment]);
    }
    for (const pkg of release.packages)
      pairs.set(`${pkg.name}\u0000${release.environment}`, [pkg.name, release.environment]);
    for (const [name, environment] of pairs.values()) await refreshCurrentVersion(sql, name, environment);
  } else {
    await advanceCurrentVersions(sql, seq, release);
  }
  return seq;
}

/** Rows per INSERT statement: few distinct statement texts to cache, far below SQLite's bound-parameter limit. */
const ROWS_PER_INSERT = 8;

/** Inserts `rows` (each `width` values) with multi-row INSERTs of at most ROWS_PER_INSERT rows. */
async function insertRows(sql: Sql, head: string, width: number, rows: SqlValue[][]): Promise<void> {
  const tuple = `(${Array.from({ length: width }, () => "?").join(", ")})`;
  for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
    const chunk = rows.slice(at, at + ROWS_PER_INSERT);
    await sql.run(`${head} VALUES ${chunk.map(() => tuple).join(", ")}`, chunk.flat());
  }
}

function insertPackageRows(sql: Sql, seq: number, release: Release): Promise<void> {
  return insertRows(
    sql,
    "INSERT INTO release_packages (release_seq, name, environment, version, status, started_at, finished_at, release_id)",
    8,
    release.packages.map((pkg) => [
      seq,
      pkg.name,
      release.environment,
      pkg.version,
      pkg.status,
      pkg.started_at ?? release.started_at,
      pkg.finished_at,
      release.id,
    ]),
  );
}

function insertTagRows(sql: Sql, seq: number, release: Release): Promise<void> {
  const seen = new Set<string>();
  const rows: SqlValue[][] = [];
  const add = (kind: string, value: string) => {
    const unique = `${kind}\u0000${value}`;
    if (seen.has(unique)) return;
    seen.add(unique);
    rows.push([seq, kind, value, release.started_at, release.id]);
  };
  for (const reference of release.references) add("reference", reference);
  for (const platform of release.platforms) add("platform", platform);
  for (const host of release.hosts) add("host", host.name);
  return insertRows(
    sql,
    "INSERT INTO release_tags (release_seq, kind, value, started_at, release_id)",
    5,
    rows,
  );
}

/**
 * A new release can only move a current version forward: for each of its succeeded packages, it becomes
 * current unless the current one finished later, or the package was removed from the environment after it
 * finished. This is what a full recompute gives (the latest succeeded deployment by finish time; on a tie,
 * the newest row, which this release is) without searching history.
 */
async function advanceCurrentVersions(sql: Sql, seq: number, release: Release): Promise<void> {
  for (const pkg of release.packages) {
    if (pkg.status !== "succeeded" || pkg.finished_at === null) continue;
    await sql.run(
      `INSERT INTO current_versions (package, environment, version, release_seq, deployed_at)
       SELECT ?1, ?2, ?3, ?4, ?5
       WHERE NOT EXISTS (SELECT 1 FROM removals WHERE package = ?1 AND environment = ?2 AND removed_at >= ?5)
       ON CONFLICT (package, environment) DO UPDATE SET version = excluded.version,
         release_seq = excluded.release_seq, deployed_at = excluded.deployed_at
       WHERE excluded.deployed_at >= current_versions.deployed_at`,
      [pkg.name, release.environment, pkg.version, seq, pkg.finished_at],
    );
  }
}

/**
 * The current version is the latest succeeded deployment of the package there, by finish time, unless the
 * package was removed from the environment after it.
 */
async function refreshCurrentVersion(sql: Sql, name: string, environment: string): Promise<void> {
  const latest = await sql.get<{ release_seq: number; version: string | null; finished_at: string }>(
    `SELECT release_seq, version, finished_at FROM release_packages
     WHERE name = ?1 AND environment = ?2 AND status = 'succeeded' AND finished_at IS NOT NULL
       AND finished_at > COALESCE((SELECT MAX(removed_at) FROM removals WHERE package = ?1 AND environment = ?2), '')
     ORDER BY finished_at DESC, release_seq DESC LIMIT 1`,
    [name, environment],
  );
  if (!latest) {
    await sql.run("DELETE FROM current_versions WHERE package = ? AND environment = ?", [name, environment]);
    return;
  }
  await sql.run(
    `INSERT INTO current_versions (package, environment, version, release_seq, deployed_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (package, environment) DO UPDATE SET version = excluded.version, release_seq = excluded.release_seq,
       deployed_at = excluded.deployed_at`,
    [name, environment, latest.version, latest.release_seq, latest.finished_at],
  );
}

/** What a package's history in an environment says about a deployment of it. */
export interface PackageHistory {
  /**
   * The succeeded deployment that was current when this one started (the release itself excluded), with
   * its release's repository and commit.
   */
  previous:
    | { version: string | null; release_seq: number; repository: string | null; commit: string | null }
    | undefined;
  /** Whether this version had succeeded there before and is not the previous one: a rollback. */
  redeployed: boolean;
}

/**
 * One indexed search per package: the previous succeeded deployment before `before` and, only when the
 * version differs from it, whether `version` had succeeded there before. A deployment that finished at
 * the very moment this one started counts as before it only when it was recorded first (a lower row
 * number), so two deployments of the same instant never both call the other previous. History before the
 * package was last removed from the environment (before `before`) does not count: a deployment after a
 * removal has no previous version and is no rollback. `excludeSeq` is the release's own row, undefined for
 * a release not stored yet (recorded after every other).
 */
export async function packageHistory(
  sql: Sql,
  name: string,
  environment: string,
  version: string | null,
  before: string,
  excludeSeq: number | undefined,
): Promise<PackageHistory> {
  const row = await sql.get<{
    version: string | null;
    release_seq: number;
    repository: string | null;
    commit_sha: string | null;
    redeployed: number;
  }>(
    `WITH removed(at) AS (
       SELECT COALESCE((SELECT MAX(removed_at) FROM removals WHERE package = ?1 AND environment = ?2 AND removed_at <= ?4), '')
     )
     SELECT p.version, p.release_seq,
       (SELECT repository FROM releases WHERE seq = p.release_seq) AS repository,
       (SELECT commit_sha FROM releases WHERE seq = p.release_seq) AS commit_sha,
       CASE WHEN ?3 IS NOT NULL AND p.version IS NOT ?3 THEN EXISTS (
         SELECT 1 FROM release_packages q WHERE q.name = ?1 AND q.environment = ?2 AND q.version = ?3
           AND q.status = 'succeeded' AND q.finished_at IS NOT NULL AND q.finished_at <= ?4 AND q.release_seq != ?5
           AND (q.finished_at < ?4 OR q.release_seq < ?5) AND q.finished_at > (SELECT at FROM removed)
       ) ELSE 0 END AS redeployed
     FROM release_packages p
     WHERE p.name = ?1 AND p.environment = ?2 AND p.status = 'succeeded' AND p.finished_at IS NOT NULL
       AND p.finished_at <= ?4 AND p.release_seq != ?5 AND (p.finished_at < ?4 OR p.release_seq < ?5)
       AND p.finished_at > (SELECT at FROM removed)
     ORDER BY p.finished_at DESC, p.release_seq DESC LIMIT 1`,
    [name, environment, version, before, excludeSeq ?? Number.MAX_SAFE_INTEGER],
  );
  return row
    ? {
        previous: {
          version: row.version,
          release_seq: row.release_seq,
          repository: row.repository,
          commit: row.commit_sha,
        },
        redeployed: row.redeployed === 1,
      }
    : { previous: undefined, redeployed: false };
}

export async function loadBySeq(sql: Sql, seq: number): Promise<StoredRelease | undefined> {
  const row = await sql.get<{ doc: string }>("SELECT doc FROM releases WHERE seq = ?", [seq]);
  return row && { seq, release: JSON.parse(row.doc) as Release };
}

/** Deployments that started after ?3, or at ?3 and recorded after release ?4 (see packageHistory's ties). */
export const DEPLOYMENTS_FROM = `SELECT release_seq, status, started_at, finished_at FROM release_packages
  WHERE name = ?1 AND environment = ?2 AND started_at >= ?3 AND (started_at > ?3 OR release_seq > ?4)
  ORDER BY started_at LIMIT ?5`;

export const REDEPLOYMENTS_FROM = `SELECT release_seq FROM release_packages
  WHERE name = ?1 AND environment = ?2 AND version = ?3 AND status = 'succeeded' AND finished_at >= ?4
    AND (finished_at > ?4 OR release_seq > ?5)
  ORDER BY finished_at LIMIT ?6`;

/** Most deployments re-derived after one write changed the history before them (see release-writer). */
export const FOLLOWING_LIMIT = 100;

/**
 * The deployments of a package in an environment that started after `from` (or at `from`, recorded after
 * release `seq`), in start order, until one starts after a succeeded one among them has finished: those
 * whose "previous succeeded deployment" release `seq`, finished at `from`, can be. Deployments that overlap
 * (one starts before another ends) are all kept. One seek in packages_by_environment.
 */
export async function deploymentsFrom(
  sql: Sql,
  name: string,
  environment: string,
  from: string,
  seq: number,
): Promise<number[]> {
  const rows = await sql.all<{
    release_seq: number;
    status: string;
    started_at: string;
    finished_at: string | null;
  }>(DEPLOYMENTS_FROM, [name, environment, from, seq, FOLLOWING_LIMIT]);
  const found: number[] = [];
  // The earliest finish of a succeeded deployment passed so far: one starting later has that one (or a
  // later one) as its previous, not release `seq`.
  let horizon: string | undefined;
  for (const row of rows) {
    if (horizon !== undefined && row.started_at > horizon) break;
    found.push(row.release_seq);
    if (
      row.status === "succeeded" &&
      row.finished_at !== null &&
      (horizon === undefined || row.finished_at < horizon)
    ) {
      horizon = row.finished_at;
    }
  }
  return found;
}

/**
 * The later succeeded deployments of the same version of a package in an environment, finished after `from`
 * (or at `from`, recorded after release `seq`): whether each was a rollback depends on that version having
 * succeeded there before. One seek in packages_succeeded_version.
 */
export async function redeploymentsFrom(
  sql: Sql,
  name: string,
  environment: string,
  version: string,
  from: string,
  seq: number,
): Promise<number[]> {
  const rows = await sql.all<{ release_seq: number }>(REDEPLOYMENTS_FROM, [
    name,
    environment,
    version,
    from,
    seq,
    FOLLOWING_LIMIT,
  ]);
  return rows.map((row) => row.release_seq);
}

/** The commit ids a stored release deployed (its commits and its head commit). */
export async function deployedCommits(sql: Sql, seq: number): Promise<Set<string>> {
  const row = await sql.get<{ doc: string }>("SELECT doc FROM releases WHERE seq = ?", [seq]);
  if (!row) return new Set();
  const release = JSON.parse(row.doc) as Release;
  return new Set([...release.commits.map((c) => c.sha), ...(release.commit ? [release.commit] : [])]);
}
