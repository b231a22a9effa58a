import type { CiContext, Commit, Release, Source, Status } from "@sponge/core";

/** A terminal status: what a finished release can end as. */
export type FinalStatus = Extract<Status, "succeeded" | "failed" | "cancelled">;

/** One package deployed by a release. Versions need no particular order; short shas work. */
export interface PackageBody {
  name: string;
  version?: string | undefined;
  status?: Status | undefined;
  started_at?: string | undefined;
  finished_at?: string | undefined;
  diff_url?: string | undefined;
}

/** One host's result within a release. */
export interface HostBody {
  name: string;
  package?: string | undefined;
  status?: Status | undefined;
  started_at?: string | undefined;
  finished_at?: string | undefined;
  message?: string | undefined;
}

/**
 * What a caller may send for a release. Every field is optional: the receiver infers what
 * it can from `ci` (what the CI saw) and fills in defaults. Derived fields (durations,
 * rollback) are computed by the receiver and cannot be sent.
 */
export interface ReleaseBody {
  /** Idempotency key: the same key again yields the same release. Generated when absent. */
  key?: string | undefined;
  status?: Status | undefined;
  environment?: string | undefined;
  platforms?: string[] | undefined;
  notes?: string | string[] | undefined;
  references?: string[] | undefined;
  person?: string | undefined;
  team?: string | undefined;
  source?: Source | undefined;
  repository?: string | undefined;
  commit?: string | undefined;
  ref?: string | undefined;
  url?: string | undefined;
  started_at?: string | undefined;
  finished_at?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
  ci?: CiContext | undefined;
  /** Objects or `name@version` strings. */
  packages?: Array<PackageBody | string> | undefined;
  hosts?: Array<HostBody | string> | undefined;
  commits?: Array<Commit | string> | undefined;
}

/** A change to an existing release (`PATCH`): the key cannot change. */
export type ReleaseUpdate = Omit<ReleaseBody, "key">;

export interface FinishBody {
  /** Defaults to `succeeded` on the receiver. */
  status?: FinalStatus | undefined;
  finished_at?: string | undefined;
}

/** A structured log line; plain text lines are sent as `text/plain` instead. */
export interface LogEntry {
  ts?: string | undefined;
  level?: string | undefined;
  host?: string | undefined;
  message: string;
}

/** Filters of `GET /api/releases`. */
export interface ReleaseFilters {
  package?: string | undefined;
  environment?: string | undefined;
  status?: Status | undefined;
  team?: string | undefined;
  person?: string | undefined;
  platform?: string | undefined;
  reference?: string | undefined;
  host?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** The version of a package that runs in an environment now. */
export interface CurrentVersion {
  package: string;
  environment: string;
  version: string | null;
  release_id: string;
  deployed_at: string | null;
  person: string | null;
  team: string | null;
  commit: string | null;
}

/** What `DELETE /api/packages/:name/current` took out of an environment. */
export interface RemovedVersion {
  package: string;
  environment: string;
  removed_at: string;
  version: string | null;
  release_id: string;
}

export type TokenScope = "read" | "write" | "admin";

/** A stored API token as listed by the receiver (never the secret itself). */
export interface TokenInfo {
  id: string;
  scope: TokenScope;
  name: string | null;
  [field: string]: unknown;
}

/** A newly created token: the secret is in `token`, shown this once. */
export interface CreatedToken extends TokenInfo {
  token: string;
}

/** What {@link SpongeClient.appendLogs} sent. */
export interface LogUpload {
  lines: number;
  requests: number;
}

/** Per-call options of every client method. */
export interface CallOptions {
  /** Idempotency key for writes that create things; one is generated per call when absent. */
  key?: string | undefined;
  /** Aborts the call, including waits between retries. */
  signal?: AbortSignal | undefined;
}

/** One page of `GET /api/releases`, newest first; pass `next_cursor` as `cursor` for the next page. */
export interface ReleasePage {
  releases: Release[];
  next_cursor: string | null;
}
