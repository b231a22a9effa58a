/** Lifecycle of a release, a package deployment or a host deployment. */
export type Status = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** Where a release came from. */
export type Source = "api" | "cli" | "github-action" | "github" | "gitlab" | "jenkins" | "cdevents" | "seed";

/** What the CI system saw when the release ran. Kept for audit and re-inference. */
export interface CiContext {
  provider?: string | undefined;
  actor?: string | undefined;
  triggering_actor?: string | undefined;
  event?: string | undefined;
  ref?: string | undefined;
  branch?: string | undefined;
  pr_number?: number | undefined;
  pr_title?: string | undefined;
  run_id?: string | undefined;
  run_attempt?: number | undefined;
  job?: string | undefined;
  workflow?: string | undefined;
  run_url?: string | undefined;
  environment?: string | undefined;
  changed_files?: string[] | undefined;
  codeowners_teams?: string[] | undefined;
  parameters?: Record<string, string> | undefined;
  /** Anything else the CI reported. */
  [extra: string]: unknown;
}

export interface Commit {
  sha: string;
  message?: string | undefined;
  author?: string | undefined;
  /** ISO 8601 UTC. */
  timestamp?: string | undefined;
}

export interface Package {
  name: string;
  version: string | null;
  previous_version: string | null;
  status: Status;
  rollback: boolean;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  diff_url: string | null;
}

export interface Host {
  name: string;
  package: string | null;
  status: Status;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  message: string | null;
}

/** A release as stored and returned by the API. */
export interface Release {
  id: string;
  key: string | null;
  status: Status;
  environment: string;
  platforms: string[];
  notes: string[];
  references: string[];
  person: string | null;
  team: string | null;
  source: Source;
  repository: string | null;
  commit: string | null;
  ref: string | null;
  url: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  lead_time_ms: number | null;
  rollback: boolean;
  metadata: Record<string, unknown>;
  ci: CiContext | null;
  inferred: Record<string, string>;
  packages: Package[];
  hosts: Host[];
  commits: Commit[];
  created_at: string;
  updated_at: string;
}

export interface LogLine {
  ts: string;
  level: string;
  host: string | null;
  message: string;
}

export const STATUSES: readonly Status[] = ["queued", "running", "succeeded", "failed", "cancelled"];
export const SOURCES: readonly Source[] = [
  "api",
  "cli",
  "github-action",
  "github",
  "gitlab",
  "jenkins",
  "cdevents",
  "seed",
];
