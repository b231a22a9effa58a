/** Length of one bucket of a DORA series. Buckets are aligned in UTC. */
export type DoraInterval = "day" | "week" | "month";

export const DORA_INTERVALS: readonly DoraInterval[] = ["day", "week", "month"];

const DAY_MS = 86_400_000;

/**
 * What the metrics need to know about one finished (succeeded or failed) release in the window.
 * The receiver's query decides `failure` and `restoreMs` (see docs/metrics.md); this module only counts.
 */
export interface DoraFact {
  /** When it finished (epoch ms); places the release in its bucket. */
  finishedMs: number;
  /** The release succeeded (a deployment); otherwise it failed. */
  succeeded: boolean;
  /** It failed, or it succeeded and its version was later rolled back. */
  failure: boolean;
  /** The release's lead time for changes, when it has one. */
  leadTimeMs: number | null;
  /** For a failure: time until the next succeeded deployment of its packages there; null while unrestored. */
  restoreMs: number | null;
}

/** The four metrics over one span of time. */
export interface DoraFigures {
  deployment_frequency: { deployments: number; per_day: number };
  lead_time: { releases: number; median_ms: number | null; p90_ms: number | null };
  change_failure_rate: { failures: number; finished: number; rate: number | null };
  time_to_restore: { failures: number; restored: number; median_ms: number | null };
}

export interface DoraBucket {
  /** Inclusive, ISO 8601 UTC. The first and last buckets are clipped to the window. */
  start: string;
  /** Exclusive, ISO 8601 UTC. */
  end: string;
}

export interface DoraSummary extends DoraFigures {
  series: (DoraBucket & DoraFigures)[];
}

/**
 * The `p`-quantile (0 ≤ p ≤ 1) of ascending `sorted` values, interpolating linearly between the two
 * nearest ranks (Hyndman & Fan type 7, the method of numpy's default and Excel's PERCENTILE.INC), so
 * that p = 0.5 is the usual median. Null for no values.
 *
 * @example quantile([10, 20, 30, 40], 0.5) // 25
 * @example quantile([10, 20, 30, 40], 0.9) // 37
 */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0 || !(p >= 0 && p <= 1)) return null;
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const lower = sorted[low] ?? 0;
  const upper = sorted[Math.min(low + 1, sorted.length - 1)] ?? lower;
  return lower + (h - low) * (upper - lower);
}

/**
 * The median of any values (they need not be sorted).
 *
 * @example median([3, 1, 2]) // 2
 */
export function median(values: readonly number[]): number | null {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/**
 * The start (UTC, epoch ms) of the bucket holding `instant`: midnight for `day`, Monday midnight for
 * `week` (ISO 8601 weeks), the first of the month for `month`.
 *
 * @example new Date(bucketStart(Date.parse("2024-05-15T10:00:00Z"), "week")).toISOString() // "2024-05-13T00:00:00.000Z"
 */
export function bucketStart(instant: number, interval: DoraInterval): number {
  const date = new Date(instant);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (interval === "day") return midnight;
  if (interval === "week") return midnight - ((date.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function nextBucket(start: number, interval: DoraInterval): number {
  if (interval === "day") return start + DAY_MS;
  if (interval === "week") return start + 7 * DAY_MS;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/**
 * The buckets covering [from, to) (epoch ms), the first and last clipped to the window; `undefined`
 * when there would be more than `limit` of them.
 *
 * @example doraBuckets(Date.parse("2024-01-01T12:00:00Z"), Date.parse("2024-01-03T00:00:00Z"), "day")
 * // [{ start: "2024-01-01T12:00:00.000Z", end: "2024-01-02T00:00:00.000Z" },
 * //  { start: "2024-01-02T00:00:00.000Z", end: "2024-01-03T00:00:00.000Z" }]
 */
export function doraBuckets(
  from: number,
  to: number,
  interval: DoraInterval,
  limit = 1000,
): DoraBucket[] | undefined {
  const buckets: DoraBucket[] = [];
  for (let start = from; start < to; start = nextBucket(bucketStart(start, interval), interval)) {
    if (buckets.length === limit) return undefined;
    const end = Math.min(nextBucket(bucketStart(start, interval), interval), to);
    buckets.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
  }
  return buckets;
}

/**
 * The DORA figures of `facts` over [from, to), in total and per bucket (every bucket is listed, empty
 * ones too). Medians and p90 use {@link quantile} and are rounded to whole milliseconds; `per_day`
 * divides by the span's length in days (fractional for clipped buckets); `rate` is null when nothing
 * finished. Facts outside the window are ignored.
 *
 * @example
 * summarizeDora([{ finishedMs: Date.parse("2024-01-01T10:00:00Z"), succeeded: true, failure: false, leadTimeMs: 3_600_000, restoreMs: null }],
 *   { from: Date.parse("2024-01-01T00:00:00Z"), to: Date.parse("2024-01-03T00:00:00Z"), interval: "day" })
 *   .deployment_frequency // { deployments: 1, per_day: 0.5 }
 */
export function summarizeDora(
  facts: readonly DoraFact[],
  window: { from: number; to: number; interval: DoraInterval; limit?: number },
): DoraSummary | undefined {
  const buckets = doraBuckets(window.from, window.to, window.interval, window.limit);
  if (!buckets) return undefined;
  const groups = buckets.map(() => [] as DoraFact[]);
  const index = new Map(buckets.map((bucket, i) => [Date.parse(bucket.start), i]));
  const inWindow: DoraFact[] = [];
  for (const fact of facts) {
    const at = fact.finishedMs;
    if (!(at >= window.from && at < window.to)) continue;
    inWindow.push(fact);
    const i = index.get(Math.max(bucketStart(at, window.interval), window.from));
    if (i !== undefined) groups[i]?.push(fact);
  }
  return {
    ...figures(inWindow, window.to - window.from),
    series: buckets.map((bucket, i) => ({
      ...bucket,
      ...figures(groups[i] ?? [], Date.parse(bucket.end) - Date.parse(bucket.start)),
    })),
  };
}

function figures(facts: readonly DoraFact[], spanMs: number): DoraFigures {
  const deployments = facts.filter((f) => f.succeeded).length;
  const leadTimes = sorted(
    facts.flatMap((f) => (f.succeeded && f.leadTimeMs !== null ? [f.leadTimeMs] : [])),
  );
  const failures = facts.filter((f) => f.failure);
  const restores = sorted(failures.flatMap((f) => (f.restoreMs !== null ? [f.restoreMs] : [])));
  return {
    deployment_frequency: { deployments, per_day: spanMs > 0 ? deployments / (spanMs / DAY_MS) : 0 },
    lead_time: {
      releases: leadTimes.length,
      median_ms: rounded(quantile(leadTimes, 0.5)),
      p90_ms: rounded(quantile(leadTimes, 0.9)),
    },
    change_failure_rate: {
      failures: failures.length,
      finished: facts.length,
      rate: facts.length > 0 ? failures.length / facts.length : null,
    },
    time_to_restore: {
      failures: failures.length,
      restored: restores.length,
      median_ms: rounded(quantile(restores, 0.5)),
    },
  };
}

function sorted(values: number[]): number[] {
  return values.sort((a, b) => a - b);
}

function rounded(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}
