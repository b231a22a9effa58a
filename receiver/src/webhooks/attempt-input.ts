import { type JobRun, makeKey, summariseJobs } from "@sponge/adapters";
import { isTerminal, mergeStatus, type ReleaseInput } from "@sponge/core";
import { z } from "zod";
import type { Sql } from "../store/database.js";
import { loadByKey, type StoredRelease } from "../store/release-rows.js";

/**
 * More attempts than anyone retries a deploy job; the lookup stops here whatever is stored, so later jobs
 * all go to the last attempt it loads.
 */
const MAX_ATTEMPTS = 1000;

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
 * - every attempt that has one of the write's jobs takes that job's new state, so an attempt whose failed
 *   job was retried still finishes when the jobs it shares with the retry do;
 * - a retried job, or a new job that started after every job of the latest attempt had finished (a later
 *   stage, a manual job run later), starts the next attempt, keyed `<key>:attempt:<n>`, made of its new
 *   jobs and the shared ones still going; a try it retried with no outcome reported counts as failed;
 * - a new job that started while the latest attempt was going (one a runner picked up later) joins it.
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

  // Every attempt that has one of the event's jobs takes its new state.
  for (const attempt of attempts) {
    for (const job of jobs) {
      const known = attempt.jobs.get(job.id);
      if (known === undefined) continue;
      const merged = mergeJob(known, job);
      if (JSON.stringify(merged) !== JSON.stringify(known)) attempt.changed = true;
      attempt.jobs.set(job.id, merged);
    }
  }

  const fresh = jobs.filter((job) => !attempts.some((attempt) => attempt.jobs.has(job.id)));
  if (fresh.length > 0) {
    const newestJobs = [...(newest?.jobs.values() ?? [])];
    const knownJobs = attempts.flatMap((attempt) => [...attempt.jobs.values()]);
    // GitLab numbers jobs in order: a new id under a known name is a retry of it, or (a smaller id) an
    // earlier try whose events arrive after its retry's. Either is a deployment of its own.
    const tries = fresh.filter((job) => knownJobs.some((known) => known.name === job.name));
    const retries = tries.filter((job) =>
      knownJobs.some((known) => known.name === job.name && before(known, job)),
    );
    if (newest === undefined || tries.length > 0 || startsAfter(fresh, newestJobs)) {
      supersede(attempts, retries);
      // The new attempt: its new jobs, and those it shares with earlier attempts that are still going.
      const going = jobs
        .filter((job) => !fresh.includes(job))
        .map((job) => attempts.find((attempt) => attempt.jobs.has(job.id))?.jobs.get(job.id) ?? job)
        .filter((job) => !isTerminal(job.status));
      const opened: Attempt = { n: attempts.length + 1, stored: undefined, jobs: new Map(), changed: true };
      for (const job of [...fresh, ...going]) opened.jobs.set(job.id, job);
      attempts.push(opened);
    } else {
      for (const job of fresh) newest.jobs.set(job.id, job);
      newest.changed = true;
    }
  }

  // The write goes to the attempt that brought in the newest of its jobs, and to any other it changed.
  const ownerOf = (id: string) => attempts.findIndex((attempt) => attempt.jobs.has(id));
  const primary = attempts[Math.max(...jobs.map((job) => ownerOf(job.id)))];
  if (primary === undefined) return [input];
  const others = attempts.filter((attempt) => attempt !== primary && attempt.changed);
  return [primary, ...others].map((attempt) => attemptWrite(key, attempt, attempts, input));
}

/**
 * Whether new jobs started after every job of the latest attempt had finished (a later stage, a manual job
 * run later): they are then a deployment of their own. Without times, whether the attempt has finished.
 */
function startsAfter(fresh: readonly JobRun[], latest: readonly JobRun[]): boolean {
  if (!latest.every((job) => isTerminal(job.status))) return false;
  const finishes = latest.map((job) => job.finished_at);
  const lastFinish = finishes.includes(undefined) ? undefined : finishes.sort().at(-1);
  return fresh.every(
    (job) => job.started_at === undefined || lastFinish === undefined || job.started_at >= lastFinish,
  );
}

/** Whether job `a` was created before job `b`: GitLab's job ids grow. */
function before(a: JobRun, b: JobRun): boolean {
  const [x, y] = [Number(a.id), Number(b.id)];
  return Number.isSafeInteger(x) && Number.isSafeInteger(y) ? x < y : a.id < b.id;
}

/**
 * GitLab retries only a job that has finished, and may report no event between its end and the retry (the
 * pipeline's status did not change). A try that was retried before its outcome was reported counts as
 * failed — the reason jobs are retried — until its outcome arrives.
 */
function supersede(attempts: readonly Attempt[], retries: readonly JobRun[]): void {
  for (const attempt of attempts) {
    for (const known of attempt.jobs.values()) {
      const retried = retries.some((job) => job.name === known.name && before(known, job));
      if (!retried || isTerminal(known.status)) continue;
      // No finish time: the real outcome and finish, if they are reported later, replace the guess.
      attempt.jobs.set(known.id, { ...known, status: "failed" });
      attempt.changed = true;
    }
  }
}

/**
 * A job's state after a report: a terminal status stays, and so do the times of a finished job (a late
 * report of it running carries none newer); missing times fill in as they are reported.
 */
function mergeJob(known: JobRun, reported: JobRun): JobRun {
  // A finished job always has a finish time, except a try guessed failed because it was retried.
  const guessed = isTerminal(known.status) && known.finished_at === undefined;
  const status =
    guessed && isTerminal(reported.status) ? reported.status : mergeStatus(known.status, reported.status);
  const merged: JobRun = { ...known, name: reported.name, status };
  const startedAt = known.started_at ?? reported.started_at;
  const finishedAt =
    isTerminal(known.status) && !guessed
      ? (known.finished_at ?? reported.finished_at)
      : (reported.finished_at ?? known.finished_at);
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
