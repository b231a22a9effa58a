import type { SpongeClient } from "@sponge/client";
import type { Release, Status } from "@sponge/core";
import { type ActionIo, STATE } from "./action-io.js";
import { readCodeownersTeams } from "./codeowners-teams.js";
import { collectChanges } from "./collect-changes.js";
import { credential } from "./credential.js";
import { githubCompare } from "./github-compare.js";
import { InputError } from "./input-error.js";
import { type ActionInputs, parseInputs } from "./inputs.js";
import { currentVersion, receiverClient, releaseUrl } from "./receiver-client.js";
import { buildReleaseBody } from "./release-body.js";
import { planRelease, type ReleasePlan } from "./release-plan.js";
import { renderSummary } from "./render-summary.js";
import { reportFailure } from "./report-failure.js";
import { type RunContext, readRunContext } from "./run-context.js";

/**
 * The main step. `track` and `start` create the release as running (`track` leaves its id
 * for the post step), `record` creates it finished in one request, `finish` ends the release
 * named by `release-id`. Sets the outputs `release-id`, `release-url`, `version` and
 * `previous-version`.
 *
 * @example await runMain(actionsIo()) // in dist/action/main.js
 */
export async function runMain(io: ActionIo): Promise<void> {
  let inputs: ActionInputs | undefined;
  try {
    inputs = parseInputs((name) => io.input(name));
    const run = readRunContext(io.context, io.env);
    if (inputs.mode === "finish") {
      await finish(io, inputs);
      return;
    }
    const plan = planRelease(inputs, run);
    const sponge = receiverClient(inputs, await credential(inputs, io));
    const release = await startRelease(io, inputs, run, plan, sponge);
    const url = releaseUrl(inputs.url, release.id);
    const pkg =
      release.packages.find((candidate) => candidate.name === plan.packages[0]?.name) ?? release.packages[0];
    io.setOutput("release-id", release.id);
    io.setOutput("release-url", url);
    io.setOutput("version", pkg?.version ?? "");
    io.setOutput("previous-version", pkg?.previous_version ?? "");
    if (inputs.mode === "track") {
      io.saveState(STATE.releaseId, release.id);
      io.saveState(STATE.releaseUrl, url);
      io.info(
        `Sponge: release ${release.id} is ${release.status}; the post step finishes it with the job's status`,
      );
    } else {
      io.info(`Sponge: release ${release.id} recorded as ${release.status}: ${url}`);
      await writeSummary(io, release, url);
    }
  } catch (error) {
    reportFailure(io, error, inputs?.failOnError ?? false, "recording the deployment");
  }
}

async function startRelease(
  io: ActionIo,
  inputs: ActionInputs,
  run: RunContext,
  plan: ReleasePlan,
  sponge: SpongeClient,
): Promise<Release> {
  const primary = plan.packages[0]?.name ?? run.repo;
  const current = await currentVersion(sponge, primary, plan.environment);
  const previousCommit = current?.commit ?? undefined;
  const changes = await collectChanges({
    previousCommit,
    head: run.sha,
    compare: inputs.githubToken
      ? githubCompare({
          token: inputs.githubToken,
          owner: run.owner,
          repo: run.repo,
          apiUrl: run.apiUrl,
          timeoutMs: inputs.timeoutMs,
        })
      : undefined,
    event: run.event,
    warn: (message) => io.warning(`Sponge: ${message}`),
  });
  const codeownersTeams = await readCodeownersTeams(run.workspace, changes.changedFiles);
  const record = inputs.mode === "record";
  const status: Status = record
    ? (inputs.status ?? inputs.jobStatus ?? "succeeded")
    : (inputs.status ?? "running");
  const body = buildReleaseBody({
    inputs,
    run,
    plan,
    changes,
    codeownersTeams,
    previousCommit,
    status,
    finishedAt: record ? io.now().toISOString() : undefined,
  });
  return sponge.createRelease(body);
}

async function finish(io: ActionIo, inputs: ActionInputs): Promise<void> {
  if (inputs.releaseId === undefined) {
    throw new InputError(
      'mode "finish" needs the "release-id" input (the release-id output of the start step)',
    );
  }
  const status = finalStatus(inputs.status ?? inputs.jobStatus ?? "succeeded");
  const sponge = receiverClient(inputs, await credential(inputs, io));
  const release = await sponge.finishRelease(inputs.releaseId, {
    status,
    finished_at: io.now().toISOString(),
  });
  const url = releaseUrl(inputs.url, release.id);
  const pkg = release.packages[0];
  io.setOutput("release-id", release.id);
  io.setOutput("release-url", url);
  io.setOutput("version", pkg?.version ?? "");
  io.setOutput("previous-version", pkg?.previous_version ?? "");
  io.info(`Sponge: release ${release.id} finished as ${release.status}: ${url}`);
  await writeSummary(io, release, url);
}

/** Finishing takes a terminal status only. */
export function finalStatus(status: Status): "succeeded" | "failed" | "cancelled" {
  if (status === "succeeded" || status === "failed" || status === "cancelled") return status;
  throw new InputError(`a release is finished as succeeded, failed or cancelled, not ${status}`);
}

/** The summary is a courtesy: a runner without GITHUB_STEP_SUMMARY must not fail the step. */
export async function writeSummary(io: ActionIo, release: Release, url: string): Promise<void> {
  try {
    await io.writeSummary(renderSummary(release, url));
  } catch (error) {
    io.info(`Sponge: no job summary written (${error instanceof Error ? error.message : String(error)})`);
  }
}
