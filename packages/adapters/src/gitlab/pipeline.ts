import type { Status } from "@sponge/core";
import {
  cleanText,
  compact,
  describeFailure,
  firstText,
  isoTime,
  MAX_ENVIRONMENT,
  makeKey,
} from "../fields.js";
import { safeParameters, stripUserinfo } from "../redact.js";
import { ignored, releaseResult, releasesOrIgnored } from "../result.js";
import { summariseJobs } from "../summarise-jobs.js";
import type { AdapterResult, ReleaseResult } from "../types.js";
import { buildSchema, type PipelineBuild, pipelineHookSchema } from "./schemas.js";

/**
 * Job statuses. Jobs that have not been picked up (`created`, `scheduled`) or will not run on their own
 * (`manual`, `skipped`) have deployed nothing yet and are left out, so a pipeline that stops early leaves
 * no phantom release behind. One that runs after the environment's release has finished (a later stage, a
 * manual job started by hand) is the release's next attempt in the receiver (see `ReleaseResult.jobs`).
 */
const JOB_STATUSES: Record<string, Status | "not-started"> = {
  created: "not-started",
  scheduled: "not-started",
  manual: "not-started",
  skipped: "not-started",
  waiting_for_resource: "queued",
  waiting_for_callback: "queued",
  preparing: "queued",
  pending: "queued",
  running: "running",
  canceling: "running",
  success: "succeeded",
  failed: "failed",
  canceled: "cancelled",
};

interface DeployJob {
  build: PipelineBuild;
  environment: string;
  status: Status;
}

/**
 * Maps a GitLab Pipeline Hook: one release per environment that a job of the pipeline
 * deployed to (jobs with `environment.action` `start`, the default), keyed
 * `gitlab:<project id>:pipeline:<pipeline id>:<environment>`, summing up its jobs (`summariseJobs`),
 * which are listed in `jobs` so the receiver can tell retries and later jobs apart as attempts.
 * A pipeline without such jobs is ignored.
 */
export function mapGitLabPipeline(payload: unknown): AdapterResult {
  const parsed = pipelineHookSchema.safeParse(payload);
  if (!parsed.success)
    return ignored(`GitLab Pipeline Hook is not usable: ${describeFailure(parsed.error.issues)}`);
  const hook = parsed.data;
  const pipeline = hook.object_attributes;
  const byEnvironment = new Map<string, DeployJob[]>();
  for (const raw of hook.builds) {
    const job = deployJob(raw);
    if (job === undefined) continue;
    byEnvironment.set(job.environment, [...(byEnvironment.get(job.environment) ?? []), job]);
  }

  const gitRef = cleanText(pipeline.ref);
  const ref =
    gitRef !== undefined && pipeline.tag === true && !gitRef.startsWith("refs/")
      ? `refs/tags/${gitRef}`
      : gitRef;
  const pipelineUrl = cleanText(pipeline.url);
  const url = pipelineUrl === undefined ? undefined : stripUserinfo(pipelineUrl);
  const commit = hook.commit;
  const commitSha = cleanText(commit?.id, 200);
  const parameters = safeParameters(
    (pipeline.variables ?? []).map((variable) => [variable.key, variable.value] as const),
  );

  const releases: ReleaseResult[] = [];
  for (const [environment, jobs] of byEnvironment) {
    const runs = jobs.map(({ build, status }) =>
      compact({
        id: build.id,
        name: cleanText(build.name, 255) ?? build.id,
        status,
        started_at: isoTime(build.started_at),
        finished_at: isoTime(build.finished_at),
      }),
    );
    const summary = summariseJobs(runs);
    const release = compact({
      key: makeKey("gitlab", hook.project.id, "pipeline", pipeline.id, environment),
      source: "gitlab" as const,
      status: summary.status,
      environment,
      repository: hook.project.path_with_namespace,
      commit: firstText(pipeline.sha, commitSha),
      ref,
      url,
      started_at: summary.started_at,
      finished_at: summary.finished_at,
      commits:
        commit === undefined || commitSha === undefined
          ? undefined
          : [
              compact({
                sha: commitSha,
                message: firstText(commit.message, commit.title),
                author: firstText(commit.author?.name, commit.author?.email),
                timestamp: isoTime(commit.timestamp),
              }),
            ],
      ci: compact({
        provider: "gitlab",
        actor: firstText(hook.user?.username, hook.user?.email, hook.user?.name),
        event: cleanText(pipeline.source),
        ref,
        branch: pipeline.tag === true ? undefined : gitRef,
        pr_number: hook.merge_request?.iid,
        pr_title: cleanText(hook.merge_request?.title),
        run_id: pipeline.id,
        job: summary.job,
        workflow: cleanText(pipeline.name),
        run_url: url,
        environment,
        parameters,
      }),
    });
    releases.push({ ...releaseResult(release), jobs: runs });
  }
  return releasesOrIgnored(
    releases,
    `GitLab pipeline ${pipeline.id} has no started job that deploys to an environment`,
  );
}

function deployJob(raw: unknown): DeployJob | undefined {
  const parsed = buildSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const build = parsed.data;
  const environment = cleanText(build.environment?.name);
  if (environment === undefined || environment.length > MAX_ENVIRONMENT) return undefined;
  const action = cleanText(build.environment?.action)?.toLowerCase() ?? "start";
  if (action !== "start") return undefined;
  const status = JOB_STATUSES[build.status.trim().toLowerCase()];
  if (status === undefined || status === "not-started") return undefined;
  return { build, environment, status };
}
