import { type JobRun, makeKey } from "@sponge/adapters";
import { isTerminal, type ReleaseInput } from "@sponge/core";
import type { Sql } from "../store/database.js";
import { loadByKey, type StoredRelease } from "../store/release-rows.js";

/**
 * More attempts than anyone retries a deploy job; the lookup stops here whatever is stored, so jobs past the
 * hundredth attempt all join it.
 */
const MAX_ATTEMPTS = 100;

/**
 * The key of a release's `n`th attempt: the first keeps the adapter's key; later ones stay within the key
 * length limit as the adapter's own do.
 */
export function attemptKey(key: string, n: number): string {
  return n === 1 ? key : makeKey(key, "attempt", n);
}

function jobIdsOf(stored: StoredRelease): Set<string> {
  const ids = stored.release.ci?.job_ids;
  return new Set(Array.isArray(ids) ? ids.map(String) : []);
}

/**
 * Points a write that sums up CI jobs (a GitLab Pipeline Hook's environment) at the attempt it belongs to.
 * GitLab lists only the latest try of each job, so a retried deploy job appears as a job id no attempt has
 * seen. While the latest attempt runs, new jobs join it (a parallel or later-stage job); once it has
 * finished, they start the next attempt, keyed `<key>:attempt:<n>`, with its own outcome and start, as
 * GitLab's own deployment records and a re-run GitHub workflow have. A write whose jobs are all known (a
 * late or repeated delivery) goes to the attempt that brought in the newest of them.
 *
 * @returns the write with its key, `ci.run_attempt` and `ci.job_ids` set
 */
export async function attemptInput(
  sql: Sql,
  key: string,
  jobs: readonly JobRun[],
  input: ReleaseInput,
): Promise<ReleaseInput> {
  if (jobs.length === 0) return input;
  const attempts: StoredRelease[] = [];
  for (let n = 1; n <= MAX_ATTEMPTS; n += 1) {
    const stored = await loadByKey(sql, attemptKey(key, n));
    if (stored === undefined) break;
    attempts.push(stored);
  }
  const ids = jobs.map((job) => job.id);
  const known = attempts.map(jobIdsOf);
  const fresh = jobs.filter((job) => !known.some((seen) => seen.has(job.id)));
  const latest = attempts.length;
  const newest = attempts[latest - 1];

  /**
   * The write aimed at attempt `n`. A retry starts when its first new job did, not when the jobs it kept
   * from an earlier attempt did, so a later attempt's start comes from its own jobs only.
   */
  const into = (n: number, jobIds: Iterable<string>): ReleaseInput => {
    const write: ReleaseInput = {
      ...input,
      key: attemptKey(key, n),
      ci: { ...input.ci, run_attempt: n, job_ids: [...new Set(jobIds)] },
    };
    if (n === 1) return write;
    const earlier = known.slice(0, n - 1);
    const own = jobs.filter((job) => !earlier.some((seen) => seen.has(job.id)));
    const start = own
      .map((job) => job.started_at)
      .filter((time) => time !== undefined)
      .sort()[0];
    if (start === undefined) delete write.started_at;
    else write.started_at = start;
    return write;
  };

  if (newest === undefined) return into(1, ids);
  // A release recorded before job ids were kept takes every later event, as it always did.
  if (known[latest - 1]?.size === 0) return into(latest, ids);
  if (fresh.length === 0) {
    // Later attempts also list the jobs they kept from earlier ones, so a job belongs to the first attempt
    // that knows it, and a write to the attempt that brought in its newest job.
    const n = Math.max(...ids.map((id) => known.findIndex((seen) => seen.has(id)) + 1));
    return into(n, [...(known[n - 1] ?? []), ...ids]);
  }
  if (!isTerminal(newest.release.status)) return into(latest, [...(known[latest - 1] ?? []), ...ids]);
  return into(latest + 1, ids);
}
