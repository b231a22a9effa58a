import { isTerminal, type Status } from "@sponge/core";
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
 * `gitlab:<project id>:pipeline:<pipeline id>:<environment>`. Several jobs for the same
 * environment make one release: it fails if any failed, and finishes when all have.
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
    const statuses = jobs.map((job) => job.status);
    const allDone = statuses.every((status) => isTerminal(status));
    const finishes = jobs.map((job) => isoTime(job.build.finished_at)).filter((time) => time !== undefined);
    const starts = jobs.map((job) => isoTime(job.build.started_at)).filter((time) => time !== undefined);
    const release = compact({
      key: makeKey("gitlab", hook.project.id, "pipeline", pipeline.id, environment),
      source: "gitlab" as const,
      status: environmentStatus(statuses, allDone),
      environment,
      repository: hook.project.path_with_namespace,
      commit: firstText(pipeline.sha, commitSha),
      ref,
      url,
      started_at: starts.sort()[0],
      finished_at: allDone ? finishes.sort().at(-1) : undefined,
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
        job: jobs.map((job) => job.build.name ?? job.build.id).join(", "),
        job_ids: jobs.map((job) => job.build.id),
        workflow: cleanText(pipeline.name),
        run_url: url,
        environment,
        parameters,
      }),
    });
    const runs = jobs.map((job) => compact({ id: job.build.id, started_at: isoTime(job.build.started_at) }));
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

/** Terminal only once every job is (`done`); then any failure fails the environment's release. */
function environmentStatus(statuses: readonly Status[], done: boolean): Status {
  if (done) {
    if (statuses.includes("failed")) return "failed";
    if (statuses.includes("succeeded")) return "succeeded";
    return "cancelled";
  }
  return statuses.some((status) => status !== "queued") ? "running" : "queued";
}
