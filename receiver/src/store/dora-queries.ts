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

/** Milliseconds since the epoch of an ISO 8601 column, as an integer. */
const ms = (column: string) => `CAST(round(unixepoch(${column}, 'subsec') * 1000) AS INTEGER)`;

/**
 * The facts DORA counts, one per succeeded or failed release in the scope's window (docs/metrics.md
 * states the definitions implemented here).
 *
 * - `win`: the releases in scope, read through the covering index on (environment, finished_at,
 *   status, team, lead_time_ms), so the wide release rows are never touched.
 * - `pairs`: each package of those releases (only the asked-for one with `package=`, whose own status is
 *   then the release's outcome), with the next
 *   succeeded deployment of it in the same environment: one seek in the succeeded-packages index.
 *   "Next" has no upper bound, so a release rolled back after the window still counts as a failure.
 * - `outcomes`: whether that next deployment is a rollback — it deploys another version that had
 *   succeeded there before it started, since the package was last removed from there (one more seek, and
 *   one in the removals table). Decided from the package history rather than
 *   read from the flag stored on the later release, so history backfilled out of order or corrected
 *   afterwards counts as its times say.
 * - then, in `toFact`, one fact per release.
 *
 * The cost grows with the releases in the window, not with the history. The rows come back packed in
 * one string of integers: the driver spends more building a row object than SQLite spends producing
 * the row.
 */
export async function doraFacts(sql: Sql, scope: DoraScope): Promise<DoraFact[]> {
  if (scope.environments.length === 0) return [];
  const where = [
    `r.environment IN (${scope.environments.map(() => "?").join(", ")})`,
    "r.finished_at >= ?",
    "r.finished_at < ?",
  ];
  // With `package=`, the package's own outcome decides (below), so a cancelled release that deployed it
  // still counts.
  if (scope.package === undefined) where.push("r.status IN ('succeeded', 'failed')");
  const params: SqlValue[] = [...scope.environments, scope.from, scope.to];
  if (scope.team !== undefined) {
    where.push("r.team = ?");
    params.push(scope.team);
  }
  if (scope.package !== undefined) {
    where.push(
      "EXISTS (SELECT 1 FROM release_packages f WHERE f.release_seq = r.seq AND f.name = ? AND f.status IN ('succeeded', 'failed'))",
    );
    // Twice: once to pick the releases, once to look at that package only (placeholders in text order).
    params.push(scope.package, scope.package);
  }
  const packageJoin = scope.package === undefined ? "" : " AND p.name = ?";
  // With `package=`, a release counts as that package's deployment: its outcome is the package's own
  // (a release that failed for another of its packages still deployed this one), and a package that was
  // cancelled there is neither a deployment nor a failure.
  const outcome = scope.package === undefined ? "w.status" : "p.status";
  const packageOutcome = scope.package === undefined ? "" : " WHERE p.status IN ('succeeded', 'failed')";
  const row = await sql.get<{ packed: string | null }>(
    `WITH win AS (
       SELECT r.seq, r.finished_at, r.status, r.lead_time_ms FROM releases r WHERE ${where.join(" AND ")}
     ),
     pairs AS (
       SELECT w.seq, w.finished_at, ${outcome} AS status, w.lead_time_ms, p.name, p.version, p.status AS package_status,
         p.environment,
         (SELECT n.release_seq FROM release_packages n
          WHERE n.name = p.name AND n.environment = p.environment AND n.status = 'succeeded'
            AND n.finished_at IS NOT NULL
            AND (n.finished_at, n.release_seq) > (COALESCE(p.finished_at, w.finished_at), w.seq)
          ORDER BY n.finished_at, n.release_seq LIMIT 1) AS next_seq
       FROM win w LEFT JOIN release_packages p ON p.release_seq = w.seq${packageJoin}${packageOutcome}
     ),
     outcomes AS (
       SELECT x.seq, x.finished_at, x.status, x.lead_time_ms, x.name,
         x.name IS NOT NULL AND x.package_status != 'succeeded' AS unsuccessful,
         n.finished_at AS next_finished_at,
         x.status = 'succeeded' AND x.package_status = 'succeeded' AND n.version IS NOT NULL
           AND n.version IS NOT x.version AND EXISTS (
             SELECT 1 FROM release_packages o
             WHERE o.name = x.name AND o.environment = x.environment AND o.version = n.version
               AND o.status = 'succeeded' AND o.finished_at <= n.started_at AND o.release_seq != n.release_seq
               AND o.finished_at > COALESCE((SELECT MAX(m.removed_at) FROM removals m WHERE m.package = x.name
                 AND m.environment = x.environment AND m.removed_at <= n.started_at), '')
           ) AS rolled_back
       FROM pairs x LEFT JOIN release_packages n ON n.release_seq = x.next_seq AND n.name = x.name
     )
     SELECT group_concat(
       seq || ',' || ${ms("finished_at")} || ',' || (status = 'succeeded') || ',' || IFNULL(lead_time_ms, '') || ','
         || (name IS NOT NULL) || ',' || unsuccessful || ',' || IFNULL(${ms("next_finished_at")}, '') || ','
         || IFNULL(rolled_back, 0),
       ';') AS packed
     FROM outcomes`,
    params,
  );
  return row?.packed ? unpack(row.packed) : [];
}

/** One package of a release in the window (or the release alone when it names no package). */
interface Outcome {
  seq: number;
  finishedMs: number;
  succeeded: boolean;
  leadTimeMs: number | null;
  hasPackage: boolean;
  unsuccessful: boolean;
  nextMs: number | null;
  rolledBack: boolean;
}

/** `seq,finished,succeeded,lead,has_package,unsuccessful,next,rolled_back;…` (integers, empty = none). */
function unpack(packed: string): DoraFact[] {
  const releases = new Map<number, Outcome[]>();
  for (const text of packed.split(";")) {
    const [seq, finished, succeeded, lead = "", hasPackage, unsuccessful, next = "", rolledBack] =
      text.split(",");
    const outcome: Outcome = {
      seq: Number(seq),
      finishedMs: Number(finished),
      succeeded: succeeded === "1",
      leadTimeMs: lead === "" ? null : Number(lead),
      hasPackage: hasPackage === "1",
      unsuccessful: unsuccessful === "1",
      nextMs: next === "" ? null : Number(next),
      rolledBack: rolledBack === "1",
    };
    const group = releases.get(outcome.seq);
    if (group) group.push(outcome);
    else releases.set(outcome.seq, [outcome]);
  }
  const facts: DoraFact[] = [];
  for (const group of releases.values()) if (group[0]) facts.push(toFact(group[0], group));
  return facts;
}

/**
 * Failed: a failure; its broken packages are those that did not succeed (all of them when each says it
 * did). Succeeded: a failure when one of its succeeded packages was rolled back. Restored when every
 * broken package has a next succeeded deployment there, at the latest of those.
 */
function toFact(release: Outcome, outcomes: readonly Outcome[]): DoraFact {
  const packages = outcomes.filter((o) => o.hasPackage);
  let broken: Outcome[];
  if (release.succeeded) {
    broken = packages.filter((o) => o.rolledBack);
  } else {
    const unsuccessful = packages.filter((o) => o.unsuccessful);
    broken = unsuccessful.length > 0 ? unsuccessful : packages;
  }
  const failure = !release.succeeded || broken.length > 0;
  let restoreMs: number | null = null;
  if (failure && broken.length > 0 && broken.every((o) => o.nextMs !== null)) {
    restoreMs = Math.max(0, ...broken.map((o) => (o.nextMs ?? 0) - release.finishedMs));
  }
  return {
    finishedMs: release.finishedMs,
    succeeded: release.succeeded,
    failure,
    leadTimeMs: release.succeeded ? release.leadTimeMs : null,
    restoreMs,
  };
}
