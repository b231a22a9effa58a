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
import { stripUserinfo } from "../redact.js";
import { ignored, releaseResult } from "../result.js";
import type { AdapterResult } from "../types.js";
import { deploymentHookSchema } from "./schemas.js";

/**
 * Deployment statuses. The hook fires when a deployment starts, succeeds, fails or is
 * canceled; `created` and `blocked` (waiting for approval) are mapped for completeness.
 */
const STATUSES: Record<string, Status> = {
  created: "queued",
  blocked: "queued",
  running: "running",
  success: "succeeded",
  failed: "failed",
  canceled: "cancelled",
  skipped: "cancelled",
};

/**
 * Maps a GitLab Deployment Hook; key `gitlab:<project id>:deployment:<deployment_id>`.
 * `status_changed_at` dates the event: the start of a `running` deployment, the finish
 * of a terminal one.
 */
export function mapGitLabDeployment(payload: unknown): AdapterResult {
  const parsed = deploymentHookSchema.safeParse(payload);
  if (!parsed.success)
    return ignored(`GitLab Deployment Hook is not usable: ${describeFailure(parsed.error.issues)}`);
  const hook = parsed.data;
  const status = STATUSES[hook.status.trim().toLowerCase()];
  if (status === undefined)
    return ignored(`GitLab deployment status "${cleanText(hook.status, 100)}" is not known`);
  const environment = cleanText(hook.environment);
  if (environment === undefined) return ignored("GitLab Deployment Hook has no environment");
  if (environment.length > MAX_ENVIRONMENT) {
    return ignored(`GitLab deployment environment is longer than ${MAX_ENVIRONMENT} characters`);
  }
  const changedAt = isoTime(hook.status_changed_at);
  const terminal = status === "succeeded" || status === "failed" || status === "cancelled";
  // The hook carries only the short sha; the commit URL ends with the full one.
  const fullSha = /\/commit\/([0-9a-f]{40}|[0-9a-f]{64})\/?$/i.exec(hook.commit_url ?? "")?.[1];
  const commit = firstText(fullSha, hook.short_sha);
  const jobUrl = cleanText(hook.deployable_url);
  const release = compact({
    key: makeKey("gitlab", hook.project.id, "deployment", hook.deployment_id),
    source: "gitlab" as const,
    status,
    environment,
    repository: hook.project.path_with_namespace,
    commit,
    ref: cleanText(hook.ref),
    url: jobUrl === undefined ? undefined : stripUserinfo(jobUrl),
    started_at: status === "running" ? changedAt : undefined,
    finished_at: terminal ? changedAt : undefined,
    commits:
      commit === undefined ? undefined : [compact({ sha: commit, message: cleanText(hook.commit_title) })],
    ci: compact({
      provider: "gitlab",
      actor: firstText(hook.user?.username, hook.user?.email, hook.user?.name),
      event: "deployment",
      ref: cleanText(hook.ref),
      run_url: jobUrl === undefined ? undefined : stripUserinfo(jobUrl),
      environment,
      environment_tier: cleanText(hook.environment_tier),
      deployment_id: hook.deployment_id,
      job_id: cleanText(hook.deployable_id),
    }),
  });
  return releaseResult(release);
}
