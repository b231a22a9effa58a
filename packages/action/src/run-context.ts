import type { context as githubContext } from "@actions/github";
import { type EventFacts, readEventPayload } from "./event-payload.js";
import { InputError } from "./input-error.js";

/** The fields of `@actions/github`'s `context` the action reads. */
export type GithubContext = Pick<
  typeof githubContext,
  | "payload"
  | "eventName"
  | "sha"
  | "ref"
  | "workflow"
  | "actor"
  | "job"
  | "runId"
  | "runAttempt"
  | "serverUrl"
  | "apiUrl"
>;

/** Everything the action knows about the workflow run it is part of. */
export interface RunContext {
  /** `owner/name`. */
  repository: string;
  owner: string;
  repo: string;
  /** The commit being deployed: the PR head on pull_request events (GITHUB_SHA is a merge commit there). */
  sha: string | undefined;
  ref: string | undefined;
  /** The branch name when the run is for a branch or a pull request. */
  branch: string | undefined;
  eventName: string | undefined;
  actor: string | undefined;
  triggeringActor: string | undefined;
  workflow: string | undefined;
  /** The job id (`GITHUB_JOB`), the same for every leg of a matrix. */
  job: string | undefined;
  runId: string | undefined;
  runAttempt: number;
  runUrl: string | undefined;
  apiUrl: string;
  /** Root of the checkout, where CODEOWNERS is looked for. */
  workspace: string;
  event: EventFacts;
}

/**
 * Reads the run from `@actions/github`'s context (hydrated from the runner's GITHUB_*
 * variables and the event payload) and the few variables it does not expose.
 * See https://docs.github.com/actions/reference/workflows-and-actions/variables.
 *
 * @example readRunContext(github.context, process.env).repository // "acme/api"
 */
export function readRunContext(
  context: GithubContext,
  env: Readonly<Record<string, string | undefined>>,
): RunContext {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const event = readEventPayload(context.payload);
  const repository = read("GITHUB_REPOSITORY");
  const [owner, repo, extra] = repository?.split("/") ?? [];
  if (!owner || !repo || extra !== undefined) {
    throw new InputError(
      `GITHUB_REPOSITORY must be owner/name, got ${JSON.stringify(repository ?? "")}: is this running in GitHub Actions?`,
    );
  }
  const runId = Number.isSafeInteger(context.runId) && context.runId > 0 ? String(context.runId) : undefined;
  const runAttempt =
    Number.isSafeInteger(context.runAttempt) && context.runAttempt > 0 ? context.runAttempt : 1;
  const serverUrl = context.serverUrl.replace(/\/+$/, "");
  const runPath = runAttempt > 1 ? `/actions/runs/${runId}/attempts/${runAttempt}` : `/actions/runs/${runId}`;
  // On deployment events the runner already sets GITHUB_SHA/GITHUB_REF to the deployment's.
  const ref = nonEmpty(context.ref);
  const headRef = read("GITHUB_HEAD_REF") ?? event.headRef;
  return {
    repository: `${owner}/${repo}`,
    owner,
    repo,
    sha: event.headSha ?? nonEmpty(context.sha),
    ref,
    branch: headRef ?? branchOf(ref),
    eventName: nonEmpty(context.eventName),
    actor: nonEmpty(context.actor),
    triggeringActor: read("GITHUB_TRIGGERING_ACTOR"),
    workflow: nonEmpty(context.workflow),
    job: nonEmpty(context.job),
    runId,
    runAttempt,
    runUrl: runId ? `${serverUrl}/${owner}/${repo}${runPath}` : undefined,
    apiUrl: context.apiUrl.replace(/\/+$/, ""),
    workspace: read("GITHUB_WORKSPACE") ?? process.cwd(),
    event,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function branchOf(ref: string | undefined): string | undefined {
  return ref?.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
}
