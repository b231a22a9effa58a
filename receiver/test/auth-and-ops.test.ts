import { gunzipSync } from "node:zlib";
import type { Release } from "@sponge/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";
import type { AppEnv } from "../src/app-context.js";
import { receiverConfig } from "../src/receiver-config.js";
import { expireStaleReleases } from "../src/releases/expire-stale.js";
import { ADMIN_TOKEN, type Harness, harness, json, WRITE_TOKEN } from "./harness.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** What @hono/node-server passes as the request's environment, reduced to the peer address. */
const peer = (remoteAddress: string) =>
  ({ incoming: { socket: { remoteAddress } } }) as unknown as AppEnv["Bindings"];
const loopback = peer("127.0.0.1");
const remotePeer = peer("10.1.2.3");

describe("API tokens", () => {
  it("an admin creates a token shown once, lists tokens without values, and revokes it", async () => {
    h = await harness();
    const created = await h.request("/api/tokens", {
      method: "POST",
      json: { scope: "write", name: "ci" },
      token: ADMIN_TOKEN,
    });
    expect(created.status).toBe(201);
    const token = (await json(created)) as { id: string; token: string; scope: string };
    expect(token.token).toMatch(/^spg_/);
    expect(token.scope).toBe("write");

    const write = await h.request("/api/releases", { method: "POST", json: {}, token: token.token });
    expect(write.status).toBe(201);

    const listed = await (await h.request("/api/tokens", { token: ADMIN_TOKEN })).text();
    expect(listed).toContain(token.id);
    expect(listed).not.toContain(token.token);
    const row = await h.store.reader.get<{ hash: string }>("SELECT hash FROM tokens WHERE id = ?", [
      token.id,
    ]);
    expect(row?.hash).not.toContain(token.token);

    expect(
      (await h.request(`/api/tokens/${token.id}`, { method: "DELETE", token: ADMIN_TOKEN })).status,
    ).toBe(204);
    expect(
      (await h.request(`/api/tokens/${token.id}`, { method: "DELETE", token: ADMIN_TOKEN })).status,
    ).toBe(404);
    const revoked = await h.request("/api/releases", { method: "POST", json: {}, token: token.token });
    expect(revoked.status).toBe(401);
  });

  it("records when a stored token was last used, writing it at most once a minute", async () => {
    let now = new Date("2026-03-01T12:00:00.000Z");
    h = await harness({ now: () => now });
    const created = await json(
      h.request("/api/tokens", { method: "POST", json: { scope: "read" }, token: ADMIN_TOKEN }),
    );
    const lastUsed = async () => {
      const { tokens } = await json(h.request("/api/tokens", { token: ADMIN_TOKEN }));
      return tokens.find((t: { id: string }) => t.id === created.id)?.last_used_at;
    };
    expect(await lastUsed()).toBeNull();

    expect((await h.request("/api/releases", { token: created.token })).status).toBe(200);
    await expect.poll(lastUsed).toBe("2026-03-01T12:00:00.000Z");

    // Within the minute another use writes nothing.
    now = new Date("2026-03-01T12:00:30.000Z");
    const writes = vi.spyOn(h.store, "write");
    expect((await h.request("/api/releases", { token: created.token })).status).toBe(200);
    expect(writes).not.toHaveBeenCalled();
    expect(await lastUsed()).toBe("2026-03-01T12:00:00.000Z");

    now = new Date("2026-03-01T12:01:05.000Z");
    expect((await h.request("/api/releases", { token: created.token })).status).toBe(200);
    expect(writes).toHaveBeenCalledTimes(1);
    await expect.poll(lastUsed).toBe("2026-03-01T12:01:05.000Z");
    writes.mockRestore();
  });

  it("answers a request with a stored token even when recording its use fails", async () => {
    h = await harness();
    const created = await json(
      h.request("/api/tokens", { method: "POST", json: { scope: "read" }, token: ADMIN_TOKEN }),
    );
    const writes = vi.spyOn(h.store, "write").mockRejectedValue(new Error("the database is busy"));
    expect((await h.request("/api/releases", { token: created.token })).status).toBe(200);
    expect(writes).toHaveBeenCalledTimes(1);
    writes.mockRestore();
  });

  it("admin routes need the admin scope; a bad scope is a 422 naming it", async () => {
    h = await harness();
    expect((await h.request("/api/tokens", { token: WRITE_TOKEN })).status).toBe(403);
    expect((await h.request("/api/tokens", { token: null })).status).toBe(401);
    const bad = await h.request("/api/tokens", {
      method: "POST",
      json: { scope: "root" },
      token: ADMIN_TOKEN,
    });
    expect(bad.status).toBe(422);
    expect((await json(bad)).error.details[0].field).toBe("scope");
  });

  it("reads need a read token when SPONGE_PUBLIC_READ=false", async () => {
    h = await harness({
      config: {
        auth: {
          tokens: [{ scope: "read", token: "reader-token-1" }],
          webhookSecrets: false,
          publicRead: false,
        },
      },
    });
    expect((await h.request("/api/releases", { token: null })).status).toBe(401);
    expect((await h.request("/api/releases", { token: "reader-token-1" })).status).toBe(200);
  });
});

describe("open writes with no credential configured", () => {
  type App = Harness["app"];
  /** A release written without credentials, as a peer at `env` sees it. */
  const postRelease = (app: App, env: AppEnv["Bindings"] | undefined, headers: Record<string, string> = {}) =>
    app.request(
      "/api/releases",
      { method: "POST", body: "{}", headers: { "content-type": "application/json", ...headers } },
      env,
    );
  /** The first API token, created through the open door from this machine. */
  const createToken = (app: App) =>
    app.request(
      "/api/tokens",
      {
        method: "POST",
        body: JSON.stringify({ scope: "admin" }),
        headers: { "content-type": "application/json" },
      },
      loopback,
    );

  it("are allowed from a loopback peer only, never through a proxy, and stop once a token exists", async () => {
    h = await harness({ config: { auth: receiverConfig().auth } });
    const post = (env: AppEnv["Bindings"] | undefined, headers: Record<string, string> = {}) =>
      postRelease(h.app, env, headers);
    expect((await post(loopback)).status).toBe(201);
    for (const proxied of [
      { "x-forwarded-for": "203.0.113.9" },
      { forwarded: "for=203.0.113.9" },
      { "x-real-ip": "203.0.113.9" },
      { "x-forwarded-host": "sponge.example.com" },
      { via: "1.1 proxy" },
    ]) {
      expect((await post(loopback, proxied)).status, JSON.stringify(proxied)).toBe(401);
    }
    expect((await post(remotePeer)).status).toBe(401);
    expect((await post(undefined)).status).toBe(401);

    const token = await createToken(h.app);
    expect(token.status).toBe(201);
    expect((await post(loopback)).status).toBe(401);
  });

  it("are refused to a web page of another site, or one that rebound its name to this machine", async () => {
    h = await harness({ config: { auth: receiverConfig().auth } });
    const post = (headers: Record<string, string>) => postRelease(h.app, loopback, headers);
    const cases: [Record<string, string>, string][] = [
      // A form or no-cors fetch from a site the developer visits.
      [{ origin: "https://evil.example", "sec-fetch-site": "cross-site" }, 'Sec-Fetch-Site: "cross-site"'],
      [{ origin: "https://evil.example" }, 'Origin "https://evil.example" is another site'],
      [{ origin: "null" }, 'Origin "null" is another site'],
      // DNS rebinding: the browser thinks it talks to evil.example, so it can read the answer.
      [
        { host: "evil.example:8080", origin: "http://evil.example:8080" },
        'Host "evil.example:8080" is not this machine',
      ],
      [{ "sec-fetch-site": "same-site" }, 'Sec-Fetch-Site: "same-site"'],
    ];
    for (const [headers, reason] of cases) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        `a token with the write scope is required: without one, writes are taken from this machine's own tools, not from a web page (${reason})`,
      );
    }
    const rebound = await h.app.request(
      "/api/tokens",
      {
        method: "POST",
        body: '{"scope":"admin"}',
        headers: { host: "evil.example:8080", "content-type": "text/plain" },
      },
      loopback,
    );
    expect(rebound.status).toBe(401);
    // The receiver's own page (the API reference at /docs), curl and the CLI still write.
    const same = { host: "127.0.0.1:8080", origin: "http://127.0.0.1:8080", "sec-fetch-site": "same-origin" };
    expect((await post(same)).status).toBe(201);
    expect((await post({ host: "localhost:8080" })).status).toBe(201);
    expect((await post({ host: "[::1]:8080", "sec-fetch-site": "none" })).status).toBe(201);
    const count = await h.store.reader.get<{ n: number }>("SELECT COUNT(*) AS n FROM releases");
    expect(count?.n).toBe(3);
  });

  it("stop on every receiver of the database once one of them creates a token", async () => {
    h = await harness({ config: { auth: receiverConfig().auth } });
    const other = createApp({ store: h.store, config: receiverConfig() }).app;
    expect((await postRelease(other, loopback)).status).toBe(201);
    const token = await createToken(h.app);
    expect(token.status).toBe(201);
    expect((await postRelease(other, loopback)).status).toBe(401);
    expect((await other.request("/api/tokens", {}, loopback)).status).toBe(401);
  });

  it("are refused when the receiver listens beyond loopback", async () => {
    h = await harness({ config: { auth: receiverConfig().auth, loopbackOnly: false } });
    const res = await h.app.request("/api/releases", { method: "POST", body: "{}" }, loopback);
    expect(res.status).toBe(401);
  });
});

describe("original Sponge API", () => {
  it("answers the original example and its follow-up calls", async () => {
    h = await harness();
    const res = await h.request("/release", {
      method: "POST",
      body: '{"notes": "Deploying new search", "references": ["JIRA-1234"], "platforms": ["linux", "k8s"]}',
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(201);
    const release = (await json(res)) as Release;
    expect(release).toMatchObject({
      notes: ["Deploying new search"],
      references: ["JIRA-1234"],
      platforms: ["linux", "k8s"],
      source: "seed",
    });

    const withPackages = await h.request(`/release/${release.id}/packages`, {
      method: "POST",
      json: { packages: [{ name: "search", version: "2.1" }] },
    });
    expect(withPackages.status).toBe(201);
    const single = await h.request(`/release/${release.id}/packages`, {
      method: "POST",
      json: { name: "ui", version: "9" },
    });
    expect(((await json(single)) as Release).packages.map((p) => p.name)).toEqual(["search", "ui"]);

    const result = await h.request("/results", {
      method: "POST",
      json: {
        release_id: release.id,
        host: "web-1",
        package: "search",
        success: false,
        message: "timeout",
        log: "boom",
      },
    });
    expect(result.status).toBe(201);
    const after = (await json(result)) as Release;
    expect(after.hosts[0]).toMatchObject({
      name: "web-1",
      package: "search",
      status: "failed",
      message: "timeout",
    });
    const logs = await json(h.request(`/api/releases/${release.id}/logs`));
    expect(logs.logs[0]).toMatchObject({ message: "boom", host: "web-1" });

    const missing = await h.request("/results", { method: "POST", json: { host: "web-1" } });
    expect(missing.status).toBe(422);
    expect((await json(missing)).error.details[0].field).toBe("release_id");
  });
});

describe("stale releases", () => {
  it("a release still queued or running after the timeout is cancelled and marked expired", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    h = await harness({ now: () => now });
    const stale = (await json(h.request("/api/releases", { method: "POST", json: {} }))) as Release;
    const waiting = (await json(
      h.request("/api/releases", { method: "POST", json: { status: "queued" } }),
    )) as Release;
    now = new Date("2026-01-01T01:30:00Z");
    const fresh = (await json(h.request("/api/releases", { method: "POST", json: {} }))) as Release;
    now = new Date("2026-01-01T02:30:00Z");
    const expired = await expireStaleReleases(h.store, h.context.config.sponge, now, 2 * 3600_000);
    expect(expired).toBe(2);
    for (const { id } of [stale, waiting]) {
      const after = (await json(h.request(`/api/releases/${id}`))) as Release;
      expect(after).toMatchObject({ status: "cancelled", metadata: { expired: true } });
    }
    expect(((await json(h.request(`/api/releases/${fresh.id}`))) as Release).status).toBe("running");

    // Still hearing of it (a deployment waiting for approval) keeps a release alive past the timeout.
    const waitingLong = (await json(
      h.request("/api/releases", { method: "POST", json: { key: "approval", packages: "api@9" } }),
    )) as Release;
    now = new Date("2026-01-01T04:00:00Z");
    await h.request("/api/releases", { method: "POST", json: { key: "approval", status: "running" } });
    now = new Date("2026-01-01T05:00:00Z");
    await expireStaleReleases(h.store, h.context.config.sponge, now, 2 * 3600_000);
    expect(((await json(h.request(`/api/releases/${waitingLong.id}`))) as Release).status).toBe("running");

    // The real outcome of an expired release, when it comes after all, replaces the cancellation.
    now = new Date("2026-01-01T07:00:00Z");
    expect(await expireStaleReleases(h.store, h.context.config.sponge, now, 2 * 3600_000)).toBe(1);
    now = new Date("2026-01-01T07:30:00Z");
    const late = (await json(
      h.request(`/api/releases/${waitingLong.id}/finish`, {
        method: "POST",
        json: { status: "succeeded", finished_at: "2026-01-01T07:20:00Z" },
      }),
    )) as Release;
    expect(late).toMatchObject({
      status: "succeeded",
      finished_at: "2026-01-01T07:20:00.000Z",
      packages: [{ name: "api", status: "succeeded", finished_at: "2026-01-01T07:20:00.000Z" }],
      metadata: { status_changes: [{ from: "cancelled", to: "succeeded", at: "2026-01-01T07:30:00.000Z" }] },
    });
    expect(late.metadata.expired).toBeUndefined();
    expect(await json(h.request("/api/packages/api/current"))).toMatchObject({
      version: "9",
      release_id: late.id,
    });
    // A reviving write's own package outcomes count: a failed package fails the revived release.
    now = new Date("2026-01-01T08:00:00Z");
    const both = (await json(
      h.request("/api/releases", {
        method: "POST",
        json: { key: "both", packages: ["api@10", "web@10"], hosts: ["web-1"] },
      }),
    )) as Release;
    now = new Date("2026-01-01T11:00:00Z");
    expect(await expireStaleReleases(h.store, h.context.config.sponge, now, 2 * 3600_000)).toBe(1);
    now = new Date("2026-01-01T11:30:00Z");
    const revived = (await json(
      h.request("/api/releases", {
        method: "POST",
        json: { key: "both", status: "succeeded", packages: [{ name: "web", status: "failed" }] },
      }),
    )) as Release;
    expect(revived.id).toBe(both.id);
    expect(revived).toMatchObject({
      status: "failed",
      finished_at: "2026-01-01T11:30:00.000Z",
      packages: [
        { name: "api", status: "succeeded" },
        { name: "web", status: "failed" },
      ],
      hosts: [{ name: "web-1", finished_at: "2026-01-01T11:30:00.000Z" }],
      metadata: { status_changes: [{ from: "cancelled", to: "failed", at: "2026-01-01T11:30:00.000Z" }] },
    });

    // A release cancelled on purpose stays cancelled.
    const stopped = (await json(
      h.request("/api/releases", { method: "POST", json: { status: "cancelled" } }),
    )) as Release;
    const after = (await json(
      h.request(`/api/releases/${stopped.id}/finish`, { method: "POST", json: { status: "succeeded" } }),
    )) as Release;
    expect(after.status).toBe("cancelled");
  });
});

describe("releases the original Sponge API recorded", () => {
  it("end with their hosts' results when they expire: failed when one host failed", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    h = await harness({ now: () => now });
    const record = async (results: boolean[]) => {
      const { id } = (await json(
        h.request("/release", { method: "POST", json: { notes: ["n"] } }),
      )) as Release;
      await h.request(`/release/${id}/packages`, {
        method: "POST",
        json: { name: "search", version: "2.1" },
      });
      for (const [i, success] of results.entries()) {
        now = new Date(now.getTime() + 60_000);
        const res = await h.request("/results", {
          method: "POST",
          json: { release_id: id, host: `web-${i}`, package: "search", success },
        });
        expect(res.status).toBe(201);
      }
      return id;
    };
    const good = await record([true, true]);
    const bad = await record([true, false]);
    const silent = await record([]);
    now = new Date("2026-01-01T03:00:00Z");
    expect(await expireStaleReleases(h.store, h.context.config.sponge, now, 2 * 3600_000)).toBe(3);
    const read = async (id: string) => (await json(h.request(`/api/releases/${id}`))) as Release;
    expect(await read(good)).toMatchObject({
      status: "succeeded",
      finished_at: "2026-01-01T00:02:00.000Z",
      metadata: { settled_by_hosts: true },
      packages: [{ name: "search", status: "succeeded" }],
    });
    expect((await read(bad)).status).toBe("failed");
    expect(await read(silent)).toMatchObject({ status: "cancelled", metadata: { expired: true } });
    const current = await json(h.request("/api/packages/search/current"));
    expect(current).toMatchObject({ version: "2.1", release_id: good });
  });
});

describe("the stale-release sweep", () => {
  it("goes on past a release it cannot end, and ends one whose hosts' times are off at the sweep's time", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    h = await harness({ now: () => now });
    const create = async (json: unknown) =>
      (await (await h.request("/api/releases", { method: "POST", json })).json()) as Release;
    const broken = await create({});
    const skewed = await create({ hosts: [{ name: "web-1", status: "succeeded" }] });
    const plain = await create({});
    // Data written before times were checked: a host that finished in 2099; and a document that no
    // longer parses.
    const skewedDoc = { ...skewed, hosts: [{ ...skewed.hosts[0], finished_at: "2099-01-01T00:00:00.000Z" }] };
    await h.store.write((sql) =>
      sql.run("UPDATE releases SET doc = ? WHERE id = ?", [JSON.stringify(skewedDoc), skewed.id]),
    );
    await h.store.write((sql) => sql.run("UPDATE releases SET doc = 'not json' WHERE id = ?", [broken.id]));
    now = new Date("2026-01-01T03:00:00Z");
    const errors: string[] = [];
    const ended = await expireStaleReleases(h.store, h.context.config.sponge, now, 2 * 3600_000, (id) =>
      errors.push(id),
    );
    expect(ended).toBe(2);
    expect(errors).toEqual([broken.id]);
    const read = async (id: string) => (await (await h.request(`/api/releases/${id}`)).json()) as Release;
    expect(await read(skewed.id)).toMatchObject({
      status: "succeeded",
      finished_at: "2026-01-01T03:00:00.000Z",
      metadata: { settled_by_hosts: true },
    });
    expect(await read(plain.id)).toMatchObject({ status: "cancelled", metadata: { expired: true } });
  });
});

describe("hosts", () => {
  it("take the release's outcome when it ends without their own, and may be announced as queued", async () => {
    h = await harness();
    const release = (await json(
      h.request("/api/releases", {
        method: "POST",
        json: {
          packages: "api@7",
          hosts: ["web-1", { name: "web-2", status: "queued" }, { name: "web-3", status: "failed" }],
        },
      }),
    )) as Release;
    expect(release.hosts.map((host) => host.status)).toEqual(["running", "queued", "failed"]);
    const finished = (await json(
      h.request(`/api/releases/${release.id}/finish`, { method: "POST", json: {} }),
    )) as Release;
    expect(finished.hosts.map((host) => [host.status, host.finished_at === null])).toEqual([
      ["succeeded", false],
      ["succeeded", false],
      ["failed", false],
    ]);
    const host = await json(h.request("/api/hosts/web-1"));
    expect(host.packages).toMatchObject([{ name: "api", version: "7" }]);
  });
});

describe("group commit", () => {
  it("concurrent writes share transactions; a failing write fails alone", async () => {
    h = await harness();
    const writes = Array.from({ length: 40 }, (_, i) =>
      i % 5 === 0
        ? h.request("/api/releases/missing/finish", { method: "POST", json: {} })
        : h.request("/api/releases", { method: "POST", json: { key: `k-${i}`, packages: [`svc-${i}@1`] } }),
    );
    const statuses = (await Promise.all(writes)).map((res) => res.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(8);
    expect(statuses.filter((s) => s === 201)).toHaveLength(32);
    const count = await h.store.reader.get<{ n: number }>("SELECT count(*) AS n FROM releases");
    expect(count?.n).toBe(32);
    const metrics = await (await h.request("/metrics")).text();
    const batches = Number(/sponge_write_batch_size_count (\d+)/.exec(metrics)?.[1] ?? "NaN");
    expect(batches).toBeGreaterThan(0);
    // Fewer batches than writes: they were shared.
    expect(batches).toBeLessThan(40);
    // Every batch's work and commit are timed.
    for (const name of ["sponge_write_batch_work_seconds", "sponge_write_commit_seconds"]) {
      expect(Number(new RegExp(`${name}_count (\\d+)`).exec(metrics)?.[1])).toBe(batches);
      expect(Number(new RegExp(`${name}_sum (\\S+)`).exec(metrics)?.[1])).toBeGreaterThan(0);
    }
  });
});

describe("operations", () => {
  it("serves health, readiness, metrics, the OpenAPI document and its offline viewer", async () => {
    h = await harness();
    expect(await json(h.request("/healthz"))).toEqual({ status: "ok" });
    expect(await json(h.request("/readyz"))).toEqual({ status: "ready" });
    await h.request("/api/releases", { method: "POST", json: { source: "cli" } });
    const metrics = await (await h.request("/metrics")).text();
    expect(metrics).toContain('sponge_releases_recorded_total{source="cli"} 1');
    expect(metrics).toMatch(
      /sponge_http_requests_total\{route="\/api\/releases",method="POST",status="201"\} 1/,
    );
    expect(metrics).toContain("sponge_http_request_duration_seconds_bucket");

    const openapi = await json(h.request("/api/openapi.json"));
    expect(openapi.openapi).toBe("3.0.3");
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(["/api/releases", "/release", "/results"]),
    );
    expect(
      openapi.paths["/api/releases"].post.requestBody.content["application/json"].schema.properties,
    ).toHaveProperty("packages");

    const docs = await (await h.request("/docs")).text();
    expect(docs).not.toMatch(/https?:\/\//);
    expect(docs).toContain('<a href="/" style="color:#0b57d0">← Sponge dashboard</a>');
    const bundle = await h.request("/docs/assets/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    const plain = Buffer.from(await bundle.arrayBuffer());
    expect(bundle.headers.get("content-encoding")).toBeNull();
    // A browser that takes gzip gets the same script in about a quarter of the bytes.
    const gzipped = await h.request("/docs/assets/swagger-ui-bundle.js", {
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    expect(gzipped.headers.get("vary")).toBe("Accept-Encoding");
    const compressed = Buffer.from(await gzipped.arrayBuffer());
    expect(compressed.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(compressed).equals(plain)).toBe(true);
    expect((await h.request("/docs/assets/../../package.json")).status).toBe(404);
  });

  it("readiness fails when the database is gone", async () => {
    h = await harness();
    // Closes the store and removes its directory: the database is gone.
    await h.close();
    const res = await h.request("/readyz");
    expect(res.status).toBe(503);
    h = await harness();
  });
});

describe("request metrics", () => {
  it("label a request with its route pattern without regexes, and unmatched requests as unmatched", async () => {
    h = await harness();
    await h.request("/api/packages/%40acme%2Fapi/current");
    await h.request("/badge/api.svg");
    await h.request("/api/hosts/web-1");
    await h.request("/nowhere/at/all");
    await h.request("/api/releases/some-id/packages/%40acme%2Fapi", { method: "PATCH", json: {} });
    const metrics = await (await h.request("/metrics")).text();
    const routes = new Set(
      [...metrics.matchAll(/^sponge_http_requests_total\{route="([^"]*)"/gm)].map((m) => m[1]),
    );
    expect([...routes].sort()).toEqual([
      "/api/hosts/:name",
      "/api/packages/:name/current",
      "/api/releases/:id/packages/:name",
      "/badge/:file",
      "unmatched",
    ]);
    expect(metrics).toMatch(/sponge_http_request_duration_seconds_count\{route="unmatched"\} 1/);
  });
});
