import type { SpongeConfig, Status } from "@sponge/core";
import picomatch from "picomatch";
import { cleanText, compact, describeFailure, firstText, isoTime, makeKey } from "../fields.js";
import { ignored, releaseResult } from "../result.js";
import type { AdapterResult } from "../types.js";
import { headCommit } from "./head-commit.js";
import { type WorkflowRun, workflowRunEventSchema } from "./schemas.js";

/**
 * A completed run's conclusion, see
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#workflow_run.
 * `action_required` means the run waits for someone to approve it: not started yet.
 */
const CONCLUSIONS: Record<string, Status> = {
  success: "succeeded",
  neutral: "succeeded",
  failure: "failed",
  timed_out: "failed",
  startup_failure: "failed",
  cancelled: "cancelled",
  skipped: "cancelled",
  stale: "cancelled",
  action_required: "queued",
};

const PROGRESS: Record<string, Status> = {
  requested: "queued",
  queued: "queued",
  pending: "queued",
  waiting: "queued",
  in_progress: "running",
};

/**
 * Maps a `workflow_run` event, for workflows named in `github.deployWorkflows` only (other
 * workflows are builds and tests, not deployments). A run knows no environment: the
 * release gets the receiver's default. A workflow that creates GitHub deployments is recorded from
 * its `deployment` events instead and should not be listed (docs/config.md).
 */
export function mapWorkflowRun(payload: unknown, config: SpongeConfig): AdapterResult {
  const parsed = workflowRunEventSchema.safeParse(payload);
  if (!parsed.success)
    return ignored(`GitHub workflow_run payload is not usable: ${describeFailure(parsed.error.issues)}`);
  const { workflow_run: run, workflow, repository } = parsed.data;
  const name = firstText(run.name, workflow?.name);
  const patterns = config.github.deployWorkflows;
  if (patterns.length === 0) {
    return ignored("GitHub workflow_run: no workflow is configured as a deployment (github.deployWorkflows)");
  }
  const candidates = [name, run.path, workflow?.path, basename(run.path), basename(workflow?.path)];
  const isDeployment = picomatch(patterns, { dot: true });
  if (!candidates.some((candidate) => candidate !== undefined && isDeployment(candidate))) {
    return ignored(
      `GitHub workflow_run "${name ?? run.path ?? run.id}" does not match github.deployWorkflows`,
    );
  }
  const outcome = statusOf(run);
  if (outcome === undefined) {
    return ignored(
      `GitHub workflow_run status "${cleanText(run.status, 100)}"/"${cleanText(run.conclusion, 100)}" is not known`,
    );
  }
  const attempt = run.run_attempt ?? 1;
  const key = makeKey("github", repository.id, "run", run.id, attempt);
  const finished = outcome.terminal ? isoTime(run.updated_at) : undefined;
  const release = compact({
    key,
    source: "github" as const,
    status: outcome.status,
    repository: repository.full_name,
    commit: cleanText(run.head_sha),
    ref: cleanText(run.head_branch),
    url: cleanText(run.html_url),
    started_at: isoTime(firstText(run.run_started_at, run.created_at)),
    finished_at: finished,
    commits: headCommit(run),
    ci: compact({
      provider: "github",
      actor: run.actor,
      triggering_actor: run.triggering_actor,
      event: cleanText(run.event),
      ref: cleanText(run.head_branch),
      branch: cleanText(run.head_branch),
      run_id: run.id,
      run_attempt: attempt,
      workflow: name,
      run_url: cleanText(run.html_url),
      pr_number: run.pull_requests?.[0]?.number,
      conclusion: cleanText(run.conclusion),
    }),
  });
  return releaseResult(release);
}

function statusOf(run: WorkflowRun): { status: Status; terminal: boolean } | undefined {
  const status = cleanText(run.status)?.toLowerCase();
  if (status === "completed") {
    const conclusion = CONCLUSIONS[cleanText(run.conclusion)?.toLowerCase() ?? ""];
    if (conclusion === undefined) return undefined;
    return { status: conclusion, terminal: conclusion !== "queued" };
  }
  const progress = PROGRESS[status ?? ""];
  return progress === undefined ? undefined : { status: progress, terminal: false };
}

function basename(path: string | undefined): string | undefined {
  return path?.split("/").pop();
}
