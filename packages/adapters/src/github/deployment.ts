import type { Status } from "@sponge/core";
import type { z } from "zod";
import {
  cleanText,
  compact,
  describeFailure,
  firstText,
  isoTime,
  MAX_ENVIRONMENT,
  makeKey,
} from "../fields.js";
import { stripUserinfo } from "../redact.js";
import { ignored, releaseResult } from "../result.js";
import type { AdapterResult, ReleaseLookup } from "../types.js";
import { headCommit } from "./head-commit.js";
import { deploymentEventSchema, deploymentStatusEventSchema } from "./schemas.js";

/**
 * deployment_status states, see
 * https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status.
 * `inactive` is how GitHub marks a deployment superseded by a newer one to the same
 * environment: it says nothing about this deployment's outcome, so it is ignored.
 */
const STATES: Record<string, Status | "ignore"> = {
  queued: "queued",
  pending: "queued",
  waiting: "queued",
  in_progress: "running",
  success: "succeeded",
  failure: "failed",
  error: "failed",
  inactive: "ignore",
};

type DeploymentEvent = z.output<typeof deploymentEventSchema>;

/** Maps a `deployment` event: the deployment was created and has no status yet. */
export function mapDeployment(payload: unknown): AdapterResult {
  const parsed = deploymentEventSchema.safeParse(payload);
  if (!parsed.success)
    return ignored(`GitHub deployment payload is not usable: ${describeFailure(parsed.error.issues)}`);
  return build("deployment", parsed.data, { status: "queued" });
}

/** Maps a `deployment_status` event onto the same release as its deployment. */
export function mapDeploymentStatus(payload: unknown): AdapterResult {
  const parsed = deploymentStatusEventSchema.safeParse(payload);
  if (!parsed.success) {
    return ignored(`GitHub deployment_status payload is not usable: ${describeFailure(parsed.error.issues)}`);
  }
  const { deployment_status: status, check_run: checkRun } = parsed.data;
  const state = status.state.trim().toLowerCase();
  const mapped = STATES[state];
  if (mapped === undefined)
    return ignored(`GitHub deployment_status state "${cleanText(state, 100)}" is not known`);
  if (mapped === "ignore") {
    return ignored(
      `GitHub deployment_status "inactive": the deployment was superseded, its outcome is unchanged`,
    );
  }
  const terminal = mapped === "succeeded" || mapped === "failed";
  return build("deployment_status", parsed.data, {
    status: mapped,
    finishedAt: terminal ? isoTime(status.created_at) : undefined,
    url: firstText(status.log_url, status.target_url, checkRun?.html_url),
    job: cleanText(checkRun?.name),
  });
}

function build(
  event: "deployment" | "deployment_status",
  data: DeploymentEvent,
  extra: {
    status: Status;
    finishedAt?: string | undefined;
    url?: string | undefined;
    job?: string | undefined;
  },
): AdapterResult {
  const { deployment, repository, workflow_run: run, workflow } = data;
  const environment = cleanText(deployment.environment);
  if (environment === undefined) return ignored(`GitHub ${event} has no environment`);
  if (environment.length > MAX_ENVIRONMENT) {
    return ignored(`GitHub ${event} environment is longer than ${MAX_ENVIRONMENT} characters`);
  }
  const key = makeKey("github", repository.id, "deployment", deployment.id);
  const url = firstText(extra.url, run?.html_url);
  const release = compact({
    key,
    source: "github" as const,
    status: extra.status,
    environment,
    repository: repository.full_name,
    commit: cleanText(deployment.sha),
    ref: cleanText(deployment.ref),
    url: url === undefined ? undefined : stripUserinfo(url),
    // The deployment's creation time, in every event of it, so all of them agree.
    started_at: isoTime(deployment.created_at),
    finished_at: extra.finishedAt,
    commits: headCommit(run),
    ci: compact({
      provider: "github",
      actor: firstText(deployment.creator, data.sender),
      triggering_actor: cleanText(run?.triggering_actor),
      event: firstText(run?.event, event),
      ref: cleanText(deployment.ref),
      branch: cleanText(run?.head_branch),
      run_id: run?.id,
      run_attempt: run?.run_attempt,
      job: extra.job,
      workflow: firstText(run?.name, workflow?.name),
      run_url: cleanText(run?.html_url),
      environment,
      pr_number: run?.pull_requests?.[0]?.number,
      deployment_id: deployment.id,
      task: cleanText(deployment.task),
    }),
  });
  const lookup: ReleaseLookup | undefined =
    run === undefined ? undefined : { repository: repository.full_name, runId: run.id, environment };
  return releaseResult(release, lookup);
}
