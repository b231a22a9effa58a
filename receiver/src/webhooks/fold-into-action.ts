import type { ReleaseLookup } from "@sponge/adapters";
import { isTerminal, type Release, type ReleaseInput } from "@sponge/core";
import type { Sql } from "../store/database.js";
import { moveDeliveries } from "../store/deliveries.js";
import { loadByKey, releasesOfRun, type StoredRelease, saveRelease } from "../store/release-rows.js";

/** Scalars the action knows better than a deployment webhook: the webhook only fills gaps. */
const ACTION_SCALARS = [
  "environment",
  "person",
  "team",
  "repository",
  "commit",
  "ref",
  "url",
  "started_at",
] as const;

/**
 * The releases the Sponge GitHub Action recorded for a workflow run's job in one environment, through the
 * `releases_by_run` index. A run re-run keeps its id, so the attempt named by the webhook wins; without
 * one, the latest attempt. A job that recorded several packages has one release per package: all of them.
 */
export async function findActionReleases(
  sql: Sql,
  lookup: ReleaseLookup,
  attempt: number | undefined,
): Promise<StoredRelease[]> {
  const environment = lookup.environment.toLowerCase();
  const candidates = (await releasesOfRun(sql, lookup.repository, lookup.runId, "github-action")).filter(
    (stored) => stored.release.environment.toLowerCase() === environment,
  );
  const attemptOf = (stored: StoredRelease) => Number(stored.release.ci?.run_attempt ?? 1);
  const wanted = attempt ?? Math.max(0, ...candidates.map(attemptOf));
  // Another attempt's release is another deployment (a re-run): the webhook then records its own release,
  // which that attempt's action adopts when its first request arrives.
  return candidates.filter((stored) => attemptOf(stored) === wanted);
}

/**
 * A deployment webhook's write, reshaped to merge into a release the action recorded: the action's key,
 * source and the scalars it already set stay (it knows the package, person and timing of the job); the
 * webhook adds the deployment's status, finish time, links, commits and whatever the action left empty.
 * The webhook's own key is kept in `metadata.github_deployment_key`.
 */
export function foldInput(input: ReleaseInput, target: Release, webhookKey: string): ReleaseInput {
  const folded: ReleaseInput = { ...input, extra: { ...input.extra } };
  delete folded.key;
  delete folded.source;
  for (const field of ACTION_SCALARS) {
    if (target[field] !== null && target[field] !== "") delete folded[field];
  }
  if (folded.ci !== undefined) {
    const ci = { ...folded.ci };
    for (const [name, value] of Object.entries(target.ci ?? {})) {
      if (value !== undefined && value !== null) delete ci[name];
    }
    folded.ci = ci;
  }
  folded.metadata = { ...folded.metadata, github_deployment_key: webhookKey };
  return folded;
}

/**
 * A release this webhook created under its own key before the action recorded the job (deliveries and
 * the action's request race at job start), or undefined. Its outcome, when it already has one, is
 * carried into `input`.
 */
export async function provisionalRelease(
  sql: Sql,
  webhookKey: string,
  input: ReleaseInput,
): Promise<StoredRelease | undefined> {
  const provisional = await loadByKey(sql, webhookKey);
  if (provisional === undefined || provisional.release.source !== "github") return undefined;
  const own = provisional.release;
  if (isTerminal(own.status) && !(input.status !== undefined && isTerminal(input.status))) {
    input.status = own.status;
    if (own.finished_at !== null) input.finished_at = own.finished_at;
  }
  return provisional;
}

/**
 * Removes a provisional webhook release once it has been folded into the action's: its packages are
 * cleared first so the current-version table forgets it, and its delivery log rows point at `intoId`.
 */
export async function retireProvisional(sql: Sql, provisional: StoredRelease, intoId: string): Promise<void> {
  await saveRelease(sql, { ...provisional.release, packages: [] }, provisional);
  await sql.run("DELETE FROM releases WHERE seq = ?", [provisional.seq]);
  await moveDeliveries(sql, provisional.release.id, intoId);
}
