import {
  applyReleaseInput,
  type FieldIssue,
  leadTimeMs,
  type Package,
  type Release,
  type ReleaseInput,
  type Source,
  type SpongeConfig,
  settleChildren,
} from "@sponge/core";
import { uuidv7 } from "uuidv7";
import { forbidden, notFound, quoted, unprocessable } from "../errors.js";
import type { Sql } from "../store/database.js";
import {
  deployedCommits,
  deploymentsFrom,
  loadById,
  loadByKey,
  loadBySeq,
  packageHistory,
  redeploymentsFrom,
  releasesOfRun,
  type StoredRelease,
  saveRelease,
} from "../store/release-rows.js";
import { applyInference } from "./apply-inference.js";
import { compareUrl, DIFF_URL_SOURCE, diffUrlField } from "./compare-url.js";

export interface WriteContext {
  config: SpongeConfig;
  now: string;
  /**
   * The repository an OIDC caller may write for (see `confinedTo`): a write that would change a release of
   * another repository, or of none, is refused with 403, inside the write so that no race gets round it.
   */
  owner?: string | undefined;
}

/** The outcome of a write: the stored document and whether a release was created. */
export interface WriteResult {
  release: Release;
  doc: string;
  created: boolean;
}

/**
 * Creates a release, or merges into the one with the same `key` (idempotency rests on the unique index:
 * this runs inside the write transaction, so two receivers cannot both create it).
 */
export async function createOrMergeRelease(
  sql: Sql,
  ctx: WriteContext,
  input: ReleaseInput,
  source: Source,
): Promise<WriteResult> {
  let existing = input.key ? await loadByKey(sql, input.key) : undefined;
  const adopted = existing === undefined ? await webhookReleaseOfJob(sql, input, source) : undefined;
  existing ??= adopted;
  const release = applyReleaseInput(existing?.release ?? null, input, { id: uuidv7(), now: ctx.now, source });
  if (adopted) {
    // The action knows the job best: its key and source replace the webhook's; the webhook's key is kept.
    release.source = "github-action";
    release.metadata.github_deployment_key = adopted.release.key;
  }
  return finishWrite(sql, ctx, release, existing, input);
}

/**
 * A release a GitHub deployment webhook recorded for the same repository, workflow run (and attempt) and
 * environment before the action's first request for that job arrived. The deliveries race at job start;
 * the action's write adopts that release so the job is recorded once, whichever came first.
 */
async function webhookReleaseOfJob(
  sql: Sql,
  input: ReleaseInput,
  source: Source,
): Promise<StoredRelease | undefined> {
  const runId = input.ci?.run_id;
  if ((input.source ?? source) !== "github-action" || !input.repository || !runId) return undefined;
  const environment = input.environment?.toLowerCase();
  const attempt = input.ci?.run_attempt ?? 1;
  return (await releasesOfRun(sql, input.repository, runId, "github")).find(({ release }) => {
    const sameEnvironment = environment === undefined || release.environment.toLowerCase() === environment;
    return sameEnvironment && Number(release.ci?.run_attempt ?? attempt) === attempt;
  });
}

/** Merges a write into an existing release; `force` marks an explicit correction (PATCH). */
export async function updateRelease(
  sql: Sql,
  ctx: WriteContext,
  id: string,
  input: ReleaseInput,
  force: boolean,
): Promise<WriteResult> {
  const existing = await requireRelease(sql, id);
  const release = applyReleaseInput(existing.release, input, { id, now: ctx.now, source: "api", force });
  return finishWrite(sql, ctx, release, existing, input);
}

/** Applies `change` to a release's packages or hosts (explicit per-package corrections). */
export async function changeRelease(
  sql: Sql,
  ctx: WriteContext,
  id: string,
  change: (release: Release) => void,
): Promise<WriteResult> {
  const existing = await requireRelease(sql, id);
  const release = structuredClone(existing.release);
  const previousStatus = release.status;
  change(release);
  release.updated_at = ctx.now;
  settleChildren(release, previousStatus, { now: ctx.now });
  return finishWrite(sql, ctx, release, existing, undefined);
}

/** Refuses a write of an OIDC caller (`owner`) to another repository's release, before or after it. */
function refuseForeignWrite(
  owner: string | undefined,
  release: Release,
  existing: Release | undefined,
): void {
  if (owner === undefined) return;
  const own = (repository: string | null) => repository?.toLowerCase() === owner.toLowerCase();
  if ((existing && !own(existing.repository)) || !own(release.repository)) {
    const whose = existing && !own(existing.repository) ? existing.repository : release.repository;
    throw forbidden(
      `this OIDC token may only write releases of ${owner}; release ${quoted(release.id)} belongs to ${
        whose === null ? "no repository" : quoted(whose)
      }`,
    );
  }
}

async function requireRelease(sql: Sql, id: string): Promise<StoredRelease> {
  const existing = await loadById(sql, id);
  if (!existing) throw notFound(`release ${quoted(id)}`);
  return existing;
}

async function finishWrite(
  sql: Sql,
  ctx: WriteContext,
  release: Release,
  existing: StoredRelease | undefined,
  input: ReleaseInput | undefined,
): Promise<WriteResult> {
  if (input) {
    keepSentDiffUrls(release, input.packages ?? []);
    applyInference(release, { package: input.package, version: input.version ?? undefined }, ctx.config);
    settleChildren(release, release.status, { now: ctx.now });
  }
  refuseForeignWrite(ctx.owner, release, existing?.release);
  refuseOversized(release, existing?.release);
  refuseFutureTimes(release, existing?.release, ctx.now);
  await deriveFromHistory(sql, release, existing?.seq);
  const doc = JSON.stringify(release);
  const seq = await saveRelease(sql, release, existing, doc);
  await rederiveFollowing(sql, release, existing, seq);
  return { release, doc, created: existing === undefined };
}

/**
 * A succeeded deployment written out of order (a backfill older than what is stored) or corrected
 * afterwards changes the history of the deployments that started after it finished: their previous
 * version, rollback flag and lead time. Those up to the next succeeded deployment of each of its packages,
 * and the later succeeded redeployments of the same version (rollbacks to it), are derived again and saved
 * when that changes them (at most FOLLOWING_LIMIT of each). Written in order, both searches find nothing.
 */
async function rederiveFollowing(
  sql: Sql,
  release: Release,
  existing: StoredRelease | undefined,
  seq: number,
): Promise<void> {
  const following = new Set<number>();
  const follow = async (pkg: Release["packages"][number], environment: string) => {
    if (pkg.status !== "succeeded" || pkg.finished_at === null) return;
    const from = pkg.finished_at;
    for (const later of await deploymentsFrom(sql, pkg.name, environment, from, seq)) following.add(later);
    if (pkg.version === null) return;
    for (const later of await redeploymentsFrom(sql, pkg.name, environment, pkg.version, from, seq))
      following.add(later);
  };
  for (const pkg of release.packages) await follow(pkg, release.environment);
  if (existing) for (const pkg of existing.release.packages) await follow(pkg, existing.release.environment);
  for (const laterSeq of following) {
    const stored = await loadBySeq(sql, laterSeq);
    if (!stored) continue;
    const later = structuredClone(stored.release);
    await deriveFromHistory(sql, later, laterSeq);
    if (derivedFields(later) !== derivedFields(stored.release)) await saveRelease(sql, later, stored);
  }
}

/** What deriveFromHistory sets, to tell whether it changed anything. */
function derivedFields(release: Release): string {
  return JSON.stringify([
    release.rollback,
    release.lead_time_ms,
    release.packages.map((pkg) => [pkg.previous_version, pkg.rollback, pkg.diff_url]),
  ]);
}

/**
 * The most items one release holds, whatever the number of writes that add them: a release is one
 * document, read and written whole, so one that grew without end would slow every write to it and every
 * page that shows it.
 */
export const RELEASE_LIMITS = {
  packages: 1_000,
  hosts: 10_000,
  commits: 10_000,
  references: 10_000,
  notes: 10_000,
  platforms: 1_000,
} as const;

/** Refuses (422, naming the list) a write that would take a list of the release past its limit. */
function refuseOversized(release: Release, existing: Release | undefined): void {
  const issues: FieldIssue[] = [];
  for (const [field, limit] of Object.entries(RELEASE_LIMITS) as [keyof typeof RELEASE_LIMITS, number][]) {
    const count = release[field].length;
    if (count > limit && count > (existing?.[field].length ?? 0)) {
      issues.push({
        field,
        message: `a release holds at most ${limit.toLocaleString("en-US")} ${field}; this write would make it ${count.toLocaleString("en-US")}`,
      });
    }
  }
  if (issues.length > 0) throw unprocessable(issues);
}

/** How far ahead of the receiver's clock a start or finish time may be (clocks that drift a little). */
export const FUTURE_TOLERANCE_MS = 3_600_000;

/**
 * A start or finish time well in the future is a mistake (a local time sent as UTC, a typo): kept, a
 * finish in 2099 would hold the current version for decades. Refused with a 422 naming the field; times
 * the write did not change are left alone, so a stored release can still be corrected.
 */
function refuseFutureTimes(release: Release, existing: Release | undefined, now: string): void {
  const limit = Date.parse(now) + FUTURE_TOLERANCE_MS;
  const issues: FieldIssue[] = [];
  const check = (field: string, value: string | null, before: string | null | undefined) => {
    if (value !== null && value !== before && Date.parse(value) > limit) {
      issues.push({ field, message: `${value} is more than an hour ahead of the receiver's clock (${now})` });
    }
  };
  check("started_at", release.started_at, existing?.started_at);
  check("finished_at", release.finished_at, existing?.finished_at);
  release.packages.forEach((pkg, i) => {
    const before = existing?.packages.find((p) => p.name === pkg.name);
    check(`packages.${i}.started_at`, pkg.started_at, before?.started_at);
    check(`packages.${i}.finished_at`, pkg.finished_at, before?.finished_at);
  });
  release.hosts.forEach((host, i) => {
    const before = existing?.hosts.find((h) => h.name === host.name && h.package === host.package);
    check(`hosts.${i}.started_at`, host.started_at, before?.started_at);
    check(`hosts.${i}.finished_at`, host.finished_at, before?.finished_at);
  });
  if (issues.length > 0) throw unprocessable(issues);
}

/**
 * A package's `diff_url`, unless a sender gave one: the forge's comparison of the previous deployment's
 * commit with this release's (compare-url.ts). `inferred` marks a derived one, which follows the history.
 */
function deriveDiffUrl(
  release: Release,
  pkg: Package,
  previous: { repository: string | null; commit: string | null } | undefined,
): void {
  const field = diffUrlField(pkg.name);
  if (pkg.diff_url !== null && release.inferred[field] === undefined) return;
  // A previous deployment from another repository (a package that moved) has no comparable commit.
  const sameRepository = previous?.repository?.toLowerCase() === release.repository?.toLowerCase();
  const url = sameRepository ? compareUrl(release, previous?.commit, release.commit) : undefined;
  pkg.diff_url = url ?? null;
  if (url === undefined) delete release.inferred[field];
  else release.inferred[field] = DIFF_URL_SOURCE;
}

/**
 * Forgets that a write's explicit `diff_url`s were derived, so that they are kept as sent (a sent `null`
 * counts as none sent: the link is derived again).
 *
 * @example keepSentDiffUrls(release, [{ name: "api", diff_url: "https://review.acme.io/17" }])
 */
export function keepSentDiffUrls(
  release: Release,
  packages: readonly { name: string; diff_url?: unknown }[],
): void {
  for (const pkg of packages) if (pkg.diff_url !== undefined) delete release.inferred[diffUrlField(pkg.name)];
}

/** previous_version, rollback, diff_url and lead time: they depend on what was deployed before. */
async function deriveFromHistory(sql: Sql, release: Release, seq: number | undefined): Promise<void> {
  // Lead time counts commits new since the previous deployment of the first package that has one.
  let previousSeq: number | undefined;
  for (const pkg of release.packages) {
    const started = pkg.started_at ?? release.started_at;
    const history = await packageHistory(sql, pkg.name, release.environment, pkg.version, started, seq);
    pkg.previous_version = history.previous?.version ?? null;
    pkg.rollback = history.redeployed;
    deriveDiffUrl(release, pkg, history.previous);
    previousSeq ??= history.previous?.release_seq;
  }
  release.rollback = release.packages.some((p) => p.rollback);
  // Kept for a release that failed too when one of its packages succeeded: that package's DORA counts it.
  const needsLeadTime =
    (release.status === "succeeded" || release.packages.some((p) => p.status === "succeeded")) &&
    release.finished_at !== null &&
    release.commits.some((c) => c.timestamp);
  release.lead_time_ms = needsLeadTime
    ? leadTimeMs(
        release.finished_at,
        release.commits,
        previousSeq === undefined ? new Set() : await deployedCommits(sql, previousSeq),
      )
    : null;
}
