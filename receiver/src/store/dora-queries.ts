import type { DoraFact } from "@sponge/core";
import type { Sql, SqlValue } from "./database.js";

export interface DoraScope {
  environments: readonly string[];
  /** Window on finished_at: [from, to), ISO 8601 UTC. */
  from: string;
  to: string;
  team?: string | undefined;
  package?: string | undefined;
}

/** One package of a finished release in the window, beside the next succeeded deployment of it there. */
interface PackageOutcome {
  seq: number;
  finished_at: string;
  status: "succeeded" | "failed";
  lead_time_ms: number | null;
  name: string | null;
  version: string | null;
  package_status: string | null;
  next_finished_at: string | null;
  next_version: string | null;
  next_is_rollback: number | null;
}

/**
 * The facts DORA counts, one per succeeded or failed release in the scope's window (see
 * docs/metrics.md for the definitions this implements).
 *
 * The window is read through the covering index on (environment, finished_at, status, team,
 * lead_time_ms); each package of a release then finds the next succeeded deployment of it in the same
 * environment with one seek in the succeeded-packages index, and whether that one is a rollback with one
 * more seek (its version succeeded there before it started). The cost grows with the releases in the
 * window, not with the history. "Next" has no upper bound: a release finished inside the window and
 * rolled back after it still counts as a failure. Rollbacks are decided here from the package history
 * rather than read from the flag stored on the later release, so releases backfilled out of order or
 * corrected afterwards count as their times say.
 */
export async function doraFacts(sql: Sql, scope: DoraScope): Promise<DoraFact[]> {
  if (scope.environments.length === 0) return [];
  const params: SqlValue[] = [];
  const packageJoin = scope.package === undefined ? "" : " AND p.name = ?";
  const where = [
    `r.environment IN (${scope.environments.map(() => "?").join(", ")})`,
    "r.finished_at >= ?",
    "r.finished_at < ?",
    "r.status IN ('succeeded', 'failed')",
  ];
  params.push(...scope.environments, scope.from, scope.to);
  if (scope.team !== undefined) {
    where.push("r.team = ?");
    params.push(scope.team);
  }
  if (scope.package !== undefined) {
    where.push("EXISTS (SELECT 1 FROM release_packages f WHERE f.release_seq = r.seq AND f.name = ?)");
    // Twice: once to pick the releases, once to look at that package only (placeholders in text order).
    params.push(scope.package, scope.package);
  }
  const rows = await sql.all<PackageOutcome>(
    `WITH win AS (
       SELECT r.seq, r.finished_at, r.status, r.lead_time_ms FROM releases r WHERE ${where.join(" AND ")}
     ),
     pairs AS (
       SELECT w.seq, w.finished_at, w.status, w.lead_time_ms, p.name, p.version, p.status AS package_status,
         p.environment,
         (SELECT n.release_seq FROM release_packages n
          WHERE n.name = p.name AND n.environment = p.environment AND n.status = 'succeeded'
            AND n.finished_at IS NOT NULL
            AND (n.finished_at, n.release_seq) > (COALESCE(p.finished_at, w.finished_at), w.seq)
          ORDER BY n.finished_at, n.release_seq LIMIT 1) AS next_seq
       FROM win w LEFT JOIN release_packages p ON p.release_seq = w.seq${packageJoin}
     )
     SELECT x.seq, x.finished_at, x.status, x.lead_time_ms, x.name, x.version, x.package_status,
       n.finished_at AS next_finished_at, n.version AS next_version,
       CASE WHEN n.release_seq IS NULL OR n.version IS NULL OR n.version IS x.version THEN 0 ELSE EXISTS (
         SELECT 1 FROM release_packages o
         WHERE o.name = x.name AND o.environment = x.environment AND o.version = n.version
           AND o.status = 'succeeded' AND o.finished_at <= n.started_at AND o.release_seq != n.release_seq
       ) END AS next_is_rollback
     FROM pairs x
     LEFT JOIN release_packages n ON n.release_seq = x.next_seq AND n.name = x.name`,
    params,
  );
  const byRelease = new Map<number, PackageOutcome[]>();
  for (const row of rows) {
    const group = byRelease.get(row.seq);
    if (group) group.push(row);
    else byRelease.set(row.seq, [row]);
  }
  return [...byRelease.values()].flatMap((group) => (group[0] ? [toFact(group[0], group)] : []));
}

/**
 * A failed release is a failure; its broken packages are those that did not succeed (all of them when
 * each says it did). A succeeded release is a failure when the next succeeded deployment of one of its
 * succeeded packages there is a rollback to another version. Restored when every broken package has a
 * next succeeded deployment; the time is the latest of those.
 */
function toFact(release: PackageOutcome, rows: readonly PackageOutcome[]): DoraFact {
  const packages = rows.filter((row) => row.name !== null);
  const succeeded = release.status === "succeeded";
  let broken: PackageOutcome[];
  if (succeeded) {
    broken = packages.filter(
      (row) =>
        row.package_status === "succeeded" &&
        row.next_is_rollback === 1 &&
        row.next_finished_at !== null &&
        row.next_version !== row.version,
    );
  } else {
    const unsuccessful = packages.filter((row) => row.package_status !== "succeeded");
    broken = unsuccessful.length > 0 ? unsuccessful : packages;
  }
  const failure = !succeeded || broken.length > 0;
  const finished = Date.parse(release.finished_at);
  let restoreMs: number | null = null;
  if (failure && broken.length > 0 && broken.every((row) => row.next_finished_at !== null)) {
    restoreMs = Math.max(0, ...broken.map((row) => Date.parse(row.next_finished_at ?? "") - finished));
  }
  return {
    finishedAt: release.finished_at,
    succeeded,
    failure,
    leadTimeMs: succeeded ? release.lead_time_ms : null,
    restoreMs,
  };
}
