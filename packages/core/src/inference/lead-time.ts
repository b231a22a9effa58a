import type { Commit } from "../types.js";

/**
 * Lead time for changes of one release: `finishedAt` minus the earliest timestamp among its
 * commits that were not already deployed by the previous succeeded release of the same
 * package in the same environment (`previouslyDeployed` holds those commit ids; short and
 * full ids match by prefix). Null when the release has not finished, when no new commit has
 * a timestamp, or when the clock says the change came after the deployment.
 *
 * @example leadTimeMs("2024-01-02T00:00:00Z", [{ sha: "a1b2c3d", timestamp: "2024-01-01T00:00:00Z" }], new Set()) // 86_400_000
 */
export function leadTimeMs(
  finishedAt: string | null,
  commits: readonly Commit[],
  previouslyDeployed: ReadonlySet<string>,
): number | null {
  if (!finishedAt) return null;
  const finished = Date.parse(finishedAt);
  if (!Number.isFinite(finished)) return null;
  const deployed = indexByPrefix(previouslyDeployed);
  let earliest = Number.POSITIVE_INFINITY;
  for (const commit of commits) {
    if (!commit.timestamp || isDeployed(commit.sha, deployed)) continue;
    const at = Date.parse(commit.timestamp);
    if (Number.isFinite(at) && at < earliest) earliest = at;
  }
  if (earliest === Number.POSITIVE_INFINITY || earliest > finished) return null;
  return finished - earliest;
}

/** Commit ids grouped by their first 7 characters, so short and full ids meet cheaply. */
function indexByPrefix(shas: ReadonlySet<string>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const raw of shas) {
    const sha = raw.trim().toLowerCase();
    if (!sha) continue;
    const key = sha.slice(0, 7);
    index.set(key, [...(index.get(key) ?? []), sha]);
  }
  return index;
}

function isDeployed(sha: string, deployed: Map<string, string[]>): boolean {
  const id = sha.trim().toLowerCase();
  if (!id) return false;
  const candidates = deployed.get(id.slice(0, 7)) ?? [];
  return candidates.some((other) =>
    id.length >= 7 && other.length >= 7 ? id.startsWith(other) || other.startsWith(id) : id === other,
  );
}
