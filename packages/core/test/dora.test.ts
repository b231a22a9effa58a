import { bucketStart, type DoraFact, doraBuckets, median, quantile, summarizeDora } from "@sponge/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe("quantile", () => {
  it("interpolates between the nearest ranks (type 7)", () => {
    // h = (4 - 1) * 0.5 = 1.5 -> 20 + 0.5 * (30 - 20) = 25
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    // h = 3 * 0.9 = 2.7 -> 30 + 0.7 * 10 = 37
    expect(quantile([10, 20, 30, 40], 0.9)).toBeCloseTo(37, 10);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([1, 2, 3], 0)).toBe(1);
    expect(quantile([1, 2, 3], 1)).toBe(3);
  });

  it("has no value for no values or a p outside [0, 1]", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2], 1.5)).toBeNull();
    expect(quantile([1, 2], -0.1)).toBeNull();
    expect(quantile([1, 2], Number.NaN)).toBeNull();
  });

  it("lies between the smallest and largest value and grows with p", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, p, q) => {
          const sorted = [...values].sort((a, b) => a - b);
          const low = quantile(sorted, Math.min(p, q)) ?? Number.NaN;
          const high = quantile(sorted, Math.max(p, q)) ?? Number.NaN;
          expect(low).toBeGreaterThanOrEqual(sorted[0] ?? 0);
          expect(high).toBeLessThanOrEqual(sorted[sorted.length - 1] ?? 0);
          expect(low).toBeLessThanOrEqual(high + 1e-6);
        },
      ),
    );
  });

  it("median sorts its input and averages the middle pair", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe("buckets", () => {
  it("aligns days at UTC midnight, weeks on Monday, months on the first", () => {
    const wednesday = at("2024-05-15T10:30:00Z");
    expect(new Date(bucketStart(wednesday, "day")).toISOString()).toBe("2024-05-15T00:00:00.000Z");
    expect(new Date(bucketStart(wednesday, "week")).toISOString()).toBe("2024-05-13T00:00:00.000Z");
    expect(new Date(bucketStart(at("2024-05-19T23:59:59Z"), "week")).toISOString()).toBe(
      "2024-05-13T00:00:00.000Z",
    );
    expect(new Date(bucketStart(at("2024-05-20T00:00:00Z"), "week")).toISOString()).toBe(
      "2024-05-20T00:00:00.000Z",
    );
    expect(new Date(bucketStart(wednesday, "month")).toISOString()).toBe("2024-05-01T00:00:00.000Z");
  });

  it("covers the window exactly, clipping the first and last bucket", () => {
    expect(doraBuckets(at("2024-01-30T12:00:00Z"), at("2024-03-10T00:00:00Z"), "month")).toEqual([
      { start: "2024-01-30T12:00:00.000Z", end: "2024-02-01T00:00:00.000Z" },
      { start: "2024-02-01T00:00:00.000Z", end: "2024-03-01T00:00:00.000Z" },
      { start: "2024-03-01T00:00:00.000Z", end: "2024-03-10T00:00:00.000Z" },
    ]);
    expect(doraBuckets(at("2024-01-01T00:00:00Z"), at("2024-01-01T00:00:00Z"), "day")).toEqual([]);
  });

  it("tiles any window without gaps or overlaps", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e11 }),
        fc.integer({ min: 1, max: 2e10 }),
        fc.constantFrom("day" as const, "week" as const, "month" as const),
        (from, length, interval) => {
          const buckets = doraBuckets(from, from + length, interval, 10_000) ?? [];
          expect(buckets[0]?.start).toBe(new Date(from).toISOString());
          expect(buckets[buckets.length - 1]?.end).toBe(new Date(from + length).toISOString());
          for (let i = 1; i < buckets.length; i++) expect(buckets[i]?.start).toBe(buckets[i - 1]?.end);
        },
      ),
    );
  });

  it("refuses more buckets than the limit", () => {
    expect(doraBuckets(0, 10 * 86_400_000, "day", 10)).toHaveLength(10);
    expect(doraBuckets(0, 10 * 86_400_000 + 1, "day", 10)).toBeUndefined();
  });
});

describe("summarizeDora", () => {
  const fact = (finishedAt: string, more: Partial<DoraFact> = {}): DoraFact => ({
    finishedMs: Date.parse(finishedAt),
    succeeded: true,
    failure: false,
    leadTimeMs: null,
    restoreMs: null,
    ...more,
  });
  const window = {
    from: at("2024-03-04T00:00:00Z"),
    to: at("2024-03-06T00:00:00Z"),
    interval: "day" as const,
  };

  it("counts totals and per-day buckets by hand", () => {
    const summary = summarizeDora(
      [
        fact("2024-03-04T09:00:00Z", { leadTimeMs: 2 * HOUR }),
        fact("2024-03-04T15:00:00Z", { leadTimeMs: 4 * HOUR, failure: true, restoreMs: HOUR }),
        fact("2024-03-05T10:00:00Z", { succeeded: false, failure: true, restoreMs: 3 * HOUR }),
        fact("2024-03-05T11:00:00Z", { leadTimeMs: 12 * HOUR }),
        fact("2024-03-05T12:00:00Z", { succeeded: false, failure: true }),
        // Outside [from, to): ignored.
        fact("2024-03-06T00:00:00Z", { leadTimeMs: 1 }),
        fact("2024-03-03T23:59:59Z", { leadTimeMs: 1 }),
      ],
      window,
    );
    // 3 succeeded releases over 2 days -> 1.5 a day.
    expect(summary?.deployment_frequency).toEqual({ deployments: 3, per_day: 1.5 });
    // Lead times 2h, 4h, 12h: median 4h; p90 at h = 2 * 0.9 = 1.8 -> 4h + 0.8 * 8h = 10.4h.
    expect(summary?.lead_time).toEqual({ releases: 3, median_ms: 4 * HOUR, p90_ms: Math.round(10.4 * HOUR) });
    // 3 failures of 5 finished releases.
    expect(summary?.change_failure_rate).toEqual({ failures: 3, finished: 5, rate: 0.6 });
    // Restored in 1h and 3h (one still open): median 2h.
    expect(summary?.time_to_restore).toEqual({ failures: 3, restored: 2, median_ms: 2 * HOUR });
    expect(summary?.series.map((b) => [b.start, b.deployment_frequency.deployments])).toEqual([
      ["2024-03-04T00:00:00.000Z", 2],
      ["2024-03-05T00:00:00.000Z", 1],
    ]);
    expect(summary?.series[1]?.change_failure_rate).toEqual({ failures: 2, finished: 3, rate: 2 / 3 });
    expect(summary?.series[0]?.lead_time).toEqual({ releases: 2, median_ms: 3 * HOUR, p90_ms: 3.8 * HOUR });
  });

  it("reports nulls, not zeros, where nothing was measured", () => {
    const summary = summarizeDora([], window);
    expect(summary?.deployment_frequency).toEqual({ deployments: 0, per_day: 0 });
    expect(summary?.lead_time).toEqual({ releases: 0, median_ms: null, p90_ms: null });
    expect(summary?.change_failure_rate.rate).toBeNull();
    expect(summary?.time_to_restore.median_ms).toBeNull();
    expect(summary?.series).toHaveLength(2);
  });

  it("never takes a failed release's lead time", () => {
    const summary = summarizeDora(
      [fact("2024-03-04T09:00:00Z", { succeeded: false, failure: true, leadTimeMs: HOUR })],
      window,
    );
    expect(summary?.lead_time.releases).toBe(0);
  });

  it("puts every fact in exactly one bucket", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: at("2024-01-01T00:00:00Z"), max: at("2024-06-30T23:59:59Z") }), {
          maxLength: 50,
        }),
        fc.constantFrom("day" as const, "week" as const, "month" as const),
        (instants, interval) => {
          const from = at("2024-01-10T06:00:00Z");
          const to = at("2024-06-20T00:00:00Z");
          const facts = instants.map((ms) => fact(new Date(ms).toISOString()));
          const summary = summarizeDora(facts, { from, to, interval });
          const inside = instants.filter((ms) => ms >= from && ms < to).length;
          expect(summary?.deployment_frequency.deployments).toBe(inside);
          const spread = summary?.series.reduce((sum, b) => sum + b.deployment_frequency.deployments, 0);
          expect(spread).toBe(inside);
        },
      ),
    );
  });
});
