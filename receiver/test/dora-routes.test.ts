import { parseConfig } from "@sponge/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type Harness, harness } from "./harness.js";

const HOUR = 3_600_000;
const NOW = new Date("2024-03-20T00:00:00Z");
/** Monday 4 March 2024 to Monday 11 March 2024: seven days. */
const WINDOW = "from=2024-03-04T00:00:00Z&to=2024-03-11T00:00:00Z";

const figures = z.object({
  deployment_frequency: z.object({ deployments: z.number(), per_day: z.number() }),
  lead_time: z.object({
    releases: z.number(),
    median_ms: z.number().nullable(),
    p90_ms: z.number().nullable(),
  }),
  change_failure_rate: z.object({ failures: z.number(), finished: z.number(), rate: z.number().nullable() }),
  time_to_restore: z.object({ failures: z.number(), restored: z.number(), median_ms: z.number().nullable() }),
});
const doraResponse = figures.extend({
  scope: z.object({ environments: z.array(z.string()) }).loose(),
  from: z.string(),
  to: z.string(),
  interval: z.string(),
  series: z.array(figures.extend({ start: z.string(), end: z.string() })),
});

let h: Harness;

const sha = (name: string) => name.padEnd(40, "0");
const commit = (name: string, timestamp: string) => ({
  sha: sha(name),
  timestamp,
  message: `change ${name}`,
});

interface Step {
  label: string;
  package: string;
  version: string;
  status: "succeeded" | "failed" | "running" | "cancelled";
  started: string;
  finished?: string;
  team?: string;
  environment?: string;
  commits?: { sha: string; timestamp: string; message: string }[];
}

/**
 * The backfilled timeline (UTC, March 2024). Arrows show what each step means for DORA.
 *
 *   E0  api 1  succeeded 01 10:00  before the window; commit c0
 *   E1  api 2  succeeded 04 10:00  commits c0 (already deployed by E0) and c1 (04 06:00) -> lead 4h
 *   E2  api 3  succeeded 05 10:00  commit c2 (05 08:00) -> lead 2h; rolled back by E3 -> failure
 *   E3  api 2  succeeded 05 12:00  rollback (2 ran before); no commits -> no lead time; restores E2 in 2h
 *   E4  api 4  failed    06 10:00  failure
 *   E5  api 4  succeeded 06 16:00  commit c3 (06 07:00) -> lead 9h; restores E4 in 6h
 *   E6  web 1  succeeded 07 10:00  team web; commit w1 (07 09:00) -> lead 1h
 *   E7  web 2  failed    08 10:00  team web; failure
 *   E9  api 5  succeeded 09 10:00  commit c4 (08 10:00) -> lead 24h; rolled back by E10 after the window
 *   E11 api 6  running             never finished: not counted
 *   E12 api 6  cancelled 10 10:00  neither success nor failure: not counted
 *   E8  web 3  succeeded 12 10:00  after the window; restores E7 in 4 days (96h)
 *   E10 api 4  succeeded 13 10:00  after the window; rollback to 4; restores E9 in 4 days (96h)
 *   S1  api 9  succeeded 05 10:00  staging: outside a production scope
 *   U1  api 2  succeeded 04 12:00  eu-live (tier production): commit c1 (04 06:00) -> lead 6h
 */
const timeline: Step[] = [
  {
    label: "E0",
    package: "api",
    version: "1",
    status: "succeeded",
    started: "2024-03-01T09:00:00Z",
    finished: "2024-03-01T10:00:00Z",
    commits: [commit("c0", "2024-03-01T08:00:00Z")],
  },
  {
    label: "E1",
    package: "api",
    version: "2",
    status: "succeeded",
    started: "2024-03-04T09:00:00Z",
    finished: "2024-03-04T10:00:00Z",
    commits: [commit("c0", "2024-03-01T08:00:00Z"), commit("c1", "2024-03-04T06:00:00Z")],
  },
  {
    label: "U1",
    package: "api",
    version: "2",
    status: "succeeded",
    environment: "eu-live",
    started: "2024-03-04T11:00:00Z",
    finished: "2024-03-04T12:00:00Z",
    commits: [commit("c1", "2024-03-04T06:00:00Z")],
  },
  {
    label: "E2",
    package: "api",
    version: "3",
    status: "succeeded",
    started: "2024-03-05T09:00:00Z",
    finished: "2024-03-05T10:00:00Z",
    commits: [commit("c2", "2024-03-05T08:00:00Z")],
  },
  {
    label: "S1",
    package: "api",
    version: "9",
    status: "succeeded",
    environment: "staging",
    started: "2024-03-05T09:00:00Z",
    finished: "2024-03-05T10:00:00Z",
    commits: [commit("s1", "2024-03-05T01:00:00Z")],
  },
  {
    label: "E3",
    package: "api",
    version: "2",
    status: "succeeded",
    started: "2024-03-05T11:00:00Z",
    finished: "2024-03-05T12:00:00Z",
  },
  {
    label: "E4",
    package: "api",
    version: "4",
    status: "failed",
    started: "2024-03-06T09:00:00Z",
    finished: "2024-03-06T10:00:00Z",
    commits: [commit("c3", "2024-03-06T07:00:00Z")],
  },
  {
    label: "E5",
    package: "api",
    version: "4",
    status: "succeeded",
    started: "2024-03-06T15:00:00Z",
    finished: "2024-03-06T16:00:00Z",
    commits: [commit("c3", "2024-03-06T07:00:00Z")],
  },
  {
    label: "E6",
    package: "web",
    version: "1",
    status: "succeeded",
    team: "web",
    started: "2024-03-07T09:30:00Z",
    finished: "2024-03-07T10:00:00Z",
    commits: [commit("w1", "2024-03-07T09:00:00Z")],
  },
  {
    label: "E7",
    package: "web",
    version: "2",
    status: "failed",
    team: "web",
    started: "2024-03-08T09:30:00Z",
    finished: "2024-03-08T10:00:00Z",
  },
  {
    label: "E9",
    package: "api",
    version: "5",
    status: "succeeded",
    started: "2024-03-09T09:00:00Z",
    finished: "2024-03-09T10:00:00Z",
    commits: [commit("c4", "2024-03-08T10:00:00Z")],
  },
  { label: "E11", package: "api", version: "6", status: "running", started: "2024-03-10T08:00:00Z" },
  {
    label: "E12",
    package: "api",
    version: "6",
    status: "cancelled",
    started: "2024-03-10T09:00:00Z",
    finished: "2024-03-10T10:00:00Z",
  },
  {
    label: "E8",
    package: "web",
    version: "3",
    status: "succeeded",
    team: "web",
    started: "2024-03-12T09:30:00Z",
    finished: "2024-03-12T10:00:00Z",
  },
  {
    label: "E10",
    package: "api",
    version: "4",
    status: "succeeded",
    started: "2024-03-13T09:00:00Z",
    finished: "2024-03-13T10:00:00Z",
  },
];

const recorded = new Map<string, { rollback: boolean; lead_time_ms: number | null }>();

beforeAll(async () => {
  h = await harness({
    now: () => NOW,
    config: {
      sponge: parseConfig({
        environments: {
          production: { tier: "production" },
          "eu-live": { tier: "production" },
          staging: { tier: "staging" },
        },
      }),
    },
  });
  for (const step of timeline) {
    const res = await h.request("/api/releases", {
      method: "POST",
      json: {
        package: step.package,
        version: step.version,
        status: step.status,
        environment: step.environment ?? "production",
        team: step.team ?? "payments",
        started_at: step.started,
        ...(step.finished ? { finished_at: step.finished } : {}),
        commits: step.commits ?? [],
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    recorded.set(
      step.label,
      z.object({ rollback: z.boolean(), lead_time_ms: z.number().nullable() }).parse(await res.json()),
    );
  }
});

afterAll(async () => {
  await h.close();
});

async function dora(query: string) {
  const res = await h.request(`/api/metrics/dora?${query}`);
  const body: unknown = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return doraResponse.parse(body);
}

async function refused(query: string): Promise<string[]> {
  const res = await h.request(`/api/metrics/dora?${query}`);
  expect(res.status).toBe(422);
  const body = z
    .object({
      error: z.object({
        code: z.literal("invalid_field"),
        details: z.array(z.object({ field: z.string() })),
      }),
    })
    .parse(await res.json());
  return body.error.details.map((d) => d.field);
}

describe("the timeline as the receiver recorded it", () => {
  it("derived the rollbacks and lead times the metrics rest on", () => {
    expect(recorded.get("E1")).toEqual({ rollback: false, lead_time_ms: 4 * HOUR });
    expect(recorded.get("E2")).toEqual({ rollback: false, lead_time_ms: 2 * HOUR });
    expect(recorded.get("E3")).toEqual({ rollback: true, lead_time_ms: null });
    expect(recorded.get("E4")?.lead_time_ms).toBeNull();
    expect(recorded.get("E5")).toEqual({ rollback: false, lead_time_ms: 9 * HOUR });
    expect(recorded.get("E9")).toEqual({ rollback: false, lead_time_ms: 24 * HOUR });
    expect(recorded.get("E10")?.rollback).toBe(true);
  });
});

describe("DORA metrics of production over one week", () => {
  it("computes the totals worked out by hand", async () => {
    const body = await dora(`environment=production&${WINDOW}&interval=day`);
    expect(body.scope).toEqual({
      environment: "production",
      environments: ["production"],
      team: null,
      package: null,
    });
    expect(body.from).toBe("2024-03-04T00:00:00.000Z");
    expect(body.to).toBe("2024-03-11T00:00:00.000Z");
    // Succeeded in [04, 11): E1 E2 E3 E5 E6 E9 = 6 over 7 days.
    expect(body.deployment_frequency).toEqual({ deployments: 6, per_day: 6 / 7 });
    // Lead times 1h (E6), 2h (E2), 4h (E1), 9h (E5), 24h (E9); E3 has none.
    // Median: the 3rd of 5 = 4h. p90: h = (5 - 1) * 0.9 = 3.6 -> 9h + 0.6 * (24h - 9h) = 18h.
    expect(body.lead_time).toEqual({ releases: 5, median_ms: 4 * HOUR, p90_ms: 18 * HOUR });
    // Finished: 6 succeeded + E4 + E7 failed = 8. Failures: E4, E7 (failed), E2, E9 (rolled back) = 4.
    expect(body.change_failure_rate).toEqual({ failures: 4, finished: 8, rate: 0.5 });
    // Restores: E2 2h, E4 6h, E7 96h, E9 96h -> median (6h + 96h) / 2 = 51h.
    expect(body.time_to_restore).toEqual({ failures: 4, restored: 4, median_ms: 51 * HOUR });
  });

  it("splits the week into days", async () => {
    const body = await dora(`environment=production&${WINDOW}&interval=day`);
    expect(body.series.map((b) => b.start)).toEqual(
      [4, 5, 6, 7, 8, 9, 10].map((d) => `2024-03-${String(d).padStart(2, "0")}T00:00:00.000Z`),
    );
    const perDay = body.series.map((b) => [
      b.deployment_frequency.deployments,
      b.lead_time.median_ms === null ? null : b.lead_time.median_ms / HOUR,
      b.change_failure_rate.failures,
      b.change_failure_rate.finished,
      b.time_to_restore.median_ms === null ? null : b.time_to_restore.median_ms / HOUR,
    ]);
    expect(perDay).toEqual([
      [1, 4, 0, 1, null], // 04: E1
      [2, 2, 1, 2, 2], // 05: E2 (rolled back, 2h), E3 (no lead time)
      [1, 9, 1, 2, 6], // 06: E4 failed (restored 6h), E5
      [1, 1, 0, 1, null], // 07: E6
      [0, null, 1, 1, 96], // 08: E7 failed, restored on the 12th
      [1, 24, 1, 1, 96], // 09: E9, rolled back on the 13th
      [0, null, 0, 0, null], // 10: E11 running, E12 cancelled
    ]);
    expect(body.series[6]?.change_failure_rate.rate).toBeNull();
    expect(body.series[1]?.deployment_frequency.per_day).toBe(2);
  });

  it("fits the whole week in one Monday-aligned weekly bucket", async () => {
    const body = await dora(`environment=production&${WINDOW}&interval=week`);
    expect(body.series).toHaveLength(1);
    expect(body.series[0]).toMatchObject({
      start: "2024-03-04T00:00:00.000Z",
      end: "2024-03-11T00:00:00.000Z",
      deployment_frequency: { deployments: 6 },
      change_failure_rate: { failures: 4, finished: 8 },
    });
  });

  it("filters by team", async () => {
    const body = await dora(`environment=production&team=web&${WINDOW}`);
    // E6 succeeded (lead 1h), E7 failed (restored in 96h).
    expect(body.deployment_frequency.deployments).toBe(1);
    expect(body.lead_time).toEqual({ releases: 1, median_ms: HOUR, p90_ms: HOUR });
    expect(body.change_failure_rate).toEqual({ failures: 1, finished: 2, rate: 0.5 });
    expect(body.time_to_restore).toEqual({ failures: 1, restored: 1, median_ms: 96 * HOUR });
    expect(body.scope.team).toBe("web");
  });

  it("filters by package", async () => {
    const body = await dora(`environment=production&package=api&${WINDOW}`);
    // E1 E2 E3 E5 E9 succeeded; leads 2h 4h 9h 24h: median (4h + 9h) / 2 = 6.5h,
    // p90: h = 3 * 0.9 = 2.7 -> 9h + 0.7 * 15h = 19.5h.
    expect(body.deployment_frequency.deployments).toBe(5);
    expect(body.lead_time).toEqual({ releases: 4, median_ms: 6.5 * HOUR, p90_ms: 19.5 * HOUR });
    // E2, E4, E9 of 6 finished; restores 2h, 6h, 96h -> median 6h.
    expect(body.change_failure_rate).toEqual({ failures: 3, finished: 6, rate: 0.5 });
    expect(body.time_to_restore.median_ms).toBe(6 * HOUR);
  });

  it("covers every environment of a tier", async () => {
    const body = await dora(`tier=production&${WINDOW}`);
    expect(body.scope).toEqual({
      tier: "production",
      environments: ["eu-live", "production"],
      team: null,
      package: null,
    });
    // U1 adds a success with a 6h lead: leads 1 2 4 6 9 24 -> median 5h; p90 h = 4.5 -> 9h + 0.5 * 15h = 16.5h.
    expect(body.deployment_frequency.deployments).toBe(7);
    expect(body.lead_time).toEqual({ releases: 6, median_ms: 5 * HOUR, p90_ms: 16.5 * HOUR });
    expect(body.change_failure_rate).toEqual({ failures: 4, finished: 9, rate: 4 / 9 });
    const staging = await dora(`tier=staging&${WINDOW}`);
    expect(staging.scope.environments).toEqual(["staging"]);
    expect(staging.deployment_frequency.deployments).toBe(1);
    expect(staging.lead_time.median_ms).toBe(9 * HOUR); // S1: 10:00 - 01:00
  });

  it("defaults to the configured environment and the 30 days before now, by day", async () => {
    const body = await dora("");
    expect(body.from).toBe("2024-02-19T00:00:00.000Z");
    expect(body.to).toBe("2024-03-20T00:00:00.000Z");
    expect(body.interval).toBe("day");
    expect(body.series).toHaveLength(30);
    // E0 E1 E2 E3 E5 E6 E8 E9 E10 succeeded in production in those 30 days.
    expect(body.deployment_frequency).toEqual({ deployments: 9, per_day: 9 / 30 });
    // E0 has no previous release, so its lead time is c0's: 10:00 - 08:00 = 2h. Still failures: E2 E4 E7 E9.
    expect(body.lead_time.releases).toBe(6);
    expect(body.change_failure_rate).toEqual({ failures: 4, finished: 11, rate: 4 / 11 });
  });

  it("picks a longer interval by default for a long window", async () => {
    expect((await dora("from=2023-01-01&to=2024-01-01")).interval).toBe("week");
    expect((await dora("from=2020-01-01&to=2024-01-01")).interval).toBe("month");
  });

  it("names the bad parameter with 422", async () => {
    expect(await refused("environment=production&tier=production")).toEqual(["tier"]);
    expect(await refused("tier=prod")).toEqual(["tier"]);
    expect(await refused("interval=hour")).toEqual(["interval"]);
    expect(await refused("from=yesterday")).toEqual(["from"]);
    expect(await refused("from=2024-03-05&to=2024-03-04")).toEqual(["from"]);
    expect(await refused("from=2024-03-05&to=2024-03-05")).toEqual(["from"]);
    expect(await refused("from=2020-01-01&to=2024-01-01&interval=day")).toEqual(["interval"]);
  });

  it("reports an empty scope with nulls, not zeros", async () => {
    const body = await dora(`environment=nowhere&${WINDOW}`);
    expect(body.deployment_frequency).toEqual({ deployments: 0, per_day: 0 });
    expect(body.lead_time).toEqual({ releases: 0, median_ms: null, p90_ms: null });
    expect(body.change_failure_rate.rate).toBeNull();
    expect((await dora(`tier=development&${WINDOW}`)).scope.environments).toEqual([]);
  });
});

describe("DORA of one package of multi-package releases", () => {
  it("counts the package's own outcome: a release failed by another package still deployed this one", async () => {
    const local = await harness({ now: () => NOW });
    try {
      const post = async (day: number, packages: unknown[], status = "succeeded") => {
        const res = await local.request("/api/releases", {
          method: "POST",
          json: {
            packages,
            status,
            environment: "production",
            started_at: `2024-03-0${day}T09:00:00Z`,
            finished_at: `2024-03-0${day}T10:00:00Z`,
            commits: [{ sha: `c${day}00000`, timestamp: `2024-03-0${day}T08:00:00Z` }],
          },
        });
        expect(res.status).toBe(201);
        return (await res.json()) as { status: string };
      };
      await post(2, ["api@1", "web@1"]);
      // web failed on the 3rd, which fails the release; api 2 went out fine and stays current.
      const mixed = await post(3, ["api@2", { name: "web", version: "2", status: "failed" }]);
      expect(mixed.status).toBe("failed");
      await post(4, [{ name: "web", version: "2" }]);
      await post(5, [{ name: "api", version: "3", status: "cancelled" }, "web@3"]);
      // The release of the 6th was cancelled after api 4 went out: api's deployment still counts.
      await post(6, [{ name: "api", version: "4", status: "succeeded" }, "web@4"], "cancelled");
      const figures = async (query: string) => {
        const res = await local.request(
          `/api/metrics/dora?environment=production&from=2024-03-01&to=2024-03-08${query}`,
        );
        return doraResponse.parse(await res.json());
      };
      const api = await figures("&package=api");
      expect(api.deployment_frequency.deployments).toBe(3);
      expect(api.change_failure_rate).toEqual({ failures: 0, finished: 3, rate: 0 });
      // Every api deployment had a 2-hour-old commit, the failed release of the 3rd included.
      expect(api.lead_time).toEqual({ releases: 3, median_ms: 2 * HOUR, p90_ms: 2 * HOUR });
      const web = await figures("&package=web");
      expect(web.deployment_frequency.deployments).toBe(3);
      expect(web.change_failure_rate).toEqual({ failures: 1, finished: 4, rate: 0.25 });
      expect(web.time_to_restore).toEqual({ failures: 1, restored: 1, median_ms: 24 * HOUR });
      // Without the filter, the release of the 3rd is one failed deployment of the whole.
      const all = await figures("");
      expect(all.change_failure_rate).toEqual({ failures: 1, finished: 4, rate: 0.25 });
    } finally {
      await local.close();
    }
  });
});

describe("DORA over history backfilled out of order", () => {
  it("finds a rollback from the package history, whatever order the releases arrived in", async () => {
    const local = await harness({ now: () => NOW });
    try {
      const post = async (version: string, day: number) => {
        const res = await local.request("/api/releases", {
          method: "POST",
          json: {
            package: "api",
            version,
            status: "succeeded",
            environment: "production",
            started_at: `2024-03-0${day}T09:00:00Z`,
            finished_at: `2024-03-0${day}T10:00:00Z`,
          },
        });
        expect(res.status).toBe(201);
      };
      // The rollback to 1 (the 5th) arrives first, before the history it rolls back.
      await post("1", 5);
      await post("1", 3);
      await post("2", 4);
      const res = await local.request(
        "/api/metrics/dora?environment=production&from=2024-03-01&to=2024-03-08",
      );
      const body = doraResponse.parse(await res.json());
      // 3 deployments; 2 (the 4th) was rolled back by the 5th: 1 failure of 3, restored in 24h.
      expect(body.deployment_frequency.deployments).toBe(3);
      expect(body.change_failure_rate).toEqual({ failures: 1, finished: 3, rate: 1 / 3 });
      expect(body.time_to_restore).toEqual({ failures: 1, restored: 1, median_ms: 24 * HOUR });
    } finally {
      await local.close();
    }
  });
});
