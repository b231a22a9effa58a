import { isTerminal, rollupStatus, type Status } from "@sponge/core";
import type { JobRun } from "./types.js";

/** Longest `job` text: a pipeline may run hundreds of deploy jobs with names of up to 255 characters. */
const MAX_JOB_TEXT = 1000;

/** What a set of jobs deploying to one environment add up to. */
export interface JobSummary {
  status: Status;
  /** The earliest start among the jobs. */
  started_at?: string;
  /** The latest finish, only once every job has finished. */
  finished_at?: string;
  /** The jobs' names, in order (cut at 1,000 characters). */
  job: string;
}

/**
 * One release made of several jobs: `queued` while all of them wait, `running` while any is still going,
 * and once all have finished `failed` if any failed, else `succeeded` (`cancelled` when all were).
 *
 * @example summariseJobs([{ id: "1", name: "deploy", status: "succeeded" }]).status // "succeeded"
 */
export function summariseJobs(jobs: readonly JobRun[]): JobSummary {
  const statuses = jobs.map((job) => job.status);
  const done = statuses.every((status) => isTerminal(status));
  const starts = jobs.map((job) => job.started_at).filter((time) => time !== undefined);
  const finishes = jobs.map((job) => job.finished_at).filter((time) => time !== undefined);
  const names = jobs.map((job) => job.name).join(", ");
  const job = names.length > MAX_JOB_TEXT ? `${names.slice(0, MAX_JOB_TEXT - 1)}…` : names;
  // Once all have finished, the packages' rollup rule applies; until then any job under way is progress.
  let status: Status = statuses.some((value) => value !== "queued") ? "running" : "queued";
  if (done) status = rollupStatus(statuses) ?? "cancelled";
  const summary: JobSummary = { status, job };
  const start = starts.sort()[0];
  if (start !== undefined) summary.started_at = start;
  const finish = done ? finishes.sort().at(-1) : undefined;
  if (finish !== undefined) summary.finished_at = finish;
  return summary;
}
