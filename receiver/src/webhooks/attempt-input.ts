import { type JobRun, makeKey, summariseJobs } from "@sponge/adapters";
import { isTerminal, mergeStatus, type ReleaseInput, STATUSES } from "@sponge/core";
import { z } from "zod";
import type { Sql } from "../store/database.js";
import { loadByKey, type StoredRelease } from "../store/release-rows.js";

/**
 * More attempts than anyone retries a deploy job; the lookup stops here whatever is stored, so past it the
 * next attempt is opened again (over the one stored under that key) with each new job.
 */
const MAX_ATTEMPTS = 1000;

/** The jobs an attempt keeps in `ci.jobs`; a release stored before they were kept has none. */
const storedJobs = z
  .array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(STATUSES),
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
  /** A job's guessed outcome was replaced by its real one: the attempt's status may be corrected. */
  corrected: boolean;
}

/** One write: to an attempt, as a correction when a guessed outcome gave way to the real one. */
export interface AttemptWrite {
  input: ReleaseInput;
  /** The attempt's stored release, when the write corrects its outcome. */
  correct?: string;
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
): Promise<AttemptWrite[]> {
  const attempts: Attempt[] = [];
  for (let n = 1; n <= MAX_ATTEMPTS; n += 1) {
    const stored = await loadByKey(sql, attemptKey(key, n));
    if (stored === undefined) break;
    const kept = storedJobs.parse(stored.release.ci?.jobs);
    const known = new Map(kept.map((job) => [job.id, job]));
    attempts.push({ n, stored, jobs: known, changed: false, corrected: false });
  }
  const newest = attempts.at(-1);
  // A release recorded before jobs were kept takes every later event, as it always did.
  if (newest !== undefined && newest.jobs.size === 0) {
    return [{ input: { ...input, key: newest.stored?.release.key ?? key } }];
  }

  // Every attempt that has one of the event's jobs takes its new state.
  for (const attempt of attempts) {
    for (const job of jobs) {
      const known = attempt.jobs.get(job.id);
      if (known === undefined) continue;
      const merged = mergeJob(known, job);
      // The real outcome or finish of a try guessed failed corrects its attempt.
      if (isGuess(known) && !isGuess(merged)) attempt.corrected = true;
      if (JSON.stringify(merged) !== JSON.stringify(known)) attempt.changed = true;
      attempt.jobs.set(job.id, merged);
    }
  }
  const stateOf = (id: string) => attempts.find((attempt) => attempt.jobs.has(id))?.jobs.get(id);

  // New jobs, in the order they started: each joins the latest attempt or starts the next one.
  const fresh = jobs.filter((job) => stateOf(job.id) === undefined).sort(byStart);
  for (const job of fresh) {
    const latest = attempts.at(-1);
    const tried = attempts.some((attempt) =>
      [...attempt.jobs.values()].some((known) => known.name === job.name),
    );
    if (latest === undefined || tried || startsAfter(job, [...latest.jobs.values()])) {
      const opened: Attempt = {
        n: attempts.length + 1,
        stored: undefined,
        jobs: new Map(),
        changed: true,
        corrected: false,
      };
      opened.jobs.set(job.id, job);
      // The event's other jobs that earlier attempts have and that were still going when this one started.
      for (const shared of jobs) {
        const state = fresh.includes(shared) ? undefined : stateOf(shared.id);
        if (state !== undefined && goingAt(state, job.started_at)) opened.jobs.set(state.id, state);
      }
      attempts.push(opened);
    } else {
      latest.jobs.set(job.id, job);
      latest.changed = true;
    }
  }
  supersede(attempts);

  // The write goes to the attempt that brought in the newest of its jobs, and to any other it changed.
  const ownerOf = (id: string) => attempts.findIndex((attempt) => attempt.jobs.has(id));
  const primary = attempts[Math.max(...jobs.map((job) => ownerOf(job.id)))];
  if (primary === undefined) return [{ input }];
  const others = attempts.filter((attempt) => attempt !== primary && attempt.changed);
  return [primary, ...others].map((attempt) => {
    const write: AttemptWrite = { input: attemptWrite(key, attempt, attempts, input) };
    if (attempt.corrected && attempt.stored !== undefined) write.correct = attempt.stored.release.id;
    return write;
  });
}

function byStart(a: JobRun, b: JobRun): number {
  const [x, y] = [a.started_at ?? "", b.started_at ?? ""];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether a job was still going at `time` (or, without a time, has not finished). */
function goingAt(job: JobRun, time: string | undefined): boolean {
  if (job.finished_at === undefined) return !isTerminal(job.status);
  return time === undefined ? !isTerminal(job.status) : job.finished_at > time;
}

/** A try guessed failed because it was retried: terminal, with no finish reported. */
function isGuess(job: JobRun): boolean {
  return isTerminal(job.status) && job.finished_at === undefined;
}

/**
 * Whether a new job started after every job of the latest attempt had finished (a later stage, a manual
 * job run later): it is then a deployment of its own. Without times, whether the attempt has finished.
 */
function startsAfter(job: JobRun, latest: readonly JobRun[]): boolean {
  if (!latest.every((known) => isTerminal(known.status))) return false;
  const finishes = latest.map((known) => known.finished_at);
  const lastFinish = finishes.includes(undefined) ? undefined : finishes.sort().at(-1);
  return job.started_at === undefined || lastFinish === undefined || job.started_at >= lastFinish;
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
function supersede(attempts: readonly Attempt[]): void {
  const all = attempts.flatMap((attempt) => [...attempt.jobs.values()]);
  for (const attempt of attempts) {
    for (const known of attempt.jobs.values()) {
      if (isTerminal(known.status)) continue;
      if (!all.some((job) => job.name === known.name && before(known, job))) continue;
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
  const guessed = isGuess(known);
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
  const finish = summary.finished_at ?? (isTerminal(summary.status) ? lastKnownTime(jobs) : undefined);
  if (finish !== undefined) write.finished_at = finish;
  return write;
}

/**
 * The latest time known of jobs that have all ended, one of them without a finish (a try guessed failed):
 * the attempt ended no earlier, and the job's real finish corrects it when it arrives.
 */
function lastKnownTime(jobs: readonly JobRun[]): string | undefined {
  return jobs
    .flatMap((job) => [job.started_at, job.finished_at])
    .filter((time) => time !== undefined)
    .sort()
    .at(-1);
}
