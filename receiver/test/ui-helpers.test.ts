import { defaultConfig } from "@sponge/core";
import { describe, expect, it } from "vitest";
import { labelAnchor, labelIndices, niceMax } from "../src/ui/components/chart-scale.js";
import { announcement } from "../src/ui/components/running-releases.js";
import { orderEnvironments, pickEnvironments } from "../src/ui/environments.js";
import {
  firstLine,
  formatDateTime,
  formatDuration,
  formatPercent,
  logTime,
  shortSha,
  timeAgo,
} from "../src/ui/format.js";
import { inferredValue } from "../src/ui/inferred-value.js";
import { commitUrl, queryString, referenceUrl, repositoryUrl, safeUrl } from "../src/ui/links.js";
import { pickTeams } from "../src/ui/load-dora.js";
import { clipped, driftSummary, driftVerdict } from "../src/ui/pages/dora-page.js";
import type { DriftRow } from "../src/ui/queries.js";

describe("formatting for people", () => {
  it("shows durations in their two largest units", () => {
    expect(formatDuration(450)).toBe("450 ms");
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(200_000)).toBe("3 min 20 s");
    expect(formatDuration(3_600_000)).toBe("1 h");
    expect(formatDuration(7_500_000)).toBe("2 h 5 min");
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59_000)).toBe("3 d 4 h");
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(-5)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
  });

  it("says how long ago, and never lies about the future", () => {
    const now = new Date("2026-01-01T13:00:00Z");
    expect(timeAgo("2026-01-01T12:59:30Z", now)).toBe("just now");
    expect(timeAgo("2026-01-01T12:15:00Z", now)).toBe("45 min ago");
    expect(timeAgo("2026-01-01T10:00:00Z", now)).toBe("3 h ago");
    expect(timeAgo("2025-12-20T13:00:00Z", now)).toBe("12 d ago");
    expect(timeAgo("2025-09-01T13:00:00Z", now)).toBe("4 mo ago");
    expect(timeAgo("2026-01-02T00:00:00Z", now)).toBe("in the future");
    expect(timeAgo("not a time", now)).toBe("");
  });

  it("prints UTC times, short shas, first lines and percentages", () => {
    expect(formatDateTime("2026-03-04T12:34:56.000Z")).toBe("2026-03-04 12:34 UTC");
    expect(formatDateTime(null)).toBe("—");
    expect(shortSha("0123456789abcdef0123456789abcdef01234567")).toBe("0123456");
    expect(shortSha("v1.2.3")).toBe("v1.2.3");
    expect(firstLine("Fix it\n\nLong story")).toBe("Fix it");
    expect(formatPercent(0.1234)).toBe("12 %");
    expect(formatPercent(0.045)).toBe("4.5 %");
    expect(formatPercent(null)).toBe("—");
  });
});

describe("links", () => {
  it("links only http(s) URLs, so stored input never becomes a script link", () => {
    expect(safeUrl("https://ci.example/run/1")).toBe("https://ci.example/run/1");
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("data:text/html,<b>")).toBeUndefined();
    expect(safeUrl("not a url")).toBeUndefined();
    expect(safeUrl(null)).toBeUndefined();
  });

  it("turns references into GitHub links where their form says where they live", () => {
    expect(referenceUrl("acme/web#12")).toBe("https://github.com/acme/web/issues/12");
    expect(referenceUrl("#7", "acme/web")).toBe("https://github.com/acme/web/issues/7");
    expect(referenceUrl("#7")).toBeUndefined();
    expect(referenceUrl("PAY-123")).toBeUndefined();
    expect(referenceUrl("https://jira.example/browse/PAY-1")).toBe("https://jira.example/browse/PAY-1");
    expect(referenceUrl("javascript:alert(1)")).toBeUndefined();
  });

  it("links commits and repositories of owner/name form only", () => {
    expect(commitUrl("acme/web", "a1b2c3d")).toBe("https://github.com/acme/web/commit/a1b2c3d");
    expect(commitUrl("acme/web", "not-a-sha")).toBeUndefined();
    expect(commitUrl("group/sub/project", "a1b2c3d")).toBeUndefined();
    expect(repositoryUrl("acme/web")).toBe("https://github.com/acme/web");
    expect(repositoryUrl("../../etc")).toBeUndefined();
  });

  it("leaves empty values out of query strings", () => {
    expect(queryString({ package: "@acme/api", team: undefined, status: "" })).toBe("?package=%40acme%2Fapi");
    expect(queryString({})).toBe("");
  });
});

describe("chart scales", () => {
  it("rounds the top of the axis up to steps people read easily", () => {
    expect(niceMax(7.3, 4)).toBe(8);
    expect(niceMax(33, 4)).toBe(40);
    expect(niceMax(0.37, 4)).toBeCloseTo(0.4);
    expect(niceMax(0, 4)).toBe(1);
    expect(niceMax(5 * 3_600_000, 4, "duration")).toBe(8 * 3_600_000);
    expect(niceMax(50 * 60_000, 4, "duration")).toBe(60 * 60_000);
  });

  it("keeps an empty axis readable: whole counts, whole minutes", () => {
    expect(niceMax(0, 4, "duration")).toBe(4 * 60_000);
    expect(niceMax(0, 4, "count")).toBe(4);
    expect(niceMax(1, 4, "count")).toBe(4);
    expect(niceMax(9, 4, "count")).toBe(12);
    expect(niceMax(40, 4, "count")).toBe(40);
  });

  it("spreads a few labels an equal step apart, the last one included", () => {
    expect([...labelIndices(3, 7)]).toEqual([0, 1, 2]);
    expect([...labelIndices(13, 7)].sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8, 10, 12]);
    // Fourteen weeks: every other week from the latest, not a gap of one somewhere in the middle.
    expect([...labelIndices(14, 7)].sort((a, b) => a - b)).toEqual([1, 3, 5, 7, 9, 11, 13]);
    expect([...labelIndices(91, 7)].sort((a, b) => a - b)).toEqual([12, 25, 38, 51, 64, 77, 90]);
  });
});

describe("environment order", () => {
  it("follows a deployment's way: development, staging, then production tiers", () => {
    const config = {
      ...defaultConfig,
      environments: {
        production: { tier: "production" as const },
        "prod-eu": { tier: "production" as const },
      },
    };
    expect(orderEnvironments(["prod-eu", "production", "staging", "dev", "qa"], config)).toEqual([
      "dev",
      "qa",
      "staging",
      "production",
      "prod-eu",
    ]);
  });
});

describe("environments of a capped table", () => {
  const config = {
    ...defaultConfig,
    environments: { ...defaultConfig.environments, "eu-live": { tier: "production" as const } },
  };
  const ordered = orderEnvironments(
    ["production", "eu-live", "staging", "qa", "dev-1", "dev-2", "dev-3"],
    config,
  );

  it("drops the least important tiers first and keeps the travel order", () => {
    expect(pickEnvironments(ordered, config, 5)).toEqual({
      shown: ["dev-1", "qa", "staging", "production", "eu-live"],
      hidden: ["dev-2", "dev-3"],
    });
  });

  it("never drops a production-tier environment or one it is asked to keep", () => {
    expect(pickEnvironments(ordered, config, 1, ["dev-3"])).toEqual({
      shown: ["dev-3", "production", "eu-live"],
      hidden: ["dev-1", "dev-2", "qa", "staging"],
    });
    expect(pickEnvironments(ordered, config, 20).hidden).toEqual([]);
  });
});

describe("teams of a capped table", () => {
  const teams = ["data", "mobile", "payments", "platform", "web"];

  it("shows the first teams by name and names the rest", () => {
    expect(pickTeams(teams, 3, undefined)).toEqual({
      shown: ["data", "mobile", "payments"],
      hidden: ["platform", "web"],
    });
    expect(pickTeams(teams, 10, undefined)).toEqual({ shown: teams, hidden: [] });
  });

  it("always keeps the chosen team, in its place by name", () => {
    expect(pickTeams(teams, 3, "web")).toEqual({
      shown: ["data", "mobile", "web"],
      hidden: ["payments", "platform"],
    });
    expect(pickTeams(teams, 3, "data")).toEqual({
      shown: ["data", "mobile", "payments"],
      hidden: ["platform", "web"],
    });
    expect(pickTeams(teams, 1, "nobody")).toEqual({ shown: ["nobody"], hidden: teams });
  });
});

describe("what is deploying now, read aloud", () => {
  it("counts running and queued releases apart", () => {
    expect(announcement(0, 0)).toBe("No release is running");
    expect(announcement(1, 0)).toBe("1 release running");
    expect(announcement(0, 2)).toBe("2 releases queued");
    expect(announcement(3, 1)).toBe("3 releases running, 1 queued");
  });
});

describe("drift wording", () => {
  const row = (pkg: string, from: string, to: string | null): DriftRow => ({
    package: pkg,
    from_version: from,
    from_deployed_at: "2026-03-01T00:00:00.000Z",
    from_release: `r-${pkg}-from`,
    to_version: to,
    to_deployed_at: to === null ? null : "2026-02-01T00:00:00.000Z",
    to_release: to === null ? null : `r-${pkg}-to`,
    ahead: to === null ? 0 : 1,
  });

  it("tells packages on another version from packages never deployed there", () => {
    const say = (rows: DriftRow[]) => driftSummary("staging", "production", rows);
    expect(say([])).toBe("No package has a current version in staging.");
    expect(say([row("a", "1", "1")])).toBe(
      "Every package current in staging runs the same version in production.",
    );
    expect(say([row("a", "2", "1"), row("b", "1", "1")])).toBe(
      "1 of 2 packages current in staging runs a different version in production.",
    );
    expect(say([row("a", "2", null)])).toBe(
      "The only package current in staging is not deployed to production.",
    );
    expect(say([row("a", "2", null), row("b", "1", null)])).toBe(
      "None of the 2 packages current in staging is deployed to production.",
    );
    expect(say([row("a", "2", null), row("b", "1", "1"), row("c", "1", "1")])).toBe(
      "1 of 3 packages current in staging is not deployed to production; the rest run the same version there.",
    );
    expect(say([row("a", "2", null), row("b", "2", null), row("c", "2", "1"), row("d", "2", "1")])).toBe(
      "Of the 4 packages current in staging, 2 run a different version in production and 2 are not deployed there.",
    );
  });
});

describe("a drift row's verdict", () => {
  const base: DriftRow = {
    package: "api",
    from_version: "2",
    from_deployed_at: "2026-03-01T00:00:00.000Z",
    from_release: "r-from",
    to_version: "1",
    to_deployed_at: "2026-02-01T00:00:00.000Z",
    to_release: "r-to",
    ahead: 3,
  };

  it("warns when the target lags behind or never had the package", () => {
    expect(driftVerdict(base, "production")).toEqual({ text: "3 deployments behind", warn: true });
    expect(driftVerdict({ ...base, ahead: 1 }, "production")).toEqual({
      text: "1 deployment behind",
      warn: true,
    });
    expect(driftVerdict({ ...base, ahead: 100 }, "production").text).toBe("100+ deployments behind");
    expect(
      driftVerdict(
        { ...base, to_version: null, to_deployed_at: null, to_release: null, ahead: 0 },
        "production",
      ),
    ).toEqual({ text: "never deployed to production", warn: true });
    expect(driftVerdict({ ...base, to_version: "2", ahead: 0 }, "production")).toEqual({
      text: "in sync",
      warn: false,
    });
  });

  it("never says 0 deployments behind: a target with a version of its own runs a different version", () => {
    const hotfix = { ...base, to_version: "2.0.1", to_deployed_at: "2026-03-02T00:00:00.000Z", ahead: 0 };
    expect(driftVerdict(hotfix, "production")).toEqual({
      text: "production runs a different version, deployed later",
      warn: false,
    });
    const same = { ...hotfix, to_deployed_at: hotfix.from_deployed_at };
    expect(driftVerdict(same, "production")).toEqual({
      text: "production runs a different version",
      warn: false,
    });
  });
});

describe("period labels at the chart's edges", () => {
  const margin = { left: 64, right: 12 };

  it("centres labels whose slots leave room, and sets the last flush with the plot's end otherwise", () => {
    expect(labelAnchor(12, 13, 43, margin)).toBe("middle");
    expect(labelAnchor(0, 13, 43, margin)).toBe("middle");
    expect(labelAnchor(364, 365, 1.5, margin)).toBe("end");
    expect(labelAnchor(180, 365, 1.5, margin)).toBe("middle");
    expect(labelAnchor(0, 365, 1.5, margin)).toBe("middle");
    expect(labelAnchor(0, 365, 1.5, { left: 0, right: 0 })).toBe("start");
    expect(labelAnchor(0, 1, 564, margin)).toBe("middle");
  });
});

describe("clipped", () => {
  it("tells a bucket the window cut short from a whole day, week or month", () => {
    const bucket = (start: string, end: string) => ({
      start: `${start}T00:00:00.000Z`,
      end: `${end}T00:00:00.000Z`,
    });
    expect(clipped(bucket("2026-03-02", "2026-03-09"), "week")).toBe(false);
    expect(clipped(bucket("2026-03-04", "2026-03-09"), "week")).toBe(true);
    expect(clipped(bucket("2026-03-02", "2026-03-03"), "day")).toBe(false);
    expect(clipped({ start: "2026-03-02T13:00:00.000Z", end: "2026-03-03T00:00:00.000Z" }, "day")).toBe(true);
    expect(clipped(bucket("2026-02-01", "2026-03-01"), "month")).toBe(false);
    expect(clipped(bucket("2026-02-10", "2026-03-01"), "month")).toBe(true);
    expect(clipped(bucket("2026-03-01", "2026-03-20"), "month")).toBe(true);
  });
});

describe("logTime", () => {
  it("gives the date only when it differs from the line before (or the release's start)", () => {
    expect(logTime("2026-03-01T23:59:58.000Z", "2026-03-01T23:50:00.000Z")).toBe("23:59:58");
    expect(logTime("2026-03-02T00:00:05.000Z", "2026-03-01T23:59:58.000Z")).toBe("2026-03-02 00:00:05");
  });
});

describe("inferredValue", () => {
  it("reads release fields, packages by position and packages by name", () => {
    const release = {
      person: "jane",
      packages: [
        { name: "@acme/web.app", version: "2.0.0", diff_url: "https://github.com/acme/web/compare/a...b" },
      ],
    } as unknown as Parameters<typeof inferredValue>[0];
    expect(inferredValue(release, "person")).toBe("jane");
    expect(inferredValue(release, "packages[0].version")).toBe("2.0.0");
    expect(inferredValue(release, "packages.@acme/web.app.diff_url")).toBe(
      "https://github.com/acme/web/compare/a...b",
    );
    expect(inferredValue(release, "packages.gone.diff_url")).toBe("—");
  });
});
