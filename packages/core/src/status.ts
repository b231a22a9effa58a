import type { Status } from "./types.js";

const ALIASES: Record<string, Status> = {
  queued: "queued",
  pending: "queued",
  waiting: "queued",
  requested: "queued",
  created: "queued",
  running: "running",
  in_progress: "running",
  "in-progress": "running",
  started: "running",
  start: "running",
  deploying: "running",
  succeeded: "succeeded",
  success: "succeeded",
  successful: "succeeded",
  ok: "succeeded",
  passed: "succeeded",
  done: "succeeded",
  complete: "succeeded",
  completed: "succeeded",
  finished: "succeeded",
  failed: "failed",
  failure: "failed",
  fail: "failed",
  error: "failed",
  errored: "failed",
  // Jenkins marks a build unstable when every step ran but tests or quality gates complained: what it
  // deployed is running. The Jenkins webhook reads it so too, so a job reporting both ways agrees.
  unstable: "succeeded",
  cancelled: "cancelled",
  canceled: "cancelled",
  aborted: "cancelled",
  skipped: "cancelled",
  not_built: "cancelled",
};

/**
 * Maps the many spellings CI systems use to one of Sponge's statuses.
 * Returns `undefined` for words it does not know.
 *
 * @example normaliseStatus("SUCCESS") // "succeeded"
 */
export function normaliseStatus(value: string): Status | undefined {
  return ALIASES[value.trim().toLowerCase()];
}

export const TERMINAL_STATUSES: ReadonlySet<Status> = new Set<Status>(["succeeded", "failed", "cancelled"]);

export function isTerminal(status: Status): boolean {
  return TERMINAL_STATUSES.has(status);
}

const ORDER: Record<Status, number> = { queued: 0, running: 1, succeeded: 2, failed: 2, cancelled: 2 };

/**
 * The status after an event: a terminal status is never reverted by a late, duplicate or
 * out-of-order event; only an explicit correction (`force`) may change it.
 */
export function mergeStatus(current: Status, incoming: Status | undefined, force = false): Status {
  if (incoming === undefined) return current;
  if (force) return incoming;
  if (isTerminal(current)) return current;
  return ORDER[incoming] >= ORDER[current] ? incoming : current;
}

/**
 * The release status implied by its packages: any failure fails the release, any running
 * package keeps it running, otherwise all succeeded (or all cancelled).
 */
export function rollupStatus(statuses: readonly Status[]): Status | undefined {
  if (statuses.length === 0) return undefined;
  if (statuses.includes("failed")) return "failed";
  if (statuses.includes("running")) return "running";
  if (statuses.includes("queued")) return "queued";
  if (statuses.includes("succeeded")) return "succeeded";
  return "cancelled";
}
