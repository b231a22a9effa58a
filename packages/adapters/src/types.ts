import type { CiContext, Source, Status } from "@sponge/core";

/** A package the provider named explicitly (a CDEvents purl, Jenkins `PACKAGE`/`VERSION` parameters). */
export type PackageWrite = {
  name: string;
  version?: string;
  status?: Status;
};

/** A commit the provider reported, for references and lead time. */
export type CommitWrite = {
  sha: string;
  message?: string;
  author?: string;
  /** ISO 8601 UTC. */
  timestamp?: string;
};

/** The `ci` object of a release write: what the CI system saw. `provider` is always set. */
export type CiWrite = CiContext & { provider: string };

/**
 * A plain JSON object shaped exactly like the body of `POST /api/releases` (a type alias,
 * not an interface, so it is assignable to core's `releaseInput` input type). The receiver
 * parses it with core's `releaseInput`, runs inference and merges it by `key`.
 * Adapters only send what the provider knows (explicit fields) and what it saw (`ci`).
 */
export type ReleaseWrite = {
  key: string;
  source: Extract<Source, "github" | "gitlab" | "jenkins" | "cdevents">;
  status?: Status;
  environment?: string;
  repository?: string;
  commit?: string;
  ref?: string;
  url?: string;
  /** ISO 8601 UTC. Never sent by an event that only reports progress it cannot date. */
  started_at?: string;
  /** ISO 8601 UTC. Only sent by events that report an outcome. */
  finished_at?: string;
  /** A version known without a package name (Jenkins `VERSION` alone); the receiver picks the package. */
  version?: string;
  notes?: string[];
  packages?: PackageWrite[];
  commits?: CommitWrite[];
  ci: CiWrite;
  metadata?: Record<string, unknown>;
};

/**
 * Lets the receiver fold a webhook into a release another writer recorded first: a GitHub
 * deployment created by a workflow run joins the release the Sponge action recorded for the
 * same repository, run and environment.
 */
export interface ReleaseLookup {
  /** `owner/name`. */
  repository: string;
  runId: string;
  environment: string;
}

/** A CI job a release is made of, as its provider last reported it; times ISO 8601 UTC. */
export interface JobRun {
  id: string;
  name: string;
  status: Status;
  started_at?: string | undefined;
  finished_at?: string | undefined;
}

/** One release to write. */
export interface ReleaseResult {
  kind: "release";
  key: string;
  release: ReleaseWrite;
  lookup?: ReleaseLookup;
  /**
   * The started jobs the release sums up, when the provider lists only the latest try of each job (a
   * GitLab Pipeline Hook). The receiver keeps each attempt's jobs: a retried job (a new id under a known
   * name) or a job that starts after the release finished is the next attempt (`<key>:attempt:<n>`)
   * instead of being merged into, or lost on, the earlier one (see `summariseJobs`).
   */
  jobs?: JobRun[];
}

/**
 * What an adapter made of one webhook delivery.
 * - `release`: write it (`POST /api/releases` semantics, merged by key).
 * - `releases`: several releases from one delivery (a GitLab pipeline that deployed to
 *   more than one environment); always two or more, each written like `release`.
 * - `removal`: a service was taken out of an environment (CDEvents `service.removed`).
 * - `ignored`: acknowledged with 202 and kept in the delivery log with the reason.
 * - `ping`: the provider checking the hook.
 */
export type AdapterResult =
  | ReleaseResult
  | { kind: "releases"; releases: ReleaseResult[] }
  | RemovalResult
  | { kind: "ignored"; reason: string }
  | { kind: "ping"; message: string };

/**
 * A service taken out of an environment: what it last deployed there is no longer current. `service` names
 * it as the producer does (a CDEvents subject id); the receiver matches it to package names and to the
 * `ci.service` of the producer's earlier deployments.
 */
export interface RemovalResult {
  kind: "removal";
  service: string;
  environment: string;
  /** ISO 8601 UTC; the receipt time when the event has none. */
  removed_at?: string;
}

/** A CloudEvent after structured or binary HTTP decoding. Only context attributes; never transport headers. */
export interface CloudEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  time?: string;
  subject?: string;
  datacontenttype?: string;
  dataschema?: string;
  data: unknown;
}
