import type { Changes, CompareCommits } from "./changes.js";
import type { EventFacts } from "./event-payload.js";

export interface CollectChangesOptions {
  /** The commit of the package's current version in the environment; undefined when never deployed. */
  previousCommit: string | undefined;
  /** The commit being deployed. */
  head: string | undefined;
  /** Undefined when there is no GitHub token to call the compare API with. */
  compare: CompareCommits | undefined;
  event: EventFacts;
  warn: (message: string) => void;
}

/** Where the commits came from, recorded in `ci.commits_source`. */
export type ChangesSource = "compare" | "event" | "none";

/**
 * The commits since the previous deployment of the package to the environment: GitHub's
 * compare API from the previous deployment's commit to this one (works in shallow clones),
 * else — first deployment, no token, or the API failing — the commits the event lists.
 *
 * @example await collectChanges({ previousCommit: "a1b2c3d", head: "e4f5a6b", compare, event, warn: core.warning })
 */
export async function collectChanges(
  options: CollectChangesOptions,
): Promise<Changes & { source: ChangesSource }> {
  const fromEvent = {
    commits: options.event.commits,
    changedFiles: options.event.changedFiles,
    source: "event",
  } as const;
  const { previousCommit, head } = options;
  if (previousCommit === undefined || head === undefined) return fromEvent;
  if (sameCommit(previousCommit, head)) return { commits: [], changedFiles: [], source: "none" };
  if (!options.compare) {
    options.warn(
      "github-token is empty: using the event's commits instead of comparing with the previous deployment",
    );
    return fromEvent;
  }
  try {
    return { ...(await options.compare(previousCommit, head)), source: "compare" };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    options.warn(
      `could not compare ${previousCommit.slice(0, 12)}...${head.slice(0, 12)} with GitHub's API (${reason}); using the event's commits instead`,
    );
    return fromEvent;
  }
}

/** Full and short shas of one commit are the same commit. */
function sameCommit(a: string, b: string): boolean {
  const left = a.trim().toLowerCase();
  const right = b.trim().toLowerCase();
  return left.length >= 7 && right.length >= 7
    ? left.startsWith(right) || right.startsWith(left)
    : left === right;
}
