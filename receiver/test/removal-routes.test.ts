import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type Harness, harness, READ_TOKEN } from "./harness.js";

let now = new Date("2024-06-01T00:00:00.000Z");
let h: Harness;
afterEach(async () => {
  await h.close();
});

const removed = z.object({
  package: z.string(),
  environment: z.string(),
  removed_at: z.string(),
  version: z.string().nullable(),
  release_id: z.string(),
});

async function deploy(
  version: string,
  finishedAt: string | undefined,
  environment = "production",
  hosts: string[] = [],
): Promise<string> {
  const res = await h.request("/api/releases", {
    method: "POST",
    json: {
      package: "@acme/api",
      version,
      environment,
      status: "succeeded",
      ...(finishedAt === undefined ? {} : { finished_at: finishedAt }),
      hosts: hosts.map((name) => ({ name, status: "succeeded" })),
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return z.object({ id: z.string() }).parse(await res.json()).id;
}

const remove = (query = "?environment=production", token?: string | null) =>
  h.request(`/api/packages/%40acme%2Fapi/current${query}`, {
    method: "DELETE",
    ...(token === undefined ? {} : { token }),
  });
const current = () => h.request("/api/packages/%40acme%2Fapi/current?environment=production");

describe("DELETE /api/packages/:name/current", () => {
  it("takes the package out of the environment until a later deployment, and answers a repeat the same", async () => {
    h = await harness({ now: () => now });
    const v1 = await deploy("1.0.0", "2024-05-30T12:00:00Z");
    await deploy("1.0.0", "2024-05-30T13:00:00Z", "staging");

    const res = await remove();
    expect(res.status).toBe(200);
    const body = removed.parse(await res.json());
    expect(body).toEqual({
      package: "@acme/api",
      environment: "production",
      removed_at: "2024-06-01T00:00:00.000Z",
      version: "1.0.0",
      release_id: v1,
    });
    const gone = await current();
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({
      error: {
        code: "not_found",
        message:
          '"@acme/api" was removed from "production" at 2024-06-01T00:00:00.000Z and has not been deployed there since',
      },
    });
    // Other environments and the history stay.
    expect((await h.request("/api/packages/%40acme%2Fapi/current?environment=staging")).status).toBe(200);
    expect((await (await h.request(`/api/releases/${v1}`)).json()) as { status: string }).toMatchObject({
      status: "succeeded",
    });

    // A retried request answers as the first did.
    now = new Date("2024-06-01T00:05:00.000Z");
    const again = await remove();
    expect(again.status).toBe(200);
    expect(removed.parse(await again.json())).toEqual(body);

    // A deployment that finished before the removal, recorded late, does not bring it back...
    await deploy("0.9.0", "2024-05-31T12:00:00Z");
    expect((await current()).status).toBe(404);
    // ...one that finished after it does.
    await deploy("1.1.0", "2024-06-01T00:10:00Z");
    expect(await (await current()).json()).toMatchObject({ version: "1.1.0" });
  });

  it("answers 404 where nothing was ever current, and uses the default environment", async () => {
    h = await harness({ now: () => now });
    const never = await remove();
    expect(never.status).toBe(404);
    expect(await never.json()).toEqual({
      error: {
        code: "not_found",
        message: 'a current version of "@acme/api" in "production" was not found',
      },
    });
    await deploy("1.0.0", "2024-05-30T12:00:00Z");
    expect((await remove("")).status).toBe(200);
    expect((await current()).status).toBe(404);
  });

  it("removes a deployment dated ahead of the clock for good, not until the next write", async () => {
    h = await harness({ now: () => now });
    now = new Date("2024-06-01T00:00:00.000Z");
    const ahead = await deploy("2.0.0", "2024-06-01T00:30:00Z");
    const res = await remove();
    expect(removed.parse(await res.json())).toMatchObject({ removed_at: "2024-06-01T00:30:00.000Z" });
    // Any write that recomputes the package's current version (here, a note on that release).
    const patched = await h.request(`/api/releases/${ahead}`, {
      method: "PATCH",
      json: { notes: ["rolled out"] },
    });
    expect(patched.status).toBe(200);
    expect((await current()).status).toBe(404);
  });

  it("keeps the badge on removed when a later attempt fails, and shows the removal in the matrix", async () => {
    h = await harness({ now: () => now });
    now = new Date("2024-06-01T00:00:00.000Z");
    await deploy("1.0.0", "2024-05-30T12:00:00Z");
    expect((await remove()).status).toBe(200);
    const badge = async () => (await h.request("/badge/%40acme%2Fapi.json?environment=production")).json();
    expect(await badge()).toMatchObject({ message: "removed", color: "lightgrey" });
    const failed = await h.request("/api/releases", {
      method: "POST",
      json: { package: "@acme/api", version: "1.1.0", environment: "production", status: "failed" },
    });
    expect(failed.status).toBe(201);
    expect(await badge()).toMatchObject({ message: "removed", color: "red" });
    const matrix = await (await h.request("/ui/live/matrix")).text();
    expect(matrix).toMatch(
      /data-environment="production"[^]*removed <time datetime="2024-06-01T00:00:00.000Z"/,
    );
  });

  it("takes the package off the hosts that ran it, keeping their deployment history", async () => {
    h = await harness({ now: () => now });
    now = new Date("2024-06-01T00:00:00.000Z");
    await deploy("1.0.0", "2024-05-30T12:00:00Z", "production", ["web-1"]);
    const host = async () =>
      z
        .object({ packages: z.array(z.object({ name: z.string() })), deployments: z.array(z.unknown()) })
        .parse(await (await h.request("/api/hosts/web-1")).json());
    expect((await host()).packages.map((p) => p.name)).toEqual(["@acme/api"]);
    expect((await remove()).status).toBe(200);
    const after = await host();
    expect(after.packages).toEqual([]);
    expect(after.deployments).toHaveLength(1);
    // Deployed again on another host: web-1 still does not run it.
    now = new Date("2024-06-01T00:10:00.000Z");
    await deploy("1.1.0", undefined, "production", ["web-2"]);
    expect((await current()).status).toBe(200);
    expect((await host()).packages).toEqual([]);
  });

  it("starts the package's history there afresh: no previous version and no rollback after a removal", async () => {
    h = await harness({ now: () => now });
    now = new Date("2024-06-01T00:00:00.000Z");
    await deploy("1.0.0", "2024-05-28T12:00:00Z");
    await deploy("2.0.0", "2024-05-29T12:00:00Z");
    expect((await remove()).status).toBe(200);
    now = new Date("2024-06-01T01:00:00.000Z");
    const back = await deploy("1.0.0", undefined);
    const release = z
      .object({
        rollback: z.boolean(),
        packages: z.array(z.object({ previous_version: z.string().nullable() })),
      })
      .parse(await (await h.request(`/api/releases/${back}`)).json());
    expect(release.rollback).toBe(false);
    expect(release.packages[0]?.previous_version).toBeNull();
    const dora = await (
      await h.request("/api/metrics/dora?environment=production&from=2024-05-01&to=2024-06-02")
    ).json();
    expect(dora).toMatchObject({ change_failure_rate: { failures: 0 } });

    // Removed once more later: the first removal still bounds the history before it.
    now = new Date("2024-06-01T02:00:00.000Z");
    await deploy("3.0.0", undefined);
    now = new Date("2024-06-01T03:00:00.000Z");
    expect((await remove()).status).toBe(200);
    const patched = await h.request(`/api/releases/${back}`, { method: "PATCH", json: { notes: ["again"] } });
    expect(await patched.json()).toMatchObject({ rollback: false, packages: [{ previous_version: null }] });
    const after = await (
      await h.request("/api/metrics/dora?environment=production&from=2024-05-01&to=2024-06-02")
    ).json();
    expect(after).toMatchObject({ change_failure_rate: { failures: 0 } });
  });

  it("keeps a package on a host whose own part ended before a removal its deployment finished after", async () => {
    h = await harness({ now: () => now });
    now = new Date("2024-06-01T00:00:00.000Z");
    const started = await h.request("/api/releases", {
      method: "POST",
      json: { package: "@acme/api", version: "1.0.0", environment: "production", status: "running" },
    });
    const id = z.object({ id: z.string() }).parse(await started.json()).id;
    await deploy("0.9.0", "2024-05-30T12:00:00Z");
    now = new Date("2024-06-01T00:05:00.000Z");
    await h.request(`/api/releases/${id}/hosts`, {
      method: "POST",
      json: [{ name: "web-3", status: "succeeded", finished_at: "2024-06-01T00:04:00Z" }],
    });
    expect((await remove()).status).toBe(200);
    now = new Date("2024-06-01T00:10:00.000Z");
    const finished = await h.request(`/api/releases/${id}/finish`, {
      method: "POST",
      json: { status: "succeeded" },
    });
    expect(finished.status).toBe(200);
    expect(await (await current()).json()).toMatchObject({ version: "1.0.0" });
    const host = await (await h.request("/api/hosts/web-3")).json();
    expect(host).toMatchObject({ packages: [{ name: "@acme/api", version: "1.0.0" }] });
    expect(host).not.toHaveProperty("finishes");
  });

  it("has nothing ahead in an environment the package was removed from", async () => {
    h = await harness({ now: () => now });
    now = new Date("2024-06-01T00:00:00.000Z");
    await deploy("1.0.0", "2024-05-29T12:00:00Z", "staging");
    await deploy("0.9.0", "2024-05-28T12:00:00Z");
    const compare = async () =>
      z
        .object({ ahead: z.array(z.unknown()) })
        .parse(
          await (await h.request("/api/compare?package=%40acme%2Fapi&from=staging&to=production")).json(),
        );
    expect((await compare()).ahead).toHaveLength(1);
    expect((await remove("?environment=staging")).status).toBe(200);
    expect((await compare()).ahead).toEqual([]);
  });

  it("needs a write token", async () => {
    h = await harness({ now: () => now });
    await deploy("1.0.0", "2024-05-30T12:00:00Z");
    expect((await remove("?environment=production", null)).status).toBe(401);
    expect((await remove("?environment=production", READ_TOKEN)).status).toBe(403);
    expect((await current()).status).toBe(200);
  });
});

describe("GET /api/removals", () => {
  const list = async (query = "") => {
    const res = await h.request(`/api/removals${query}`);
    return {
      status: res.status,
      body: (await res.json()) as { removals: unknown[]; next_cursor: string | null },
    };
  };

  it("lists every removal newest first, by package and environment, a page at a time", async () => {
    h = await harness({ now: () => now });
    const v1 = await deploy("1.0.0", "2024-05-30T12:00:00Z");
    const staging = await deploy("1.0.0", "2024-05-30T13:00:00Z", "staging");
    expect((await remove()).status).toBe(200);
    now = new Date("2024-06-02T00:00:00.000Z");
    expect((await remove("?environment=staging")).status).toBe(200);
    expect((await list()).body).toEqual({
      removals: [
        {
          package: "@acme/api",
          environment: "staging",
          removed_at: "2024-06-02T00:00:00.000Z",
          source: "api",
          service: null,
          version: "1.0.0",
          release_id: staging,
        },
        {
          package: "@acme/api",
          environment: "production",
          removed_at: "2024-06-01T00:00:00.000Z",
          source: "api",
          service: null,
          version: "1.0.0",
          release_id: v1,
        },
      ],
      next_cursor: null,
    });
    expect((await list("?environment=production")).body.removals).toHaveLength(1);
    expect((await list("?package=web")).body.removals).toEqual([]);

    const first = await list("?limit=1");
    expect(first.body.removals).toMatchObject([{ environment: "staging" }]);
    expect(first.body.next_cursor).not.toBeNull();
    const second = await list(`?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ removals: [{ environment: "production" }], next_cursor: null });

    const bad = await list("?cursor=nonsense");
    expect(bad.status).toBe(422);
  });

  it("needs a read token when reads are not public", async () => {
    h = await harness({
      now: () => now,
      config: {
        auth: { tokens: [{ scope: "read", token: READ_TOKEN }], webhookSecrets: false, publicRead: false },
      },
    });
    expect((await h.request("/api/removals", { token: null })).status).toBe(401);
    expect((await h.request("/api/removals", { token: READ_TOKEN })).status).toBe(200);
  });
});
