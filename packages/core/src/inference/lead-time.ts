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
  const isDeployed = deployedMatcher(previouslyDeployed);
  let earliest = Number.POSITIVE_INFINITY;
  for (const commit of commits) {
    if (!commit.timestamp || isDeployed(commit.sha)) continue;
    const at = Date.parse(commit.timestamp);
    if (Number.isFinite(at) && at < earliest) earliest = at;
  }
  if (earliest === Number.POSITIVE_INFINITY || earliest > finished) return null;
  return finished - earliest;
}

/**
 * Whether a commit id is among the deployed ones: equal, or one a prefix of the other when
 * both have at least 7 characters (a short id against a full one). Logarithmic per lookup.
 */
function deployedMatcher(shas: ReadonlySet<string>): (sha: string) => boolean {
  const exact = new Set([...shas].map((sha) => sha.trim().toLowerCase()).filter((sha) => sha !== ""));
  const sorted = [...exact].sort();
  return (raw) => {
    const id = raw.trim().toLowerCase();
    if (!id) return false;
    if (exact.has(id)) return true;
    if (id.length < 7) return false;
    for (let length = 7; length < id.length; length++) if (exact.has(id.slice(0, length))) return true;
    const next = sorted[lowerBound(sorted, id)];
    return next?.startsWith(id) ?? false;
  };
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? "") < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
