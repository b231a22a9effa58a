import type { ReleaseInput } from "./schemas.js";
import { isTerminal, mergeStatus } from "./status.js";
import { durationMs } from "./time.js";
import type { Commit, Host, Package, Release, Source, Status } from "./types.js";

export interface MergeContext {
  /** Id for a new release. */
  id: string;
  /** Receipt time, ISO 8601. */
  now: string;
  /** Source when the input names none. */
  source: Source;
  /** An explicit correction (`PATCH`): may change a terminal status. */
  force?: boolean;
}

/** `metadata` flag of a release failed by one of its packages rather than by its own status. */
const ROLLED_UP = "failed_by_package";

/** `inferred` entry of a finish time taken from the moment the outcome was received. */
const FINISH_FIELD = "finished_at";

/** `inferred` entry of a start time taken from the moment the release was first heard of. */
const START_FIELD = "started_at";

const SCALARS = ["environment", "person", "team", "repository", "commit", "ref", "url", "key"] as const;

function statusOf(input: { status?: Status | undefined; success?: boolean | undefined }): Status | undefined {
  if (input.status) return input.status;
  if (input.success === undefined) return undefined;
  return input.success ? "succeeded" : "failed";
}

/**
 * Folds one write into a release (DESIGN.md "Merging"): explicit scalars — last writer wins; arrays —
 * union; a terminal status is never reverted unless `force`; a package's own status overrides the
 * release status for that package. Derived fields that need history (previous version, rollback, lead
 * time) and inference are applied afterwards by the receiver.
 *
 * @example applyReleaseInput(null, { status: "running", extra: {} }, { id, now, source: "api" }).status // "running"
 */
export function applyReleaseInput(existing: Release | null, input: ReleaseInput, ctx: MergeContext): Release {
  const incoming = statusOf(input) ?? (existing === null && input.finished_at ? "succeeded" : undefined);
  const previousStatus = existing?.status ?? "running";
  // A release the receiver cancelled because it heard nothing for too long takes the real outcome when
  // it does arrive (an approval that waited hours, a long build), as an explicit correction would.
  const revived =
    existing?.metadata.expired === true &&
    existing.status === "cancelled" &&
    (incoming === "succeeded" || incoming === "failed");
  const force = ctx.force === true || revived;
  const status = existing ? mergeStatus(existing.status, incoming, force) : (incoming ?? "running");
  // An event that arrives after the release ended and reports it still in progress (a delivery retried
  // late, events out of order) fills gaps but overwrites nothing: its link, CI details and metadata are
  // older than what is there.
  const late =
    existing !== null &&
    isTerminal(existing.status) &&
    incoming !== undefined &&
    !isTerminal(incoming) &&
    !force;
  const metadata: Record<string, unknown> = late
    ? { ...input.metadata, ...input.extra, ...existing.metadata }
    : { ...existing?.metadata, ...input.metadata, ...input.extra };
  if (revived) delete metadata.expired;
  // A status given explicitly replaces one the packages rolled up to.
  if (force && incoming !== undefined) delete metadata[ROLLED_UP];

  const finish = finishAfter(existing, input, status, { now: ctx.now, force, revived });
  const finishedAt = finish.at;

  const start = startAfter(existing, input, finishedAt, ctx.now);
  const startedAt = start.at;

  const inferred = { ...existing?.inferred };
  if (finish.received) inferred[FINISH_FIELD] = "received_at";
  else delete inferred[FINISH_FIELD];
  if (start.from !== undefined) inferred[START_FIELD] = start.from;
  else delete inferred[START_FIELD];
  const release: Release = {
    id: existing?.id ?? ctx.id,
    key: existing?.key ?? null,
    status,
    environment: existing?.environment ?? "",
    platforms: union(existing?.platforms, input.platforms),
    notes: union(existing?.notes, input.notes),
    references: union(existing?.references, input.references),
    person: existing?.person ?? null,
    team: existing?.team ?? null,
    source: (input.source as Source | undefined) ?? existing?.source ?? ctx.source,
    repository: existing?.repository ?? null,
    commit: existing?.commit ?? null,
    ref: existing?.ref ?? null,
    url: existing?.url ?? null,
    started_at: startedAt,
    finished_at: finishedAt,
    duration_ms: null,
    lead_time_ms: existing?.lead_time_ms ?? null,
    rollback: existing?.rollback ?? false,
    metadata,
    ci:
      input.ci || existing?.ci
        ? late
          ? { ...input.ci, ...existing?.ci }
          : { ...existing?.ci, ...input.ci }
        : null,
    inferred,
    packages: existing?.packages.map((p) => ({ ...p })) ?? [],
    hosts: existing?.hosts.map((h) => ({ ...h })) ?? [],
    commits: mergeCommits(existing?.commits ?? [], input.commits ?? []),
    created_at: existing?.created_at ?? ctx.now,
    updated_at: ctx.now,
  };
  for (const field of SCALARS) {
    const value = input[field];
    if (late && release[field] !== null && release[field] !== "") continue;
    if (value !== undefined && value !== null) {
      release[field] = value;
      delete inferred[field];
    }
  }
  dropInferredPackage(release, input);
  if (existing) followReleaseTimes(release, existing);
  // A revived release's packages take the outcomes the reviving write gives them over the cancellation.
  for (const pkg of input.packages ?? []) mergePackage(release, pkg, revived);
  mergeHosts(release, input.hosts ?? []);
  startNoLaterThanChildren(release);
  const rolledUp = settleChildren(release, previousStatus, { now: ctx.now, force });
  if (existing && force && !rolledUp && status !== previousStatus && isTerminal(previousStatus)) {
    recordStatusChange(metadata, previousStatus, status, ctx.now);
  }
  return release;
}

/**
 * The release's finish time after a write, and whether it is only the moment the outcome was received
 * (`inferred.finished_at`). A finished release keeps its finish against later events, except that a finish
 * nobody sent gives way to one that is sent (Jenkins' COMPLETED after FINALIZED), as explicit values do; a
 * correction (`force`) takes the write's; a revived release's cancellation time is not its finish.
 */
function finishAfter(
  existing: Release | null,
  input: ReleaseInput,
  status: Status,
  ctx: { now: string; force: boolean; revived: boolean },
): { at: string | null; received: boolean } {
  if (!isTerminal(status)) return { at: null, received: false };
  const before = ctx.revived ? null : (existing?.finished_at ?? null);
  const beforeReceived = existing?.inferred[FINISH_FIELD] !== undefined;
  const settled = before !== null && existing !== null && isTerminal(existing.status) && !ctx.force;
  if (input.finished_at !== undefined) {
    return { at: settled && !beforeReceived ? before : input.finished_at, received: false };
  }
  return before !== null ? { at: before, received: beforeReceived } : { at: ctx.now, received: true };
}

/**
 * The release's start after a write, and what it was taken from when nobody sent it (`inferred.started_at`).
 * Without a start of its own, a new release starts when it is received (`received_at`), or at its finish if
 * that is earlier (`finished_at`: a backfilled record). Such a start gives way to one that is sent, and to a
 * finish reported or corrected to earlier than it (a late delivery of a release first heard of as running),
 * so a release never finishes before it starts.
 */
function startAfter(
  existing: Release | null,
  input: ReleaseInput,
  finishedAt: string | null,
  now: string,
): { at: string; from: string | undefined } {
  if (input.started_at !== undefined) return { at: input.started_at, from: undefined };
  if (existing === null) {
    return finishedAt !== null && finishedAt < now
      ? { at: finishedAt, from: FINISH_FIELD }
      : { at: now, from: "received_at" };
  }
  const from = existing.inferred[START_FIELD];
  // A start taken from the finish follows it either way; a received one only moves back.
  const follows = from === FINISH_FIELD || (finishedAt !== null && finishedAt < existing.started_at);
  if (from !== undefined && finishedAt !== null && follows) return { at: finishedAt, from: FINISH_FIELD };
  return { at: existing.started_at, from };
}

/**
 * A start nobody sent (`inferred.started_at`) is no later than a package or host that already finished
 * (one reported with its own earlier finish while the release runs): it moves back to the earliest such
 * finish, and the packages and hosts that started with the release move with it.
 */
function startNoLaterThanChildren(release: Release): void {
  if (release.inferred[START_FIELD] === undefined) return;
  const children = [...release.packages, ...release.hosts];
  const earliest = children
    .map((child) => child.finished_at)
    .filter((time) => time !== null)
    .sort()[0];
  if (earliest === undefined || earliest >= release.started_at) return;
  for (const child of children) if (child.started_at === release.started_at) child.started_at = earliest;
  release.started_at = earliest;
  release.inferred[START_FIELD] = FINISH_FIELD;
}

/**
 * A package inferred earlier (from the repository name, say) gives way once the release names its packages
 * explicitly: the explicit list is the truth, the guess was only a stand-in.
 */
function dropInferredPackage(release: Release, input: ReleaseInput): void {
  const explicit = (input.packages?.length ?? 0) > 0 || input.package !== undefined;
  const guessed = release.inferred["packages[0].name"] !== undefined ? release.packages[0]?.name : undefined;
  if (!explicit || guessed === undefined) return;
  const named = new Set([
    ...(input.packages ?? []).map((p) => p.name),
    ...(input.package ? [input.package] : []),
  ]);
  if (!named.has(guessed)) release.packages.splice(0, 1);
  for (const field of Object.keys(release.inferred)) {
    if (field.startsWith("packages[")) delete release.inferred[field];
  }
}

/**
 * Packages whose start or finish time was the release's keep following it when a write moves the
 * release's time (a corrected `finished_at`, a backfilled `started_at`); times of their own stay.
 */
function followReleaseTimes(release: Release, existing: Release): void {
  for (const child of [...release.packages, ...release.hosts]) {
    if (release.started_at !== existing.started_at && child.started_at === existing.started_at) {
      child.started_at = release.started_at;
    }
    if (release.finished_at !== existing.finished_at && child.finished_at === existing.finished_at) {
      child.finished_at = release.finished_at;
    }
  }
}

/** Notes in `metadata.status_changes` that a terminal status was changed afterwards. */
function recordStatusChange(metadata: Record<string, unknown>, from: Status, to: Status, at: string): void {
  const changes = Array.isArray(metadata.status_changes) ? metadata.status_changes : [];
  metadata.status_changes = [...changes, { from, to, at }];
}

function union(current: readonly string[] | undefined, more: readonly string[] | undefined): string[] {
  return [...new Set([...(current ?? []), ...(more ?? [])])];
}

function mergeCommits(current: readonly Commit[], more: readonly Commit[]): Commit[] {
  const bySha = new Map(current.map((c) => [c.sha, { ...c }]));
  for (const commit of more) {
    const known = bySha.get(commit.sha);
    const merged: Commit = { ...known, sha: commit.sha };
    if (commit.message) merged.message = commit.message;
    if (commit.author) merged.author = commit.author;
    if (commit.timestamp) merged.timestamp = commit.timestamp;
    bySha.set(commit.sha, merged);
  }
  return [...bySha.values()];
}

interface PackageWrite {
  name: string;
  version?: string | undefined;
  status?: Status | undefined;
  success?: boolean | undefined;
  started_at?: string | undefined;
  finished_at?: string | undefined;
  diff_url?: string | undefined;
}

/** Adds or updates one package of a release. */
export function mergePackage(release: Release, input: PackageWrite, force = false): Package {
  let pkg = release.packages.find((p) => p.name === input.name);
  if (!pkg) {
    pkg = {
      name: input.name,
      version: null,
      previous_version: null,
      status: release.status === "queued" ? "queued" : "running",
      rollback: false,
      started_at: null,
      finished_at: null,
      duration_ms: null,
      diff_url: null,
    };
    release.packages.push(pkg);
  }
  if (input.version !== undefined) pkg.version = input.version;
  if (input.diff_url !== undefined) pkg.diff_url = input.diff_url;
  if (input.started_at !== undefined) pkg.started_at = input.started_at;
  const status = statusOf(input);
  if (status) {
    const next = mergeStatus(pkg.status, status, force);
    if (next !== pkg.status && !isTerminal(next)) pkg.finished_at = null;
    pkg.status = next;
  }
  if (input.finished_at !== undefined && isTerminal(pkg.status)) pkg.finished_at = input.finished_at;
  return pkg;
}

interface HostWrite {
  name: string;
  package?: string | undefined;
  status?: Status | undefined;
  success?: boolean | undefined;
  started_at?: string | undefined;
  finished_at?: string | undefined;
  message?: string | undefined;
}

const hostKey = (name: string, pkg: string | null) => `${name}\u0000${pkg === null ? "\u0001" : pkg}`;

/**
 * Adds or updates many host results of a release, finding each host through one index built for the call
 * (thousands of hosts, one by one through mergeHost, would scan the list for each).
 *
 * @example mergeHosts(release, [{ name: "web-1", status: "succeeded" }, { name: "web-2", status: "failed" }])
 */
export function mergeHosts(release: Release, inputs: readonly HostWrite[]): void {
  const index = new Map(release.hosts.map((h) => [hostKey(h.name, h.package), h]));
  for (const input of inputs) {
    const key = hostKey(input.name, input.package ?? null);
    const host = applyHost(release, index.get(key), input);
    index.set(key, host);
  }
}

/** Adds or updates one host result of a release. */
export function mergeHost(release: Release, input: HostWrite): Host {
  const pkgName = input.package ?? null;
  return applyHost(
    release,
    release.hosts.find((h) => h.name === input.name && h.package === pkgName),
    input,
  );
}

/** Updates `found`, the release's host of `input`'s name and package, or adds one when there is none. */
function applyHost(release: Release, found: Host | undefined, input: HostWrite): Host {
  const pkgName = input.package ?? null;
  let host = found;
  if (!host) {
    host = {
      name: input.name,
      package: pkgName,
      // A host may be announced before its deployment starts.
      status: statusOf(input) === "queued" ? "queued" : "running",
      started_at: null,
      finished_at: null,
      duration_ms: null,
      message: null,
    };
    release.hosts.push(host);
  }
  const status = statusOf(input);
  if (status) host.status = mergeStatus(host.status, status);
  if (input.started_at !== undefined) host.started_at = input.started_at;
  if (input.finished_at !== undefined) host.finished_at = input.finished_at;
  if (input.message !== undefined) host.message = input.message;
  return host;
}

/**
 * Brings packages and hosts in line with the release after a write: packages without a terminal status
 * of their own follow the release, hosts without one take its outcome when it ends; a correction of the
 * release status carries packages and hosts that had the old status with it; start and finish times
 * default to the release's; durations are recomputed. Returns whether the packages changed the release's
 * status (a failed package failed it, or correcting that package restored it), which it then recorded.
 */
export function settleChildren(
  release: Release,
  previousStatus: Status,
  ctx: Pick<MergeContext, "now" | "force">,
): boolean {
  for (const pkg of release.packages) {
    if (ctx.force && pkg.status === previousStatus) pkg.status = release.status;
    else pkg.status = mergeStatus(pkg.status, release.status);
    pkg.started_at ??= release.started_at;
    if (isTerminal(pkg.status)) pkg.finished_at ??= release.finished_at ?? ctx.now;
    else pkg.finished_at = null;
    pkg.duration_ms = durationMs(pkg.started_at, pkg.finished_at);
  }
  // A release that succeeded while one of its packages failed did not succeed (its packages roll up into
  // it): it counts as a failed deployment, marked so that correcting the package undoes it. An explicit
  // correction of the release status carried the packages that had the old status with it above.
  const packageFailed = release.packages.some((pkg) => pkg.status === "failed");
  let rolledUp = false;
  if (release.status === "succeeded" && packageFailed) {
    release.status = "failed";
    release.metadata[ROLLED_UP] = true;
    rolledUp = true;
  } else if (release.status === "failed" && release.metadata[ROLLED_UP] === true && !packageFailed) {
    release.status = "succeeded";
    delete release.metadata[ROLLED_UP];
    rolledUp = true;
  }
  if (rolledUp && isTerminal(previousStatus) && previousStatus !== release.status) {
    recordStatusChange(release.metadata, previousStatus, release.status, ctx.now);
  }
  // Hosts report their own progress; one that never reported an outcome takes its package's when it has
  // one, else the release's, when the release ends.
  for (const host of release.hosts) {
    const outcome = release.packages.find((pkg) => pkg.name === host.package)?.status ?? release.status;
    if (ctx.force && host.status === previousStatus) host.status = outcome;
    else if (isTerminal(release.status)) host.status = mergeStatus(host.status, outcome);
    host.started_at ??= release.started_at;
    if (isTerminal(host.status)) host.finished_at ??= release.finished_at ?? ctx.now;
    host.duration_ms = durationMs(host.started_at, host.finished_at);
  }
  release.duration_ms = durationMs(release.started_at, release.finished_at);
  return rolledUp;
}
