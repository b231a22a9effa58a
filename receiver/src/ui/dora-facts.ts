import type { DoraFact } from "@sponge/core";
import type { Sql } from "../store/database.js";

/** A DORA fact with what the dashboard groups it by. */
export interface TaggedFact extends DoraFact {
  environment: string;
  team: string | null;
}

export interface FactScope {
  environments: readonly string[];
  team?: string | undefined;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

/** Upper bound on finished releases read for one environment's window. */
export const FACT_LIMIT = 100_000;
/** Upper bound on restore look-ups (one index seek each) per environment. */
const RESTORE_LOOKUPS = 2000;

interface FinishedRow {
  seq: number;
  status: "succeeded" | "failed";
  finished_at: string;
  team: string | null;
  lead_time_ms: number | null;
  name: string | null;
  version: string | null;
}

/**
 * The facts behind the DORA charts (DESIGN.md "DORA metrics"), read per environment from the releases'
 * (environment, finished_at) index: each succeeded or failed release in [from, to); a succeeded release
 * counts as a failure when a later rollback there restored the version before it; time to restore runs
 * to the next succeeded deployment of the failed package (one seek on the succeeded-deployments index).
 */
export async function doraFacts(sql: Sql, scope: FactScope): Promise<TaggedFact[]> {
  const facts: TaggedFact[] = [];
  for (const environment of scope.environments)
    facts.push(...(await environmentFacts(sql, environment, scope)));
  return facts;
}

async function environmentFacts(sql: Sql, environment: string, scope: FactScope): Promise<TaggedFact[]> {
  const from = new Date(scope.from).toISOString();
  const to = new Date(scope.to).toISOString();
  const teamClause = scope.team === undefined ? "" : "AND r.team = ?";
  const rows = await sql.all<FinishedRow>(
    `SELECT r.seq, r.status, r.finished_at, r.team, r.lead_time_ms, p.name, p.version
     FROM releases r LEFT JOIN release_packages p ON p.release_seq = r.seq
     WHERE r.environment = ? AND r.finished_at >= ? AND r.finished_at < ? AND r.status IN ('succeeded', 'failed')
       ${teamClause}
     ORDER BY r.finished_at LIMIT ?`,
    [environment, from, to, ...(scope.team === undefined ? [] : [scope.team]), FACT_LIMIT],
  );
  const releases = new Map<
    number,
    { row: FinishedRow; packages: { name: string; version: string | null }[] }
  >();
  for (const row of rows) {
    const entry = releases.get(row.seq) ?? { row, packages: [] };
    if (row.name !== null) entry.packages.push({ name: row.name, version: row.version });
    releases.set(row.seq, entry);
  }

  const rolledBack = await rolledBackReleases(sql, environment, from, releases);
  const facts: TaggedFact[] = [];
  let lookups = 0;
  for (const [seq, { row, packages }] of releases) {
    const failure = row.status === "failed" || rolledBack.has(seq);
    let restoreMs: number | null = null;
    if (failure && lookups < RESTORE_LOOKUPS) {
      const restores: number[] = [];
      for (const pkg of packages) {
        lookups++;
        const next = await sql.get<{ finished_at: string }>(
          `SELECT finished_at FROM release_packages
           WHERE name = ? AND environment = ? AND status = 'succeeded' AND finished_at > ?
           ORDER BY finished_at LIMIT 1`,
          [pkg.name, environment, row.finished_at],
        );
        if (next) restores.push(Date.parse(next.finished_at) - Date.parse(row.finished_at));
      }
      restoreMs = restores.length > 0 && restores.length === packages.length ? Math.max(...restores) : null;
    }
    facts.push({
      environment,
      team: row.team,
      finishedAt: row.finished_at,
      succeeded: row.status === "succeeded",
      failure,
      leadTimeMs: row.lead_time_ms,
      restoreMs,
    });
  }
  return facts;
}

/**
 * Succeeded releases in the window whose version a later rollback replaced: a rollback package's
 * previous_version names the version it undid; the latest succeeded release of that package at that
 * version before the rollback is the failure.
 */
async function rolledBackReleases(
  sql: Sql,
  environment: string,
  from: string,
  releases: ReadonlyMap<number, { row: FinishedRow; packages: { name: string; version: string | null }[] }>,
): Promise<Set<number>> {
  const undone = await sql.all<{ name: string; version: string; before: string }>(
    `SELECT json_extract(j.value, '$.name') AS name, json_extract(j.value, '$.previous_version') AS version,
       r.finished_at AS before
     FROM releases r, json_each(r.doc, '$.packages') j
     WHERE r.environment = ? AND r.finished_at >= ? AND r.rollback = 1 AND r.status = 'succeeded'
       AND json_extract(j.value, '$.rollback') = 1 AND json_extract(j.value, '$.previous_version') IS NOT NULL
     LIMIT ?`,
    [environment, from, FACT_LIMIT],
  );
  const deployed = new Map<string, { seq: number; finished_at: string }[]>();
  for (const [seq, { row, packages }] of releases) {
    if (row.status !== "succeeded") continue;
    for (const pkg of packages) {
      const key = `${pkg.name}\u0000${pkg.version}`;
      deployed.set(key, [...(deployed.get(key) ?? []), { seq, finished_at: row.finished_at }]);
    }
  }
  const failures = new Set<number>();
  for (const { name, version, before } of undone) {
    let match: { seq: number; finished_at: string } | undefined;
    for (const candidate of deployed.get(`${name}\u0000${version}`) ?? []) {
      if (candidate.finished_at <= before && (!match || candidate.finished_at > match.finished_at)) {
        match = candidate;
      }
    }
    if (match) failures.add(match.seq);
  }
  return failures;
}
