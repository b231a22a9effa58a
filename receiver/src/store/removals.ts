import type { Sql } from "./database.js";

/** A service taken out of an environment. */
export interface Removal {
  /** The producer's name for it (a CDEvents subject id). */
  service: string;
  environment: string;
  /** ISO 8601 UTC. */
  removedAt: string;
}

/**
 * Takes what `service` runs in an environment out of the current-version table: the packages named like the
 * service, and those whose current deployment a CDEvents producer recorded for that service (`ci.service`).
 * A deployment that finished after the removal stays current (the removal arrived late). The removal is kept
 * per package and environment, so a deployment that finished before it, recorded later, does not become
 * current again; one that finished after it does.
 *
 * @returns the names of the packages removed, none when nothing of the service was current there
 */
export async function recordRemoval(sql: Sql, removal: Removal): Promise<string[]> {
  const current = await sql.all<{ package: string }>(
    `SELECT c.package FROM current_versions c JOIN releases r ON r.seq = c.release_seq
     WHERE c.environment = ?1 AND c.deployed_at <= ?3
       AND (c.package = ?2 OR (r.source = 'cdevents' AND json_extract(r.doc, '$.ci.service') = ?2))
     ORDER BY c.package`,
    [removal.environment, removal.service, removal.removedAt],
  );
  for (const { package: name } of current) {
    await sql.run(
      `INSERT INTO removals (package, environment, removed_at, service) VALUES (?, ?, ?, ?)
       ON CONFLICT (package, environment) DO UPDATE SET removed_at = excluded.removed_at, service = excluded.service
       WHERE excluded.removed_at > removals.removed_at`,
      [name, removal.environment, removal.removedAt, removal.service],
    );
    await sql.run("DELETE FROM current_versions WHERE package = ? AND environment = ?", [
      name,
      removal.environment,
    ]);
  }
  return current.map((row) => row.package);
}

/** When a package was last removed from an environment, if it was. */
export async function removedAt(sql: Sql, name: string, environment: string): Promise<string | undefined> {
  const row = await sql.get<{ removed_at: string }>(
    "SELECT removed_at FROM removals WHERE package = ? AND environment = ?",
    [name, environment],
  );
  return row?.removed_at;
}
