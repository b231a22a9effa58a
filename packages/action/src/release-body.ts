import type { ReleaseBody } from "@sponge/client";
import type { CiContext, Status } from "@sponge/core";
import type { Changes } from "./changes.js";
import type { ChangesSource } from "./collect-changes.js";
import type { ActionInputs } from "./inputs.js";
import type { ReleasePlan } from "./release-plan.js";
import type { RunContext } from "./run-context.js";

export interface ReleaseBodyParts {
  inputs: ActionInputs;
  run: RunContext;
  plan: ReleasePlan;
  changes: Changes & { source: ChangesSource };
  codeownersTeams: string[];
  /** The commit of the version deployed before, when known. */
  previousCommit: string | undefined;
  status: Status;
  /** Set for one-shot records. */
  finishedAt?: string | undefined;
}

/**
 * The release the action sends: what it knows as explicit fields (the inputs, repository,
 * commit, ref, run URL, commits) and what it saw as `ci`. Nothing is inferred here: the
 * receiver decides person, team, references and version from these.
 *
 * @example buildReleaseBody({ inputs, run, plan, changes, codeownersTeams: [], previousCommit: undefined, status: "running" }).source // "github-action"
 */
export function buildReleaseBody(parts: ReleaseBodyParts): ReleaseBody {
  const { inputs, run, plan, changes } = parts;
  const ci: CiContext = {
    provider: "github",
    actor: run.actor,
    triggering_actor: run.triggeringActor,
    event: run.eventName,
    ref: run.ref,
    branch: run.branch,
    pr_number: run.event.prNumber,
    pr_title: run.event.prTitle,
    run_id: run.runId,
    run_attempt: run.runAttempt,
    job: run.job,
    workflow: run.workflow,
    run_url: run.runUrl,
    environment: run.event.deploymentEnvironment,
    changed_files: changes.changedFiles.length > 0 ? changes.changedFiles : undefined,
    codeowners_teams: parts.codeownersTeams.length > 0 ? parts.codeownersTeams : undefined,
    pusher: run.event.pusher,
    previous_commit: parts.previousCommit,
    commits_source: changes.source,
  };
  return {
    key: plan.key,
    status: parts.status,
    environment: plan.environment,
    source: "github-action",
    repository: run.repository,
    commit: run.sha,
    ref: run.ref,
    url: run.runUrl,
    person: inputs.person,
    team: inputs.team,
    notes: inputs.notes,
    references: nonEmpty(inputs.references),
    platforms: nonEmpty(inputs.platforms),
    packages: plan.packages.map((spec) =>
      spec.version ? { name: spec.name, version: spec.version } : { name: spec.name },
    ),
    hosts: nonEmpty(inputs.hosts),
    commits: nonEmpty(changes.commits),
    finished_at: parts.finishedAt,
    ci: withoutUndefined(ci),
  };
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

function withoutUndefined(ci: CiContext): CiContext {
  return Object.fromEntries(Object.entries(ci).filter(([, value]) => value !== undefined));
}
