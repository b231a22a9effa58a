import type { Release } from "@sponge/core";
import { afterEach, describe, expect, it } from "vitest";
import { compareUrl } from "../src/releases/compare-url.js";
import { type Harness, harness, json } from "./harness.js";

const A = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
const B = "b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1";

describe("compareUrl", () => {
  const release = (overrides: Partial<Parameters<typeof compareUrl>[0]>) => ({
    repository: "acme/api",
    source: "api" as const,
    ci: null,
    url: null,
    ...overrides,
  });

  it("links GitHub's comparison, on github.com unless the run's URL says which server", () => {
    expect(compareUrl(release({ source: "github-action" }), A, B)).toBe(
      `https://github.com/acme/api/compare/${A}...${B}`,
    );
    const enterprise = release({
      ci: { provider: "github", run_url: "https://git.acme.io/acme/api/actions/runs/7" },
    });
    expect(compareUrl(enterprise, A, B)).toBe(`https://git.acme.io/acme/api/compare/${A}...${B}`);
  });

  it("links GitLab's comparison under the address its pipeline came from, subgroups included", () => {
    const gitlab = release({
      repository: "platform/payments/api",
      source: "gitlab",
      url: "https://gitlab.acme.io/tools/platform/payments/api/-/pipelines/42",
    });
    expect(compareUrl(gitlab, A, B)).toBe(
      `https://gitlab.acme.io/tools/platform/payments/api/-/compare/${A}...${B}`,
    );
    // Without a URL under the repository there is no telling which GitLab.
    expect(compareUrl({ ...gitlab, url: "https://ci.acme.io/job/9" }, A, B)).toBeUndefined();
  });

  it("links nothing it cannot tell: another CI, a missing or equal commit, a malformed one or address", () => {
    expect(compareUrl(release({ source: "jenkins" }), A, B)).toBeUndefined();
    // A GitHub webhook with no run under the repository may come from GitHub Enterprise: no guess.
    const external = { source: "github" as const, url: "https://deploy.acme.internal/logs/2" };
    expect(compareUrl(release(external), A, B)).toBeUndefined();
    expect(compareUrl(release({}), A, B)).toBeUndefined();
    const github = release({ source: "github-action" });
    expect(compareUrl(github, null, B)).toBeUndefined();
    expect(compareUrl(github, A, A.toUpperCase())).toBeUndefined();
    expect(compareUrl(github, "main", B)).toBeUndefined();
    expect(compareUrl({ ...github, repository: "api" }, A, B)).toBeUndefined();
    const sneaky = release({ ci: { provider: "github", run_url: "javascript:alert(1)//acme/api/" } });
    expect(compareUrl(sneaky, A, B)).toBeUndefined();
    expect(compareUrl({ ...sneaky, source: "github-action" }, A, B)).toBe(
      `https://github.com/acme/api/compare/${A}...${B}`,
    );
  });
});

describe("diff_url through the API", () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  async function deploy(body: Record<string, unknown>, status = 201): Promise<Release> {
    const res = await h.request("/api/releases", {
      method: "POST",
      json: {
        repository: "acme/api",
        environment: "production",
        status: "succeeded",
        ci: { provider: "github", run_url: "https://github.com/acme/api/actions/runs/1" },
        ...body,
      },
    });
    const doc = await json(res);
    expect(res.status, JSON.stringify(doc)).toBe(status);
    return doc as Release;
  }

  it("compares with the previous deployment's commit, follows a backfill, and keeps one the sender gave", async () => {
    h = await harness({ now: () => new Date("2026-03-01T12:00:00.000Z") });
    const first = await deploy({
      packages: ["api@1.0.0"],
      commit: A,
      started_at: "2026-03-01T08:00:00Z",
      finished_at: "2026-03-01T08:05:00Z",
    });
    expect(first.packages[0]?.diff_url).toBeNull();
    const third = await deploy({
      packages: ["api@1.2.0"],
      commit: B,
      started_at: "2026-03-01T10:00:00Z",
      finished_at: "2026-03-01T10:05:00Z",
    });
    expect(third.packages[0]?.diff_url).toBe(`https://github.com/acme/api/compare/${A}...${B}`);
    expect(third.inferred["packages.api.diff_url"]).toBe("previous_deployment.commit");

    // A deployment recorded late, between the two, becomes the later one's previous: its link follows.
    const middle = "c".repeat(40);
    await deploy({
      packages: ["api@1.1.0"],
      commit: middle,
      started_at: "2026-03-01T09:00:00Z",
      finished_at: "2026-03-01T09:05:00Z",
    });
    const after = (await json(await h.request(`/api/releases/${third.id}`))) as Release;
    expect(after.packages[0]?.diff_url).toBe(`https://github.com/acme/api/compare/${middle}...${B}`);

    const given = "https://review.acme.io/api/changes/17";
    const sent = await deploy({
      packages: [{ name: "api", version: "1.3.0", diff_url: given }],
      commit: "d".repeat(40),
      started_at: "2026-03-01T11:00:00Z",
      finished_at: "2026-03-01T11:05:00Z",
    });
    expect(sent.packages[0]?.diff_url).toBe(given);
    expect(sent.inferred["packages.api.diff_url"]).toBeUndefined();
  });

  it("links nothing when the previous deployment came from another repository", async () => {
    h = await harness({ now: () => new Date("2026-03-01T12:00:00.000Z") });
    await deploy({
      packages: ["api@1.0.0"],
      commit: A,
      repository: "acme/legacy-api",
      finished_at: "2026-03-01T08:05:00Z",
    });
    const moved = await deploy({ packages: ["api@2.0.0"], commit: B, finished_at: "2026-03-01T09:05:00Z" });
    expect(moved.packages[0]?.previous_version).toBe("1.0.0");
    expect(moved.packages[0]?.diff_url).toBeNull();
  });
});
