import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** Buckets of the write-batch timings, in seconds. */
const WRITE_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** The route label of requests no route answered (Hono reports its catch-all middleware's `/*`). */
export const UNMATCHED_ROUTE = "unmatched";

const routeLabels = new Map<string, string>();

/**
 * The `route` label of a request: its route pattern without the regex of a parameter
 * (`/api/packages/:name{.+}/current` → `/api/packages/:name/current`), or `unmatched`. Only patterns
 * registered by the app reach it, never a request's own path, so the label's values stay few.
 */
export function routeLabel(pattern: string): string {
  let label = routeLabels.get(pattern);
  if (label === undefined) {
    label =
      pattern === "" || pattern === "/*" || pattern === "*"
        ? UNMATCHED_ROUTE
        : pattern.replace(/(:\w+)\{(?:[^{}]|\{[^{}]*\})*\}/g, "$1");
    routeLabels.set(pattern, label);
  }
  return label;
}

/** Prometheus metrics of one app (its own registry, so tests and several apps never share counters). */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "sponge_http_requests_total",
    help: "HTTP requests by route, method and status.",
    labelNames: ["route", "method", "status"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "sponge_http_request_duration_seconds",
    help: "HTTP request latency by route.",
    labelNames: ["route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly releases = new Counter({
    name: "sponge_releases_recorded_total",
    help: "Releases created, by source.",
    labelNames: ["source"] as const,
    registers: [this.registry],
  });
  readonly batches = new Histogram({
    name: "sponge_write_batch_size",
    help: "Writes committed together in one transaction (group commit).",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });
  readonly batchWork = new Histogram({
    name: "sponge_write_batch_work_seconds",
    help: "Time a write batch spent on its writes, from BEGIN to just before COMMIT.",
    buckets: WRITE_SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly batchCommit = new Histogram({
    name: "sponge_write_commit_seconds",
    help: "Time a write batch's COMMIT took (WAL written; on the main thread's writer also synced, and a checkpoint when one is due).",
    buckets: WRITE_SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly batchSync = new Histogram({
    name: "sponge_write_sync_seconds",
    help: "Time from a write-thread batch's COMMIT to its WAL synced to disk (the thread's next batch runs meanwhile).",
    buckets: WRITE_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "sponge_" });
  }
}
