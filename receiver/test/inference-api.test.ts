import { parseConfig } from "@sponge/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, harness, json } from "./harness.js";

const config = parseConfig({
  teams: [{ team: "payments", repositories: ["acme/payments-*"] }],
  people: [{ name: "Jane Doe", aliases: ["jane@acme.io", "jdoe"] }],
  references: { jiraProjects: ["PAY"] },
});

let h: Harness;
beforeEach(async () => {
  h = await harness({ config: { sponge: config } });
});
afterEach(async () => {
  await h.close();
});

describe("inference through the API", () => {
  it("a release with only a repository and commits comes back complete, saying where each value came from", async () => {
    // The previous deploy of this package there, so lead time counts only the commits that are new.
    await h.request("/api/releases", {
      method: "POST",
      json: {
        repository: "acme/payments-api",
        status: "succeeded",
        started_at: "2026-02-01T09:00:00Z",
        finished_at: "2026-02-01T09:05:00Z",
        commits: [
          { sha: "aaaaaaa1", message: "PAY-1 first", author: "jdoe", timestamp: "2026-01-30T12:00:00Z" },
        ],
      },
    });
    const res = await h.request("/api/releases", {
      method: "POST",
      json: {
        repository: "acme/payments-api",
        status: "succeeded",
        started_at: "2026-02-03T10:00:00Z",
        finished_at: "2026-02-03T10:10:00Z",
        commits: [
          { sha: "aaaaaaa1", message: "PAY-1 first", author: "jdoe", timestamp: "2026-01-30T12:00:00Z" },
          {
            sha: "bbbbbbb2",
            message: "PAY-42 refunds in UTF-8 (fixes #7)",
            author: "jane@acme.io",
            timestamp: "2026-02-02T10:00:00Z",
          },
          {
            sha: "ccccccc3",
            message: "Tidy SHA-256 helper",
            author: "jane@acme.io",
            timestamp: "2026-02-03T08:00:00Z",
          },
        ],
      },
    });
    expect(res.status).toBe(201);
    const release = await json(res);
    expect(release.person).toBe("Jane Doe");
    expect(release.team).toBe("payments");
    expect(release.references).toEqual(expect.arrayContaining(["PAY-1", "PAY-42", "acme/payments-api#7"]));
    expect(release.references).not.toContain("UTF-8");
    expect(release.references).not.toContain("SHA-256");
    expect(release.environment).toBe("production");
    expect(release.packages[0]).toMatchObject({
      name: "payments-api",
      version: "ccccccc",
      previous_version: "aaaaaaa",
    });
    // Lead time: finished 2026-02-03T10:10Z minus the earliest commit new since the previous deploy
    // (bbbbbbb2 at 2026-02-02T10:00Z) = 24h10m.
    expect(release.lead_time_ms).toBe((24 * 60 + 10) * 60_000);
    expect(release.inferred).toMatchObject({
      person: expect.stringMatching(/^commits/),
      team: "config:teams[0].repositories",
      references: expect.stringContaining("commits"),
      environment: "config.defaultEnvironment",
      "packages[0].name": "repository",
    });
  });

  it("explicit values always win over inference", async () => {
    const release = await json(
      h.request("/api/releases", {
        method: "POST",
        json: {
          repository: "acme/payments-api",
          person: "Someone Else",
          team: "platform",
          environment: "staging",
          ci: { actor: "jdoe" },
        },
      }),
    );
    expect(release).toMatchObject({ person: "Someone Else", team: "platform", environment: "staging" });
    expect(release.inferred).not.toHaveProperty("person");
    expect(release.inferred).not.toHaveProperty("team");
    expect(release.inferred).not.toHaveProperty("environment");
  });

  it("a finish event adds finished_at, the duration and the lead time to a running release", async () => {
    const started = await json(
      h.request("/api/releases", {
        method: "POST",
        json: {
          repository: "acme/payments-api",
          started_at: "2026-02-03T10:00:00Z",
          commits: [{ sha: "ddddddd4", author: "jdoe", timestamp: "2026-02-03T09:00:00Z" }],
        },
      }),
    );
    expect(started).toMatchObject({ status: "running", duration_ms: null, lead_time_ms: null });
    const finished = await json(
      h.request(`/api/releases/${started.id}/finish`, {
        method: "POST",
        json: { finished_at: "2026-02-03T10:02:00Z" },
      }),
    );
    expect(finished).toMatchObject({ status: "succeeded", duration_ms: 120_000, lead_time_ms: 62 * 60_000 });
    expect(finished.packages[0].duration_ms).toBe(120_000);
  });
});
