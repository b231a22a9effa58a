import type { Release } from "@sponge/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { currentVersion } from "../src/store/release-reads.js";
import { type Harness, harness, json, READ_TOKEN } from "./harness.js";

let h: Harness;
let clock = new Date("2026-03-01T12:00:00.000Z");
const tick = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

beforeEach(async () => {
  clock = new Date("2026-03-01T12:00:00.000Z");
  h = await harness({ now: () => clock });
});
afterEach(async () => {
  await h.close();
});

async function post(path: string, payload: unknown, status = 201): Promise<Release> {
  const res = await h.request(path, { method: "POST", json: payload });
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body as Release;
}

describe("POST /api/releases", () => {
  it("accepts an empty body: no field is required", async () => {
    const release = await post("/api/releases", {});
    expect(release.status).toBe("running");
    expect(release.environment).toBe("production");
    expect(release.source).toBe("api");
    expect(release.started_at).toBe("2026-03-01T12:00:00.000Z");
    expect(release.rollback).toBe(false);
    expect(release.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is idempotent on key: the same key merges into the same release with 200", async () => {
    const first = await post("/api/releases", { key: "run-1", notes: "first", packages: ["api@1.0.0"] });
    const again = await post("/api/releases", { key: "run-1", notes: ["second"], references: "PAY-1" }, 200);
    expect(again.id).toBe(first.id);
    expect(again.notes).toEqual(["first", "second"]);
    expect(again.references).toContain("PAY-1");
    const list = await json(h.request("/api/releases"));
    expect(list.releases).toHaveLength(1);
  });

  it("is forgiving: strings for lists, numbers for text, unknown fields kept in metadata, derived fields ignored", async () => {
    const release = await post("/api/releases", {
      notes: "one note",
      platforms: "k8s",
      version: 42,
      package: "api",
      duration_ms: 5,
      lead_time_ms: 7,
      rollback: true,
      build_agent: { name: "agent-7" },
    });
    expect(release.notes).toEqual(["one note"]);
    expect(release.platforms).toEqual(["k8s"]);
    expect(release.packages[0]).toMatchObject({ name: "api", version: "42" });
    expect(release.metadata).toEqual({ build_agent: { name: "agent-7" } });
    expect(release.duration_ms).toBeNull();
    expect(release.rollback).toBe(false);
  });

  it("an inferred package gives way when the release names its packages", async () => {
    const guessed = await post("/api/releases", {
      key: "k",
      repository: "acme/api",
      commit: "abcdef1234567",
    });
    expect(guessed.packages.map((p) => `${p.name}@${p.version}`)).toEqual(["api@abcdef1"]);
    expect(guessed.inferred).toMatchObject({ "packages[0].name": "repository" });
    const named = await post("/api/releases", { key: "k", packages: ["web@2.0.0"] }, 200);
    expect(named.packages.map((p) => `${p.name}@${p.version}`)).toEqual(["web@2.0.0"]);
    expect(named.inferred).not.toHaveProperty("packages[0].name");
  });

  it("accepts backfilled timestamps and derives durations from them", async () => {
    const release = await post("/api/releases", {
      package: "api",
      version: "1.0.0",
      started_at: "2025-01-01T10:00:00Z",
      finished_at: 1735725900000,
      status: "SUCCESS",
    });
    expect(release.status).toBe("succeeded");
    expect(release.finished_at).toBe("2025-01-01T10:05:00.000Z");
    expect(release.duration_ms).toBe(300_000);
    expect(release.packages[0]?.duration_ms).toBe(300_000);
  });

  it("a finish time without a status records a finished deployment, started no later than it finished", async () => {
    const release = await post("/api/releases", { finished_at: "2025-06-01T00:00:00Z" });
    expect(release.status).toBe("succeeded");
    expect(release.started_at).toBe("2025-06-01T00:00:00.000Z");
    expect(release.duration_ms).toBe(0);
  });

  it("pulls a start nobody sent back to a finish reported earlier than it, and lets a sent start replace it", async () => {
    // First heard of as running: it starts when received, and says so.
    const running = await post("/api/releases", { key: "late-1", package: "api@1.0.0", status: "running" });
    expect(running.started_at).toBe("2026-03-01T12:00:00.000Z");
    expect(running.inferred).toMatchObject({ started_at: "received_at" });
    // Its outcome was delivered late: it finished before the receiver first heard of it.
    const done = await post(
      "/api/releases",
      { key: "late-1", status: "succeeded", finished_at: "2026-03-01T11:00:00Z" },
      200,
    );
    expect(done).toMatchObject({
      started_at: "2026-03-01T11:00:00.000Z",
      finished_at: "2026-03-01T11:00:00.000Z",
      duration_ms: 0,
    });
    expect(done.packages[0]).toMatchObject({ started_at: "2026-03-01T11:00:00.000Z" });
    expect(done.inferred).toMatchObject({ started_at: "finished_at" });
    const sent = await post("/api/releases", { key: "late-1", started_at: "2026-03-01T10:45:00Z" }, 200);
    expect(sent).toMatchObject({ started_at: "2026-03-01T10:45:00.000Z", duration_ms: 900_000 });
    expect(sent.inferred).not.toHaveProperty("started_at");

    // A package reported finished earlier than that start, while the release runs, pulls it back too.
    const running2 = await post("/api/releases", { key: "late-2", packages: ["pa@1.0.0"] });
    expect(running2.started_at).toBe("2026-03-01T12:00:00.000Z");
    const added = await h.request(`/api/releases/${running2.id}/packages`, {
      method: "POST",
      json: [{ name: "pb", version: "1.0.0", status: "succeeded", finished_at: "2026-03-01T11:00:00Z" }],
    });
    const withPackage = (await json(added)) as Release;
    expect(withPackage).toMatchObject({ status: "running", started_at: "2026-03-01T11:00:00.000Z" });
    expect(withPackage.packages.map((p) => [p.name, p.started_at, p.duration_ms])).toEqual([
      ["pa", "2026-03-01T11:00:00.000Z", null],
      ["pb", "2026-03-01T11:00:00.000Z", 0],
    ]);

    // A backfilled record starts at its finish, and follows a finish corrected to earlier.
    const backfilled = await post("/api/releases", {
      key: "backfill-1",
      finished_at: "2026-02-20T10:00:00Z",
    });
    expect(backfilled.started_at).toBe("2026-02-20T10:00:00.000Z");
    expect(backfilled.inferred).toMatchObject({ started_at: "finished_at" });
    const corrected = await h.request(`/api/releases/${backfilled.id}`, {
      method: "PATCH",
      json: { finished_at: "2026-02-20T09:00:00Z" },
    });
    expect(await json(corrected)).toMatchObject({
      started_at: "2026-02-20T09:00:00.000Z",
      finished_at: "2026-02-20T09:00:00.000Z",
      duration_ms: 0,
    });
    // ...and a finish corrected to later: a start nobody sent is no reason for a duration.
    const later = await h.request(`/api/releases/${backfilled.id}`, {
      method: "PATCH",
      json: { finished_at: "2026-02-20T11:00:00Z" },
    });
    expect(await json(later)).toMatchObject({ started_at: "2026-02-20T11:00:00.000Z", duration_ms: 0 });

    // A start that was sent stays where it was put.
    await post("/api/releases", { key: "sent-1", started_at: "2026-03-01T11:30:00Z" });
    const kept = await post("/api/releases", { key: "sent-1", finished_at: "2026-03-01T11:40:00Z" }, 200);
    expect(kept.started_at).toBe("2026-03-01T11:30:00.000Z");
    expect(kept.inferred).not.toHaveProperty("started_at");
  });

  it("names the field in a 422", async () => {
    const res = await h.request("/api/releases", {
      method: "POST",
      json: { status: "exploded", packages: [{ name: "api", started_at: "yesterday" }] },
    });
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.error.code).toBe("invalid_field");
    const fields = body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toContain("status");
    expect(fields.some((f: string) => f.startsWith("packages"))).toBe(true);
  });

  it("names the innermost field when a value takes one of several shapes", async () => {
    const release = await post("/api/releases", {});
    const cases: [string, unknown, { field: string; message: string }][] = [
      ["/api/releases", { packages: [{ version: "1" }] }, { field: "packages.0.name", message: "required" }],
      [
        "/api/releases",
        { packages: [{ name: "api", started_at: "yesterday" }] },
        { field: "packages.0.started_at", message: 'expected an ISO 8601 timestamp, got "yesterday"' },
      ],
      [
        "/api/releases",
        { commits: [{ sha: "abc1234", timestamp: "soon" }] },
        { field: "commits.0.timestamp", message: 'expected an ISO 8601 timestamp, got "soon"' },
      ],
      [
        "/api/releases",
        { packages: 5 },
        { field: "packages", message: "expected an array, an object or a string" },
      ],
      [
        "/api/releases",
        { environment: { name: "x" } },
        { field: "environment", message: "expected a string" },
      ],
      [
        `/api/releases/${release.id}/hosts`,
        [{ status: "succeeded" }],
        { field: "0.name", message: "required" },
      ],
      [`/api/releases/${release.id}/logs`, [{ level: "info" }], { field: "0.message", message: "required" }],
    ];
    for (const [path, body, issue] of cases) {
      const res = await h.request(path, { method: "POST", json: body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await json(res)).error.details, JSON.stringify(body)).toEqual([issue]);
    }
  });
});

describe("release lifecycle", () => {
  it("start, add packages and hosts, finish: durations, previous version and current version", async () => {
    const first = await post("/api/releases", { environment: "production", packages: "api@1.0.0" });
    tick(60_000);
    await post(`/api/releases/${first.id}/finish`, {}, 200);

    tick(60_000);
    const second = await post("/api/releases", { environment: "production" });
    await post(`/api/releases/${second.id}/packages`, [{ name: "api", version: "1.1.0" }, "worker@7"]);
    const withHosts = await post(`/api/releases/${second.id}/hosts`, [
      { name: "web-1", package: "api", status: "succeeded" },
      "web-2",
    ]);
    expect(withHosts.hosts.map((host) => host.name)).toEqual(["web-1", "web-2"]);
    tick(30_000);
    const finished = await post(`/api/releases/${second.id}/finish`, { status: "succeeded" }, 200);
    expect(finished.duration_ms).toBe(30_000);
    const api = finished.packages.find((p) => p.name === "api");
    expect(api).toMatchObject({
      version: "1.1.0",
      previous_version: "1.0.0",
      status: "succeeded",
      rollback: false,
    });
    const current = await currentVersion(h.store.reader, "api", "production");
    expect(current).toMatchObject({ version: "1.1.0", release_id: second.id });
    expect(Object.keys(current ?? {})).not.toContain("_metadata");
  });

  it("a late in-progress event fills gaps in a finished release but overwrites nothing", async () => {
    const done = await post("/api/releases", {
      key: "late-1",
      status: "succeeded",
      url: "https://ci.example/runs/2",
      ci: { event: "deployment_status", run_id: "2" },
      metadata: { stage: "done" },
    });
    const late = await post(
      "/api/releases",
      {
        key: "late-1",
        status: "running",
        url: "https://ci.example/runs/1",
        team: "payments",
        ci: { event: "deployment", run_id: "1", job: "deploy" },
        metadata: { stage: "started", runner: "r-7" },
      },
      200,
    );
    expect(late.id).toBe(done.id);
    expect(late).toMatchObject({
      status: "succeeded",
      url: "https://ci.example/runs/2",
      team: "payments",
      ci: { event: "deployment_status", run_id: "2", job: "deploy" },
      metadata: { stage: "done", runner: "r-7" },
    });
  });

  it("finish takes only a status that ends the release (422 for queued or running, in any spelling)", async () => {
    const release = await post("/api/releases", { packages: "api@2.0.0" });
    for (const status of ["queued", "running", "in_progress"]) {
      const refused = (await post(`/api/releases/${release.id}/finish`, { status }, 422)) as unknown as {
        error: { code: string; details: { field: string; message: string }[] };
      };
      expect(refused.error.code).toBe("invalid_field");
      expect(refused.error.details[0]?.field).toBe("status");
      expect(refused.error.details[0]?.message).toMatch(
        /^a release finishes as succeeded, failed or cancelled/,
      );
    }
    expect((await post(`/api/releases/${release.id}/finish`, { status: "canceled" }, 200)).status).toBe(
      "cancelled",
    );
  });

  it("a terminal status is never reverted by a late event, but PATCH corrects it and says so", async () => {
    const release = await post("/api/releases", { packages: "api@2.0.0" });
    await post(`/api/releases/${release.id}/finish`, { status: "succeeded" }, 200);
    const late = await post(`/api/releases/${release.id}/finish`, { status: "failed" }, 200);
    expect(late.status).toBe("succeeded");
    const merged = await post("/api/releases", { key: undefined, status: "running" });
    expect(merged.id).not.toBe(release.id);

    const res = await h.request(`/api/releases/${release.id}`, {
      method: "PATCH",
      json: { status: "failed" },
    });
    const corrected = (await json(res)) as Release;
    expect(res.status).toBe(200);
    expect(corrected.status).toBe("failed");
    expect(corrected.packages[0]?.status).toBe("failed");
    expect(corrected.metadata.status_changes).toEqual([
      { from: "succeeded", to: "failed", at: clock.toISOString() },
    ]);
    expect(await currentVersion(h.store.reader, "api", "production")).toBeUndefined();
  });

  it("a release whose package failed is failed, however it is finished; PATCH of the release corrects both", async () => {
    const patchPackage = async (id: string, name: string, body: unknown) => {
      const res = await h.request(`/api/releases/${id}/packages/${name}`, { method: "PATCH", json: body });
      expect(res.status).toBe(200);
      return (await json(res)) as Release;
    };
    const running = await post("/api/releases", { packages: ["bdg@3", "other@1"] });
    await patchPackage(running.id, "bdg", { status: "failed" });
    const finished = await post(`/api/releases/${running.id}/finish`, {}, 200);
    expect(finished.status).toBe("failed");
    expect(finished.packages.map((p) => [p.name, p.status])).toEqual([
      ["bdg", "failed"],
      ["other", "succeeded"],
    ]);
    expect((await currentVersion(h.store.reader, "other", "production"))?.version).toBe("1");
    expect(await currentVersion(h.store.reader, "bdg", "production")).toBeUndefined();

    // A package of a succeeded release marked failed afterwards fails the release, and says so.
    const shipped = await post("/api/releases", { packages: ["web@5"], status: "succeeded" });
    tick(1000);
    const marked = await patchPackage(shipped.id, "web", { status: "failed" });
    expect(marked.status).toBe("failed");
    expect(marked.metadata.status_changes).toEqual([
      { from: "succeeded", to: "failed", at: clock.toISOString() },
    ]);

    // Correcting the package undoes the failure it caused, and says so.
    tick(1000);
    const restored = await patchPackage(shipped.id, "web", { status: "succeeded" });
    expect(restored.status).toBe("succeeded");
    expect(restored.metadata.status_changes).toEqual([
      { from: "succeeded", to: "failed", at: expect.any(String) },
      { from: "failed", to: "succeeded", at: clock.toISOString() },
    ]);
    expect(restored.metadata).not.toHaveProperty("failed_by_package");

    // A host of a package that succeeded keeps that outcome when another package fails the release.
    const hosted = await post("/api/releases", {
      packages: ["api@2", { name: "worker", version: "2", status: "failed" }],
      hosts: [
        { name: "web-9", package: "api" },
        { name: "job-9", package: "worker" },
      ],
    });
    const ended = await post(`/api/releases/${hosted.id}/finish`, {}, 200);
    expect(ended.status).toBe("failed");
    expect(ended.hosts.map((host) => [host.name, host.status])).toEqual([
      ["web-9", "succeeded"],
      ["job-9", "failed"],
    ]);

    const res = await h.request(`/api/releases/${running.id}`, {
      method: "PATCH",
      json: { status: "succeeded" },
    });
    const corrected = (await json(res)) as Release;
    expect(corrected.status).toBe("succeeded");
    expect(corrected.packages.map((p) => p.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("derives the same previous version, rollback and lead time whatever order a history is backfilled in", async () => {
    const history = (name: string) => [
      {
        package: name,
        version: "1",
        status: "succeeded",
        started_at: "2026-01-01T09:00:00Z",
        finished_at: "2026-01-01T10:00:00Z",
        commits: [{ sha: "aaa1111", timestamp: "2025-12-01T10:00:00Z" }],
      },
      {
        package: name,
        version: "2",
        status: "succeeded",
        started_at: "2026-01-02T09:00:00Z",
        finished_at: "2026-01-02T10:00:00Z",
        commits: [
          { sha: "aaa1111", timestamp: "2025-12-01T10:00:00Z" },
          { sha: "bbb2222", timestamp: "2026-01-02T09:00:00Z" },
        ],
      },
      {
        package: name,
        version: "1",
        status: "succeeded",
        started_at: "2026-01-03T09:00:00Z",
        finished_at: "2026-01-03T10:00:00Z",
      },
    ];
    const derived = async (name: string) => {
      const res = await h.request(`/api/releases?package=${name}`);
      const { releases } = (await json(res)) as { releases: Release[] };
      return releases.map((r) => [
        r.packages[0]?.version,
        r.packages[0]?.previous_version,
        r.rollback,
        r.lead_time_ms,
      ]);
    };
    for (const body of history("in-order")) await post("/api/releases", body);
    for (const body of history("backwards").reverse()) await post("/api/releases", body);
    const expected = [
      ["1", "2", true, null],
      ["2", "1", false, 3_600_000],
      ["1", null, false, 31 * 86_400_000],
    ];
    expect(await derived("in-order")).toEqual(expected);
    expect(await derived("backwards")).toEqual(expected);

    // Deployments that overlap: a long one started first, a short one started and ended inside it.
    const overlapping = [
      { started_at: "2026-02-01T10:11:00Z", finished_at: "2026-02-01T11:40:00Z", version: "2" },
      { started_at: "2026-02-01T10:12:00Z", finished_at: "2026-02-01T10:13:00Z", version: "3" },
      { started_at: "2026-02-01T10:00:00Z", finished_at: "2026-02-01T10:10:00Z", version: "1" },
    ];
    for (const times of overlapping) {
      await post("/api/releases", { package: "overlap", status: "succeeded", ...times });
    }
    // In start order: 1 (10:00–10:10), 2 (10:11–11:40), 3 (10:12–10:13). When 2 and 3 started, 1 was the
    // last to have finished; 3 is the previous of nothing here.
    expect((await derived("overlap")).map(([version, previous]) => [version, previous])).toEqual([
      ["3", "1"],
      ["2", "1"],
      ["1", null],
    ]);

    // Correcting the middle deployment to failed changes what followed it too.
    const middle = (
      (await json(await h.request("/api/releases?package=backwards"))) as { releases: Release[] }
    ).releases[1] as Release;
    const res = await h.request(`/api/releases/${middle.id}`, {
      method: "PATCH",
      json: { status: "failed" },
    });
    expect(res.status).toBe(200);
    expect((await derived("backwards"))[0]).toEqual(["1", "1", false, null]);
  });

  it("refuses times more than an hour ahead; a corrected release time carries the packages that had it", async () => {
    const future = await h.request("/api/releases", {
      method: "POST",
      json: {
        packages: ["fx@1", { name: "fy", finished_at: "2099-01-01T00:00:00Z" }],
        status: "succeeded",
        finished_at: "2099-01-01T00:00:00Z",
      },
    });
    expect(future.status).toBe(422);
    expect((await json(future)).error.details).toEqual([
      {
        field: "finished_at",
        message: `2099-01-01T00:00:00.000Z is more than an hour ahead of the receiver's clock (${clock.toISOString()})`,
      },
      {
        field: "packages.0.finished_at",
        message: expect.stringContaining("2099-01-01T00:00:00.000Z is more than an hour ahead"),
      },
      {
        field: "packages.1.finished_at",
        message: expect.stringContaining("2099-01-01T00:00:00.000Z is more than an hour ahead"),
      },
    ]);
    expect(await currentVersion(h.store.reader, "fx", "production")).toBeUndefined();

    // A clock a little ahead is accepted; its finish holds the current version until corrected.
    const ahead = new Date(clock.getTime() + 50 * 60_000).toISOString();
    const first = await post("/api/releases", {
      package: "fx",
      version: "1",
      status: "succeeded",
      finished_at: ahead,
    });
    tick(60_000);
    await post("/api/releases", { package: "fx", version: "2", status: "succeeded" });
    expect((await currentVersion(h.store.reader, "fx", "production"))?.version).toBe("1");
    const res = await h.request(`/api/releases/${first.id}`, {
      method: "PATCH",
      json: { finished_at: "2026-03-01T11:00:00Z", started_at: "2026-03-01T10:50:00Z" },
    });
    const corrected = (await json(res)) as Release;
    expect(res.status).toBe(200);
    expect(corrected.packages[0]).toMatchObject({
      started_at: "2026-03-01T10:50:00.000Z",
      finished_at: "2026-03-01T11:00:00.000Z",
      duration_ms: 600_000,
    });
    expect((await currentVersion(h.store.reader, "fx", "production"))?.version).toBe("2");
  });

  it("two deployments of the same instant: the one recorded first is the other's previous, not both ways", async () => {
    const first = await post("/api/releases", { package: "tie", version: "1", status: "succeeded" });
    const second = await post("/api/releases", { package: "tie", version: "2", status: "succeeded" });
    expect(first.started_at).toBe(second.finished_at);
    expect(second.packages[0]?.previous_version).toBe("1");
    const stored = (await json(h.request(`/api/releases/${first.id}`))) as Release;
    expect(stored.packages[0]?.previous_version).toBeNull();
    // Written again (derived again from its history), the first still has no previous.
    const again = await h.request(`/api/releases/${first.id}`, { method: "PATCH", json: { notes: "again" } });
    expect(((await json(again)) as Release).packages[0]?.previous_version).toBeNull();
    expect((await currentVersion(h.store.reader, "tie", "production"))?.version).toBe("2");
  });

  it("detects a rollback: a version that was current before and is not now", async () => {
    for (const version of ["1", "2"]) {
      await post("/api/releases", { package: "api", version, status: "succeeded" });
      tick(1000);
    }
    const rollback = await post("/api/releases", { package: "api", version: "1", status: "succeeded" });
    expect(rollback.rollback).toBe(true);
    expect(rollback.packages[0]).toMatchObject({ version: "1", previous_version: "2", rollback: true });
    expect((await currentVersion(h.store.reader, "api", "production"))?.version).toBe("1");
  });

  it("changes one package with PATCH, names with a slash URL-encoded", async () => {
    const release = await post("/api/releases", { packages: ["@acme/api@3.0.0"] });
    expect(release.packages[0]).toMatchObject({ name: "@acme/api", version: "3.0.0" });
    const res = await h.request(`/api/releases/${release.id}/packages/%40acme%2Fapi`, {
      method: "PATCH",
      json: { status: "failed" },
    });
    const changed = (await json(res)) as Release;
    expect(res.status).toBe(200);
    expect(changed.packages[0]?.status).toBe("failed");
    const missing = await h.request(`/api/releases/${release.id}/packages/nope`, {
      method: "PATCH",
      json: {},
    });
    expect(missing.status).toBe(404);
  });

  it("refuses a text log of more than 100,000 lines in one request, storing none of it", async () => {
    const release = await post("/api/releases", {});
    const res = await h.request(`/api/releases/${release.id}/logs`, {
      method: "POST",
      body: "a\n".repeat(100_001),
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(422);
    expect((await json(res)).error.details).toEqual([
      { field: "body", message: "at most 100,000 lines per request; send the rest in another" },
    ]);
    expect((await json(h.request(`/api/releases/${release.id}/logs`))).logs).toEqual([]);
  });

  it("holds at most 10,000 hosts per release, however many writes add them", async () => {
    const release = await post("/api/releases", { packages: ["api@1"] });
    const hosts = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        name: `h${from + i}`,
        package: "api",
        status: "succeeded",
      }));
    await post(`/api/releases/${release.id}/hosts`, hosts(0, 10_000));
    // Results for hosts it has are still taken.
    await post(`/api/releases/${release.id}/hosts`, hosts(0, 10));
    const res = await h.request(`/api/releases/${release.id}/hosts`, {
      method: "POST",
      json: hosts(10_000, 1),
    });
    expect(res.status).toBe(422);
    expect((await json(res)).error.details).toEqual([
      { field: "hosts", message: "a release holds at most 10,000 hosts; this write would make it 10,001" },
    ]);
    expect((await json(h.request(`/api/releases/${release.id}`))).hosts).toHaveLength(10_000);

    // One request over a list's own limit names the limit, bare or wrapped.
    for (const body of [hosts(0, 10_001), { hosts: hosts(0, 10_001) }]) {
      const over = await h.request(`/api/releases/${release.id}/hosts`, { method: "POST", json: body });
      expect(over.status).toBe(422);
      expect((await json(over)).error.message).toMatch(
        /^(\(body\)|hosts): Too big: expected array to have <=10000 items$/,
      );
    }
    const results = await h.request("/results", {
      method: "POST",
      json: {
        release_id: release.id,
        host: "h1",
        success: true,
        log: Array.from({ length: 100_001 }, () => "a"),
      },
    });
    expect(results.status).toBe(422);
    expect((await json(results)).error.message).toMatch(
      /^log: Too big: expected array to have <=100000 items$/,
    );
  });

  it("stores logs as text lines or JSON entries and reads them back", async () => {
    const release = await post("/api/releases", {});
    const text = await h.request(`/api/releases/${release.id}/logs`, {
      method: "POST",
      body: "pulling image\n\ndeploying\n",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(201);
    expect(await json(text)).toEqual({ appended: 2 });
    await post(`/api/releases/${release.id}/logs`, [
      { level: "error", host: "web-1", message: "health check failed" },
    ]);
    const logs = await json(h.request(`/api/releases/${release.id}/logs`));
    expect(logs.logs.map((l: { message: string }) => l.message)).toEqual([
      "pulling image",
      "deploying",
      "health check failed",
    ]);
    expect(logs.logs[2]).toMatchObject({ level: "error", host: "web-1" });
  });

  it("a log upload retried with the same Idempotency-Key is stored once", async () => {
    const release = await post("/api/releases", {});
    const upload = () =>
      h.request(`/api/releases/${release.id}/logs`, {
        method: "POST",
        body: "one\ntwo\n",
        headers: { "content-type": "text/plain", "idempotency-key": "upload-1" },
      });
    expect(await json(upload())).toEqual({ appended: 2 });
    expect(await json(upload())).toEqual({ appended: 2 });
    const logs = await json(h.request(`/api/releases/${release.id}/logs`));
    expect(logs.logs).toHaveLength(2);
  });
});

describe("GET /api/releases", () => {
  it("filters by every field and pages with a cursor, newest first", async () => {
    const seeds = [
      { package: "api", version: "1", environment: "staging", team: "core", person: "ann", platforms: "k8s" },
      {
        package: "web",
        version: "1",
        environment: "production",
        team: "web",
        person: "bob",
        references: "WEB-1",
      },
      { package: "api", version: "2", environment: "production", team: "core", person: "ann", hosts: ["h1"] },
      { package: "api", version: "3", environment: "production", status: "failed", person: "cat" },
    ];
    for (const seed of seeds) {
      await post("/api/releases", seed);
      tick(1000);
    }
    const ids = async (query: string) => {
      const res = await h.request(`/api/releases?${query}`);
      expect(res.status).toBe(200);
      const body = await json(res);
      return body.releases.map(
        (r: Release) => r.packages[0]?.version && `${r.packages[0].name}@${r.packages[0].version}`,
      );
    };
    expect(await ids("")).toEqual(["api@3", "api@2", "web@1", "api@1"]);
    expect(await ids("package=api")).toEqual(["api@3", "api@2", "api@1"]);
    expect(await ids("environment=production&package=api")).toEqual(["api@3", "api@2"]);
    expect(await ids("status=failed")).toEqual(["api@3"]);
    expect(await ids("status=running")).toEqual(["api@2", "web@1", "api@1"]);
    expect(await ids("team=core")).toEqual(["api@2", "api@1"]);
    expect(await ids("person=bob")).toEqual(["web@1"]);
    expect(await ids("reference=WEB-1")).toEqual(["web@1"]);
    expect(await ids("platform=k8s")).toEqual(["api@1"]);
    expect(await ids("host=h1&package=api")).toEqual(["api@2"]);
    expect(await ids("since=2026-03-01T12:00:01Z&until=2026-03-01T12:00:03Z")).toEqual(["api@2", "web@1"]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/releases?limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await json(h.request(url));
      seen.push(...page.releases.map((r: Release) => r.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
  });

  it("refuses bad query values naming the parameter", async () => {
    for (const query of [
      "status=bogus",
      "limit=0",
      "limit=abc",
      "cursor=zzz",
      "since=tomorrow",
      "since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z",
    ]) {
      const res = await h.request(`/api/releases?${query}`);
      expect(res.status, query).toBe(422);
      const body = await json(res);
      expect(body.error.details[0].field).toBe(query.split("=")[0]);
    }
  });

  it("404 for an unknown release, with the error shape", async () => {
    const res = await h.request("/api/releases/nope");
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({
      error: { code: "not_found", message: 'release "nope" was not found' },
    });
    const writes: [string, unknown][] = [
      ["/api/releases/nope/finish", {}],
      ["/api/releases/nope/packages", ["api@1"]],
      ["/api/releases/nope/hosts", ["web-1"]],
      ["/api/releases/nope/logs", ["line"]],
    ];
    for (const [path, json] of writes) {
      expect((await h.request(path, { method: "POST", json })).status, path).toBe(404);
    }
  });
});

describe("error contract", () => {
  it("400 malformed JSON, 415 wrong content type, 413 oversized body, 404 unknown route", async () => {
    const malformed = await h.request("/api/releases", {
      method: "POST",
      body: '{"notes": ',
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error.code).toBe("bad_request");

    const bom = await h.request("/api/releases", {
      method: "POST",
      body: '\uFEFF{"notes": "saved by an editor that writes a byte order mark"}',
      headers: { "content-type": "application/json" },
    });
    expect(bom.status).toBe(201);

    // Nesting past the limit is refused before anything walks it (validation, the write thread's clone).
    const nested = (depth: number) => `{"metadata":{"deep":${"[".repeat(depth)}${"]".repeat(depth)}}}`;
    for (const path of ["/api/releases", "/release"]) {
      const deep = await h.request(path, {
        method: "POST",
        body: nested(5000),
        headers: { "content-type": "application/json" },
      });
      expect(deep.status, path).toBe(400);
      expect((await json(deep)).error.message).toBe("JSON nested more than 64 levels deep");
    }
    const allowed = await h.request("/api/releases", {
      method: "POST",
      body: nested(62),
      headers: { "content-type": "application/json" },
    });
    expect(allowed.status).toBe(201);

    const xml = await h.request("/api/releases", {
      method: "POST",
      body: "<release/>",
      headers: { "content-type": "application/xml" },
    });
    expect(xml.status).toBe(415);

    const huge = await h.request("/api/releases", {
      method: "POST",
      json: { notes: "x".repeat(1024 * 1024 + 10) },
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get("connection")).toBe("close");
    expect((await json(huge)).error.code).toBe("payload_too_large");

    const route = await h.request("/api/nothing");
    expect(route.status).toBe(404);
  });

  it("401 without or with a bad token, 403 with too small a scope; nothing is stored", async () => {
    expect((await h.request("/api/releases", { method: "POST", json: {}, token: null })).status).toBe(401);
    expect(
      (await h.request("/api/releases", { method: "POST", json: {}, token: "wrong-token" })).status,
    ).toBe(401);
    const basic = await h.request("/api/releases", {
      method: "POST",
      json: {},
      headers: { authorization: "Basic eDp5" },
    });
    expect(basic.status).toBe(401);
    const readOnly = await h.request("/api/releases", { method: "POST", json: {}, token: READ_TOKEN });
    expect(readOnly.status).toBe(403);
    expect((await json(readOnly)).error.code).toBe("forbidden");
    const list = await json(h.request("/api/releases", { token: null }));
    expect(list.releases).toEqual([]);
  });

  it("checks authentication before reading the body", async () => {
    const res = await h.request("/api/releases", { method: "POST", body: "{not json", token: null });
    expect(res.status).toBe(401);
  });
});

describe("GET /api/releases/:id/logs paging", () => {
  it("pages by after and limit; next_after is null on the last page, also when it is exactly full", async () => {
    const release = await post("/api/releases", {});
    const upload = await h.request(`/api/releases/${release.id}/logs`, {
      method: "POST",
      body: ["1", "2", "3", "4", "5", "6", "7"].join("\n"),
      headers: { "content-type": "text/plain" },
    });
    expect(upload.status).toBe(201);
    const page = async (query: string) => {
      const res = await h.request(`/api/releases/${release.id}/logs?${query}`);
      expect(res.status, query).toBe(200);
      const body = await json(res);
      return {
        messages: body.logs.map((l: { message: string }) => l.message),
        ids: body.logs.map((l: { id: number }) => l.id),
        next: body.next_after,
      };
    };

    const full = await page("limit=7");
    expect(full.messages).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(full.next).toBeNull();
    expect(await page(`after=${full.ids[6]}`)).toEqual({ messages: [], ids: [], next: null });

    const seen: string[] = [];
    let after = 0;
    for (const expected of [["1", "2", "3"], ["4", "5", "6"], ["7"]]) {
      const next = await page(`after=${after}&limit=3`);
      expect(next.messages).toEqual(expected);
      seen.push(...next.messages);
      if (expected.length === 3) expect(next.next).toBe(next.ids[2]);
      else expect(next.next).toBeNull();
      after = next.next;
    }
    expect(seen).toHaveLength(7);
    expect((await page("limit=8")).next).toBeNull();
    expect((await page("limit=6")).next).toBe(full.ids[5]);
  });
});

describe("GET /api/releases since and until", () => {
  it("take epoch seconds or milliseconds of 9 to 13 digits; 0 is refused like any other number that is not one", async () => {
    for (const query of ["since=1793527200", "since=100000000", "until=1793527200000"]) {
      expect((await h.request(`/api/releases?${query}`)).status, query).toBe(200);
    }
    for (const field of ["since", "until"]) {
      for (const value of ["0", "12345678", "99999999999999", "-1"]) {
        const res = await h.request(`/api/releases?${field}=${value}`);
        expect(res.status, `${field}=${value}`).toBe(422);
        expect((await json(res)).error.details).toEqual([
          { field, message: `expected an ISO 8601 timestamp, got ${JSON.stringify(value)}` },
        ]);
      }
    }
  });
});
