import { type JobRun, makeKey, summariseJobs } from "@sponge/adapters";
import { isTerminal, mergeStatus, type ReleaseInput } from "@sponge/core";
import { z } from "zod";
import type { Sql } from "../store/database.js";
import { loadByKey, type StoredRelease } from "../store/release-rows.js";

/**
 * More attempts than anyone retries a deploy job; the lookup stops here whatever is stored, so jobs past the
 * hundredth attempt all join it.
 */
const MAX_ATTEMPTS = 100;

/** The jobs an attempt keeps in `ci.jobs`; a release stored before they were kept has none. */
const storedJobs = z
  .array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]),
      started_at: z.string().optional(),
      finished_at: z.string().optional(),
    }),
  )
  .catch([]);

/**
 * The key of a release's `n`th attempt: the first keeps the adapter's key; later ones stay within the key
 * length limit as the adapter's own do.
 */
export function attemptKey(key: string, n: number): string {
  return n === 1 ? key : makeKey(key, "attempt", n);
}

interface Attempt {
  n: number;
  stored: StoredRelease | undefined;
  jobs: Map<string, JobRun>;
  changed: boolean;
}

/**
 * Splits a write that sums up CI jobs (a GitLab Pipeline Hook's environment) into attempts. GitLab lists only
 * the latest try of each job, so a retried deploy job appears as a new id under a name an attempt already
 * has. Each attempt keeps its jobs and their last reported state in `ci.jobs`:
 * - a retried job, or a new job after the latest attempt finished (a later stage, a manual job run later),
 *   starts the next attempt, keyed `<key>:attempt:<n>`, made of the jobs the write lists;
 * - a new job while the latest attempt runs (one a runner picked up later) joins it;
 * - every attempt that has one of the write's jobs takes that job's new state, so an attempt whose failed
 *   job was retried still finishes when the jobs it shares with the retry do.
 * Each attempt's status and times are summed up from its own jobs; a later attempt starts with the jobs it
 * brought in, not with those it kept. GitLab's own deployment records and a re-run GitHub workflow count
 * a retry as a deployment of its own too.
 *
 * @returns the writes to make, the attempt the newest of the write's jobs belongs to first
 */
export async function attemptInputs(
  sql: Sql,
  key: string,
  jobs: readonly JobRun[],
  input: ReleaseInput,
): Promise<ReleaseInput[]> {
  const attempts: Attempt[] = [];
  for (let n = 1; n <= MAX_ATTEMPTS; n += 1) {
    const stored = await loadByKey(sql, attemptKey(key, n));
    if (stored === undefined) break;
    const kept = storedJobs.parse(stored.release.ci?.jobs);
    attempts.push({ n, stored, jobs: new Map(kept.map((job) => [job.id, job])), changed: false });
  }
  const newest = attempts.at(-1);
  // A release recorded before jobs were kept takes every later event, as it always did.
  if (newest !== undefined && newest.jobs.size === 0)
    return [{ ...input, key: newest.stored?.release.key ?? key }];

  const fresh = jobs.filter((job) => !attempts.some((attempt) => attempt.jobs.has(job.id)));
  if (fresh.length > 0) {
    const retried = fresh.some((job) =>
      [...(newest?.jobs.values() ?? [])].some((known) => known.name === job.name && known.id !== job.id),
    );
    if (newest === undefined || retried || isTerminal(newest.stored?.release.status ?? "running")) {
      attempts.push({ n: attempts.length + 1, stored: undefined, jobs: new Map(), changed: true });
      const opened = attempts.at(-1);
      for (const job of jobs) opened?.jobs.set(job.id, job);
    } else {
      for (const job of fresh) newest.jobs.set(job.id, job);
      newest.changed = true;
    }
  }
  for (const attempt of attempts) {
    for (const job of jobs) {
      const known = attempt.jobs.get(job.id);
      if (known === undefined) continue;
      const merged = mergeJob(known, job);
      if (JSON.stringify(merged) !== JSON.stringify(known)) attempt.changed = true;
      attempt.jobs.set(job.id, merged);
    }
  }

  // The write goes to the attempt that brought in the newest of its jobs, and to any other it changed.
  const ownerOf = (id: string) => attempts.findIndex((attempt) => attempt.jobs.has(id));
  const primary = attempts[Math.max(...jobs.map((job) => ownerOf(job.id)))];
  if (primary === undefined) return [input];
  const others = attempts.filter((attempt) => attempt !== primary && attempt.changed);
  return [primary, ...others].map((attempt) => attemptWrite(key, attempt, attempts, input));
}

/** A job's state after a report: a terminal status stays; times fill in as they are reported. */
function mergeJob(known: JobRun, reported: JobRun): JobRun {
  const merged: JobRun = {
    ...known,
    name: reported.name,
    status: mergeStatus(known.status, reported.status),
  };
  const startedAt = reported.started_at ?? known.started_at;
  const finishedAt = reported.finished_at ?? known.finished_at;
  if (startedAt !== undefined) merged.started_at = startedAt;
  if (finishedAt !== undefined) merged.finished_at = finishedAt;
  return merged;
}

/** The write for one attempt: the delivery's fields, with the status, times and jobs of that attempt. */
function attemptWrite(
  key: string,
  attempt: Attempt,
  all: readonly Attempt[],
  input: ReleaseInput,
): ReleaseInput {
  const jobs = [...attempt.jobs.values()];
  const summary = summariseJobs(jobs);
  const earlier = all.filter((other) => other.n < attempt.n);
  const own = jobs.filter((job) => !earlier.some((other) => other.jobs.has(job.id)));
  const start = summariseJobs(own.length > 0 ? own : jobs).started_at;
  const write: ReleaseInput = {
    ...input,
    key: attemptKey(key, attempt.n),
    status: summary.status,
    ci: { ...input.ci, job: summary.job, run_attempt: attempt.n, jobs },
  };
  delete write.started_at;
  delete write.finished_at;
  if (start !== undefined) write.started_at = start;
  if (summary.finished_at !== undefined) write.finished_at = summary.finished_at;
  return write;
}
