import type { Release } from "@sponge/core";
import type { Sql } from "./database.js";

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
 * Writes a release and its index rows, then recomputes the current version of every package and
 * environment the write touched (`before` holds the pairs of the previous state, so moving a release to
 * another environment or correcting its status updates both sides).
 */
export async function saveRelease(
  sql: Sql,
  release: Release,
  existing: StoredRelease | undefined,
): Promise<number> {
  const doc = JSON.stringify(release);
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
  for (const pkg of release.packages) {
    await sql.run(
      `INSERT INTO release_packages (release_seq, name, environment, version, status, started_at, finished_at, release_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        seq,
        pkg.name,
        release.environment,
        pkg.version,
        pkg.status,
        pkg.started_at ?? release.started_at,
        pkg.finished_at,
        release.id,
      ],
    );
  }
  const tags = new Set<string>();
  const addTag = async (kind: string, value: string) => {
    const unique = `${kind}\u0000${value}`;
    if (tags.has(unique)) return;
    tags.add(unique);
    await sql.run(
      "INSERT INTO release_tags (release_seq, kind, value, started_at, release_id) VALUES (?, ?, ?, ?, ?)",
      [seq, kind, value, release.started_at, release.id],
    );
  };
  for (const reference of release.references) await addTag("reference", reference);
  for (const platform of release.platforms) await addTag("platform", platform);
  for (const host of release.hosts) await addTag("host", host.name);

  const pairs = new Map<string, [string, string]>();
  for (const pkg of [...(existing?.release.packages ?? [])]) {
    const environment = existing?.release.environment ?? release.environment;
    pairs.set(`${pkg.name}\u0000${environment}`, [pkg.name, environment]);
  }
  for (const pkg of release.packages)
    pairs.set(`${pkg.name}\u0000${release.environment}`, [pkg.name, release.environment]);
  for (const [name, environment] of pairs.values()) await refreshCurrentVersion(sql, name, environment);
  return seq;
}

/** The current version is the latest succeeded deployment of the package there, by finish time. */
async function refreshCurrentVersion(sql: Sql, name: string, environment: string): Promise<void> {
  const latest = await sql.get<{ release_seq: number; version: string | null; finished_at: string }>(
    `SELECT release_seq, version, finished_at FROM release_packages
     WHERE name = ? AND environment = ? AND status = 'succeeded' AND finished_at IS NOT NULL
     ORDER BY finished_at DESC LIMIT 1`,
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

/**
 * The succeeded deployment of a package in an environment that was current when `before` began
 * (excluding the release itself): its version and the release's commits.
 */
export async function previousDeployment(
  sql: Sql,
  name: string,
  environment: string,
  before: string,
  excludeSeq: number | undefined,
): Promise<{ version: string | null; release_seq: number; doc: string } | undefined> {
  return sql.get(
    `SELECT p.version, p.release_seq, r.doc FROM release_packages p JOIN releases r ON r.seq = p.release_seq
     WHERE p.name = ? AND p.environment = ? AND p.status = 'succeeded' AND p.finished_at IS NOT NULL
       AND p.finished_at <= ? AND p.release_seq != ?
     ORDER BY p.finished_at DESC LIMIT 1`,
    [name, environment, before, excludeSeq ?? -1],
  );
}

/** Whether `version` of the package succeeded there before `before` (a redeploy of it is a rollback). */
export async function wasDeployedBefore(
  sql: Sql,
  name: string,
  environment: string,
  version: string,
  before: string,
  excludeSeq: number | undefined,
): Promise<boolean> {
  const row = await sql.get(
    `SELECT 1 FROM release_packages WHERE name = ? AND environment = ? AND version = ? AND status = 'succeeded'
       AND finished_at IS NOT NULL AND finished_at <= ? AND release_seq != ? LIMIT 1`,
    [name, environment, version, before, excludeSeq ?? -1],
  );
  return row !== undefined;
}
