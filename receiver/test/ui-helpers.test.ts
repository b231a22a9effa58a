import { defaultConfig } from "@sponge/core";
import { describe, expect, it } from "vitest";
import { labelIndices, niceMax } from "../src/ui/components/chart-scale.js";
import { orderEnvironments } from "../src/ui/environments.js";
import {
  firstLine,
  formatDateTime,
  formatDuration,
  formatPercent,
  shortSha,
  timeAgo,
} from "../src/ui/format.js";
import { commitUrl, queryString, referenceUrl, repositoryUrl, safeUrl } from "../src/ui/links.js";

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

  it("spreads a few labels evenly, first and last included", () => {
    expect([...labelIndices(3, 7)]).toEqual([0, 1, 2]);
    expect([...labelIndices(13, 7)]).toEqual([0, 2, 4, 6, 8, 10, 12]);
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
