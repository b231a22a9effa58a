import type { Commit } from "@sponge/core";

/** The commits a deployment ships and the files they touch. */
export interface Changes {
  /** Oldest first, the deployed commit last. */
  commits: Commit[];
  changedFiles: string[];
}

/** Lists the changes between two commits (GitHub's compare API in the action). */
export type CompareCommits = (base: string, head: string) => Promise<Changes>;
