import type { Release } from "@sponge/core";
import { describe, expect, it } from "vitest";
import { formatDuration } from "../src/format-duration.js";
import { renderSummary } from "../src/render-summary.js";

const release: Release = {
  id: "01J0RELEASE",
  key: "github-action:acme/api:42:1:deploy:api:production",
  status: "succeeded",
  environment: "production",
  platforms: [],
  notes: [],
  references: ["PAY-7", "acme/api#12"],
  person: "Jane <Doe>",
  team: "payments",
  source: "github-action",
  repository: "acme/api",
  commit: "b".repeat(40),
  ref: "refs/heads/main",
  url: "https://github.com/acme/api/actions/runs/42",
  started_at: "2024-05-02T10:00:00.000Z",
  finished_at: "2024-05-02T10:03:05.000Z",
  duration_ms: 185_000,
  lead_time_ms: 90_000_000,
  rollback: false,
  metadata: {},
  ci: null,
  inferred: {},
  packages: [
    {
      name: "api",
      version: "1.4.2",
      previous_version: "1.4.1",
      status: "succeeded",
      rollback: false,
      started_at: null,
      finished_at: null,
      duration_ms: 185_000,
      diff_url: null,
    },
  ],
  hosts: [],
  commits: [
    { sha: "c".repeat(40), message: "PAY-7 <script>alert(1)</script>\n\nbody", author: "jdoe" },
    { sha: "b".repeat(40), message: "fix typo" },
  ],
  created_at: "2024-05-02T10:00:00.000Z",
  updated_at: "2024-05-02T10:03:05.000Z",
};

describe("renderSummary", () => {
  const html = renderSummary(release, "https://sponge.example.com/releases/01J0RELEASE");

  it("names the release, links it and shows versions, people, duration and lead time", () => {
    expect(html).toContain("<h2>Sponge: api@1.4.2 to production — succeeded</h2>");
    expect(html).toContain('<a href="https://sponge.example.com/releases/01J0RELEASE">01J0RELEASE</a>');
    expect(html).toContain("<td>1.4.1 → 1.4.2</td>");
    expect(html).toContain("<td>payments</td>");
    expect(html).toContain('<th align="left">Duration</th><td>3m 05s</td>');
    expect(html).toContain('<th align="left">Lead time</th><td>1d 1h</td>');
    expect(html).toContain("PAY-7, acme/api#12");
  });

  it("lists commits newest first with their subject line only", () => {
    expect(html).toContain("<h3>Commits (2)</h3>");
    expect(html.indexOf("bbbbbbb")).toBeLessThan(html.indexOf("ccccccc"));
    expect(html).not.toContain("body");
  });

  it("escapes what people wrote", () => {
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;");
    expect(html).toContain("Jane &#60;Doe&#62;");
  });

  it("leaves out what is unknown", () => {
    const bare = renderSummary(
      { ...release, lead_time_ms: null, duration_ms: null, commits: [], team: null },
      "u",
    );
    expect(bare).not.toContain("Lead time");
    expect(bare).not.toContain("Duration");
    expect(bare).not.toContain("Commits");
    expect(bare).not.toContain("Team");
  });
});

describe("formatDuration", () => {
  it.each([
    [850, "850 ms"],
    [42_000, "42s"],
    [185_000, "3m 05s"],
    [7_440_000, "2h 04m"],
    [273_600_000, "3d 4h"],
    [-1, "—"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
