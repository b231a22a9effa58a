import { parseConfig } from "@sponge/core";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type Harness, harness, READ_TOKEN } from "./harness.js";

const NOW = new Date("2024-06-01T00:00:00Z");
const idOf = z.object({ id: z.string() });
const sha = (c: string) => c.repeat(40);

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function deploy(body: Record<string, unknown>): Promise<string> {
  const res = await h.request("/api/releases", { method: "POST", json: body });
  expect(res.status, await res.clone().text()).toBe(201);
  return idOf.parse(await res.json()).id;
}

async function getJson(path: string, status = 200): Promise<unknown> {
  const res = await h.request(path);
  const body: unknown = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return body;
}

const at = (day: number, hour = 12) =>
  `2024-05-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00.000Z`;

describe("current versions", () => {
  it("answers with the latest succeeded deployment by finish time, whatever came later", async () => {
    h = await harness({ now: () => NOW });
    const v1 = await deploy({
      package: "@acme/api",
      version: "1.0.0",
      environment: "production",
      status: "succeeded",
      person: "jane",
      team: "payments",
      commit: sha("a"),
      started_at: at(1, 10),
      finished_at: at(1, 11),
    });
    // Failed and still-running deployments never become current.
    await deploy({
      package: "@acme/api",
      version: "1.1.0",
      environment: "production",
      status: "failed",
      started_at: at(2),
      finished_at: at(2, 13),
    });
    await deploy({
      package: "@acme/api",
      version: "1.2.0",
      environment: "production",
      status: "running",
      started_at: at(3),
    });
    // Backfilled: it started later but finished earlier than v1, so v1 stays current.
    await deploy({
      package: "@acme/api",
      version: "0.9.0",
      environment: "production",
      status: "succeeded",
      started_at: at(1, 10),
      finished_at: at(1, 10),
    });

    const expected = {
      package: "@acme/api",
      environment: "production",
      version: "1.0.0",
      release_id: v1,
      deployed_at: at(1, 11),
      person: "jane",
      team: "payments",
      commit: sha("a"),
    };
    // The default environment comes from the config; `@` and `/` URL-encoded, or `/` left as is.
    expect(await getJson("/api/packages/%40acme%2Fapi/current")).toEqual(expected);
    expect(await getJson("/api/packages/@acme%2Fapi/current?environment=production")).toEqual(expected);
    expect(await getJson("/api/packages/@acme/api/current")).toEqual(expected);
  });

  it("is 404 with a JSON error where the package never succeeded", async () => {
    h = await harness({ now: () => NOW });
    await deploy({
      package: "web",
      version: "1",
      environment: "staging",
      status: "succeeded",
      finished_at: at(1),
    });
    await deploy({
      package: "web",
      version: "2",
      environment: "production",
      status: "failed",
      finished_at: at(1),
    });
    expect(await getJson("/api/packages/web/current?environment=staging")).toMatchObject({ version: "1" });
    expect(await getJson("/api/packages/web/current", 404)).toEqual({
      error: { code: "not_found", message: 'a deployment of "web" in "production" was not found' },
    });
    expect(await getJson("/api/packages/nothing/current?environment=staging", 404)).toMatchObject({
      error: { code: "not_found" },
    });
  });

  it("repeats at most 120 characters of a name in a 404", async () => {
    h = await harness({ now: () => NOW });
    const long = "x".repeat(5000);
    const body = (await getJson(`/api/packages/${long}/current?environment=${"e".repeat(300)}`, 404)) as {
      error: { message: string };
    };
    expect(body.error.message).toBe(
      `a deployment of "${"x".repeat(120)}"… (5000 characters) in "${"e".repeat(120)}"… (300 characters) was not found`,
    );
  });

  it("uses the configured default environment", async () => {
    h = await harness({ now: () => NOW, config: { sponge: parseConfig({ defaultEnvironment: "prod-eu" }) } });
    await deploy({
      package: "web",
      version: "7",
      environment: "prod-eu",
      status: "succeeded",
      finished_at: at(1),
    });
    expect(await getJson("/api/packages/web/current")).toMatchObject({
      environment: "prod-eu",
      version: "7",
    });
  });

  it("lists every package with its current version per environment", async () => {
    h = await harness({ now: () => NOW });
    await deploy({
      package: "web",
      version: "1",
      environment: "staging",
      status: "succeeded",
      finished_at: at(1),
    });
    const web2 = await deploy({
      package: "web",
      version: "2",
      environment: "staging",
      status: "succeeded",
      finished_at: at(2),
    });
    const webProd = await deploy({
      package: "web",
      version: "1",
      environment: "production",
      status: "succeeded",
      finished_at: at(3),
    });
    await deploy({
      package: "@acme/api",
      version: "5",
      environment: "production",
      status: "failed",
      finished_at: at(3),
    });

    expect(await getJson("/api/packages")).toEqual({
      packages: [
        // Deployed but never successfully: listed with no environment.
        { name: "@acme/api", environments: {} },
        {
          name: "web",
          environments: {
            production: {
              version: "1",
              release_id: webProd,
              deployed_at: at(3),
              person: null,
              team: null,
              commit: null,
            },
            staging: {
              version: "2",
              release_id: web2,
              deployed_at: at(2),
              person: null,
              team: null,
              commit: null,
            },
          },
        },
      ],
    });
    expect(await getJson("/api/packages?environment=staging")).toEqual({
      packages: [
        {
          name: "web",
          environments: {
            staging: {
              version: "2",
              release_id: web2,
              deployed_at: at(2),
              person: null,
              team: null,
              commit: null,
            },
          },
        },
      ],
    });
    expect(await getJson("/api/packages?environment=nowhere")).toEqual({ packages: [] });
  });

  it("never lists a package without a name: writes that would give one are refused with 422", async () => {
    h = await harness({ now: () => NOW });
    const id = await deploy({ package: "web", version: "1", environment: "staging" });
    const refusals: [string, unknown, string][] = [
      ["/api/releases", { packages: [""] }, "packages.0"],
      ["/api/releases", { packages: ["api@1", "@"] }, "packages.1"],
      ["/api/releases", { packages: ["@1.0"] }, "packages.0"],
      ["/api/releases", { packages: "@1.0" }, "packages"],
      [`/api/releases/${id}/packages`, ["@1.0"], "0"],
      [`/api/releases/${id}/packages`, { packages: [" "] }, "packages.0"],
      [`/release/${id}/packages`, { packages: ["@2"] }, "packages.0"],
      ["/release", { packages: [""] }, "packages.0"],
    ];
    for (const [path, body, field] of refusals) {
      const res = await h.request(path, { method: "POST", json: body });
      const error = await res.json();
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(422);
      expect(error).toMatchObject({
        error: {
          code: "invalid_field",
          details: [{ field, message: expect.stringMatching(/package name is empty/) }],
        },
      });
    }
    // The shorthand's empty string means "not given", as for any text field: no package is named "".
    await deploy({ package: "", version: "2", environment: "staging", repository: "acme/shop" });
    const names = ((await getJson("/api/packages")) as { packages: { name: string }[] }).packages.map(
      (p) => p.name,
    );
    expect(names).not.toContain("");
    expect(names).toContain("web");
  });

  it("refuses an impossible calendar date with 422 naming the field instead of rolling it over", async () => {
    h = await harness({ now: () => NOW });
    for (const finished_at of ["2026-02-30T00:00:00Z", "2025-04-31 10:00:00 UTC", "2026-01-01T24:00:00Z"]) {
      const res = await h.request("/api/releases", { method: "POST", json: { finished_at } });
      expect(res.status, finished_at).toBe(422);
      expect(await res.json()).toMatchObject({
        error: {
          details: [
            {
              field: "finished_at",
              message: `expected an ISO 8601 timestamp, got ${JSON.stringify(finished_at)}`,
            },
          ],
        },
      });
    }
    await deploy({ finished_at: "2024-02-29T00:00:00Z", package: "web", version: "1" });
  });

  it("needs a read token when reads are not public", async () => {
    h = await harness({
      now: () => NOW,
      config: {
        auth: { tokens: [{ scope: "read", token: READ_TOKEN }], webhookSecrets: false, publicRead: false },
      },
    });
    for (const path of [
      "/api/packages",
      "/api/packages/web/current",
      "/api/environments",
      "/api/hosts/a",
      "/api/compare?package=web&from=staging",
    ]) {
      expect((await h.request(path, { token: null })).status).toBe(401);
      expect((await h.request(path, { token: "wrong-token-000000" })).status).toBe(401);
    }
    expect((await h.request("/api/packages", { token: READ_TOKEN })).status).toBe(200);
  });
});

describe("environments", () => {
  it("lists configured and seen environments with tiers, package counts and latest activity", async () => {
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
    await deploy({
      package: "web",
      version: "1",
      environment: "eu-live",
      status: "succeeded",
      finished_at: at(1),
    });
    const api = await deploy({
      package: "api",
      version: "3",
      environment: "eu-live",
      status: "succeeded",
      started_at: at(2, 9),
      finished_at: at(2, 10),
    });
    const running = await deploy({
      package: "api",
      version: "4",
      environment: "eu-live",
      status: "running",
      started_at: at(3),
    });
    await deploy({ package: "web", version: "1", environment: "qa-1", status: "failed", finished_at: at(1) });

    const body = z
      .object({ environments: z.array(z.object({ name: z.string() }).loose()) })
      .parse(await getJson("/api/environments"));
    expect(body.environments.map((e) => e.name)).toEqual(["eu-live", "production", "qa-1", "staging"]);
    expect(body.environments[0]).toEqual({
      name: "eu-live",
      tier: "production",
      configured: true,
      default: false,
      packages: 2,
      last_deploy: { package: "api", version: "3", release_id: api, deployed_at: at(2, 10) },
      last_release: { id: running, status: "running", started_at: at(3), finished_at: null },
    });
    // Unlisted: the tier is guessed from the name; nothing succeeded there.
    expect(body.environments[2]).toMatchObject({
      name: "qa-1",
      tier: "testing",
      configured: false,
      packages: 0,
      last_deploy: null,
    });
    expect(body.environments[1]).toMatchObject({
      name: "production",
      default: true,
      packages: 0,
      last_release: null,
    });

    const production = z
      .object({ environments: z.array(z.object({ name: z.string() }).loose()) })
      .parse(await getJson("/api/environments?tier=production"));
    expect(production.environments.map((e) => e.name)).toEqual(["eu-live", "production"]);
  });

  it("refuses an unknown tier with 422 naming the parameter", async () => {
    h = await harness({ now: () => NOW });
    const body = await getJson("/api/environments?tier=prod", 422);
    expect(body).toMatchObject({ error: { code: "invalid_field", details: [{ field: "tier" }] } });
  });
});

describe("hosts", () => {
  it("shows what succeeded on a host per package and its latest deployments", async () => {
    h = await harness({ now: () => NOW });
    const first = await deploy({
      packages: [
        { name: "web", version: "1" },
        { name: "worker", version: "8" },
      ],
      environment: "production",
      status: "succeeded",
      started_at: at(1, 10),
      finished_at: at(1, 11),
      hosts: [{ name: "web-1", status: "succeeded", finished_at: at(1, 11) }],
    });
    const second = await deploy({
      packages: [
        { name: "web", version: "2" },
        { name: "worker", version: "9" },
      ],
      environment: "production",
      status: "failed",
      started_at: at(2, 10),
      finished_at: at(2, 11),
      hosts: [
        { name: "web-1", package: "web", status: "failed", message: "health check failed" },
        { name: "web-2", status: "succeeded" },
      ],
    });
    const body = await getJson("/api/hosts/web-1");
    expect(body).toMatchObject({
      host: "web-1",
      packages: [
        { name: "web", environment: "production", version: "1", release_id: first, deployed_at: at(1, 11) },
        { name: "worker", environment: "production", version: "8", release_id: first },
      ],
      deployments: [
        {
          release_id: second,
          status: "failed",
          release_status: "failed",
          packages: [{ name: "web", version: "2" }],
          message: "health check failed",
        },
        {
          release_id: first,
          status: "succeeded",
          packages: [
            { name: "web", version: "1" },
            { name: "worker", version: "8" },
          ],
        },
      ],
    });
    expect(await getJson("/api/hosts/web-1?limit=1")).toMatchObject({
      deployments: [{ release_id: second }],
    });
    expect(await getJson("/api/hosts/unknown-host", 404)).toMatchObject({ error: { code: "not_found" } });
    expect(await getJson("/api/hosts/web-1?limit=0", 422)).toMatchObject({
      error: { details: [{ field: "limit" }] },
    });
    expect(await getJson("/api/hosts/web-1?limit=abc", 422)).toMatchObject({
      error: { details: [{ field: "limit" }] },
    });
  });
});

describe("environment drift", () => {
  const commit = (c: string, message: string, day: number) => ({
    sha: sha(c),
    message,
    timestamp: at(day, 8),
  });

  it("lists what staging deployed after the version production runs", async () => {
    h = await harness({
      now: () => NOW,
      config: { sponge: parseConfig({ references: { jiraProjects: ["PAY"] } }) },
    });
    const s1 = await deploy({
      package: "api",
      version: "1.0",
      environment: "staging",
      status: "succeeded",
      finished_at: at(1),
      commits: [commit("a", "PAY-1 start", 1)],
    });
    await deploy({
      package: "api",
      version: "1.0",
      environment: "production",
      status: "succeeded",
      finished_at: at(2),
      commits: [commit("a", "PAY-1 start", 1)],
    });
    const s2 = await deploy({
      package: "api",
      version: "1.1",
      environment: "staging",
      status: "succeeded",
      finished_at: at(3),
      commits: [commit("b", "PAY-2 more", 3)],
    });
    // A failed staging deployment is not something staging "has".
    await deploy({
      package: "api",
      version: "1.2",
      environment: "staging",
      status: "failed",
      finished_at: at(4),
      commits: [commit("c", "PAY-3 broken", 4)],
    });
    const s3 = await deploy({
      package: "api",
      version: "1.3",
      environment: "staging",
      status: "succeeded",
      finished_at: at(5),
      commits: [commit("c", "PAY-3 broken", 4), commit("d", "PAY-4 fixed", 5)],
    });

    const drift = await getJson("/api/compare?package=api&from=staging&to=production");
    expect(drift).toMatchObject({
      package: "api",
      from: { environment: "staging", current: { version: "1.3", release_id: s3 } },
      to: { environment: "production", current: { version: "1.0" } },
      in_sync: false,
      anchor: { kind: "version", release_id: s1, finished_at: at(1) },
      ahead: [
        { release_id: s2, version: "1.1", finished_at: at(3), references: ["PAY-2"] },
        { release_id: s3, version: "1.3", finished_at: at(5) },
      ],
      versions: ["1.1", "1.3"],
      commits: [
        { sha: sha("b"), message: "PAY-2 more" },
        { sha: sha("c"), message: "PAY-3 broken" },
        { sha: sha("d"), message: "PAY-4 fixed" },
      ],
      references: ["PAY-2", "PAY-3", "PAY-4"],
      truncated: false,
    });
    // `to` defaults to the default environment; limit cuts the list and says so.
    expect(await getJson("/api/compare?package=api&from=staging&limit=1")).toMatchObject({
      ahead: [{ release_id: s2 }],
      versions: ["1.1"],
      truncated: true,
    });

    // Promote 1.3: in sync, nothing ahead.
    await deploy({
      package: "api",
      version: "1.3",
      environment: "production",
      status: "succeeded",
      finished_at: at(6),
    });
    expect(await getJson("/api/compare?package=api&from=staging&to=production")).toMatchObject({
      in_sync: true,
      anchor: { kind: "version", release_id: s3 },
      ahead: [],
      versions: [],
      commits: [],
    });
  });

  it("anchors on time when production runs a version staging never had, and on nothing when production never ran it", async () => {
    h = await harness({ now: () => NOW });
    const s1 = await deploy({
      package: "api",
      version: "1.0",
      environment: "staging",
      status: "succeeded",
      finished_at: at(1),
    });
    expect(await getJson("/api/compare?package=api&from=staging&to=production")).toMatchObject({
      to: { current: null },
      in_sync: false,
      anchor: { kind: "none", release_id: null },
      ahead: [{ release_id: s1 }],
    });
    const hotfix = await deploy({
      package: "api",
      version: "1.0-hotfix",
      environment: "production",
      status: "succeeded",
      finished_at: at(2),
    });
    const s2 = await deploy({
      package: "api",
      version: "1.1",
      environment: "staging",
      status: "succeeded",
      finished_at: at(3),
    });
    expect(await getJson("/api/compare?package=api&from=staging&to=production")).toMatchObject({
      anchor: { kind: "time", release_id: hotfix, finished_at: at(2) },
      ahead: [{ release_id: s2, version: "1.1" }],
    });
  });

  it("names the missing or bad parameter with 422", async () => {
    h = await harness({ now: () => NOW });
    expect(await getJson("/api/compare?from=staging", 422)).toMatchObject({
      error: { details: [{ field: "package" }] },
    });
    expect(await getJson("/api/compare?package=api&from=%20", 422)).toMatchObject({
      error: { details: [{ field: "from" }] },
    });
    expect(await getJson("/api/compare?package=api&from=staging&limit=501", 422)).toMatchObject({
      error: { details: [{ field: "limit" }] },
    });
  });

  it("states the range of a page size out of it", async () => {
    h = await harness({ now: () => NOW });
    for (const limit of ["0", "501", "2.5", "many", ""]) {
      expect(await getJson(`/api/releases?limit=${limit}`, 422), limit).toMatchObject({
        error: { details: [{ field: "limit", message: "expected a whole number from 1 to 500" }] },
      });
    }
    expect(await getJson("/api/compare?package=api&from=staging&limit=0", 422)).toMatchObject({
      error: { details: [{ field: "limit", message: "expected a whole number from 1 to 500" }] },
    });
    expect(await getJson("/api/hosts/web-1?limit=201", 422)).toMatchObject({
      error: { details: [{ field: "limit", message: "expected a whole number from 1 to 200" }] },
    });
    await getJson("/api/releases?limit=500");
  });
});

describe("OpenAPI", () => {
  it("documents the read, badge and DORA paths with their query parameters", async () => {
    h = await harness({ now: () => NOW });
    const document = z
      .object({
        paths: z.record(
          z.string(),
          z.record(z.string(), z.unknown()).and(
            z.object({
              get: z.object({ parameters: z.array(z.object({ name: z.string() })).optional() }).optional(),
            }),
          ),
        ),
      })
      .parse(await getJson("/api/openapi.json"));
    const parameters = (path: string) => document.paths[path]?.get?.parameters?.map((p) => p.name);
    expect(parameters("/api/packages")).toEqual(["environment"]);
    expect(parameters("/api/compare")).toEqual(["package", "from", "to", "limit"]);
    expect(parameters("/api/metrics/dora")).toEqual([
      "environment",
      "tier",
      "team",
      "package",
      "from",
      "to",
      "interval",
    ]);
    expect(parameters("/badge/{name}.svg")).toEqual(["environment", "label", "style"]);
    for (const path of [
      "/api/packages/{name}/current",
      "/api/environments",
      "/api/hosts/{name}",
      "/badge/{name}.json",
    ]) {
      expect(document.paths[path]?.get, path).toBeDefined();
    }
    // The release API is still there.
    expect(document.paths["/api/releases"]).toBeDefined();
  });
});

describe("OpenAPI document and routes", () => {
  /** Pages, the viewer and the document itself: served by the app, not part of the API it describes. */
  const NOT_API = /^\/($|releases($|\/)|dora$|ui\/|docs($|\/)|api\/openapi\.json$)/;
  /** Routes whose one Hono pattern the document describes as several paths. */
  const DOCUMENTED_AS: Record<string, string[]> = {
    "/badge/{file}": ["/badge/{name}.svg", "/badge/{name}.json"],
  };
  const METHODS = ["get", "post", "patch", "put", "delete"] as const;
  const parameter = z.object({ name: z.string(), in: z.string(), schema: z.unknown().optional() });
  const operation = z.object({
    parameters: z.array(parameter).optional(),
    security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
    requestBody: z.unknown().optional(),
  });
  const openApi = z.object({
    paths: z.record(
      z.string(),
      z.object({
        parameters: z.array(parameter).optional(),
        get: operation.optional(),
        post: operation.optional(),
        patch: operation.optional(),
        put: operation.optional(),
        delete: operation.optional(),
      }),
    ),
  });
  const readTokenOnly = {
    auth: {
      tokens: [{ scope: "read" as const, token: READ_TOKEN }],
      webhookSecrets: false,
      publicRead: false,
    },
  };

  it("documents every API route the app serves, with its path parameters, and nothing else", async () => {
    h = await harness({ now: () => NOW });
    const document = openApi.parse(await getJson("/api/openapi.json"));
    const served = new Set<string>();
    for (const route of h.app.routes) {
      if (route.method === "ALL" || NOT_API.test(route.path)) continue;
      const path = route.path.replace(/:(\w+)(\{(?:[^{}]|\{[^{}]*\})*\})?/g, "{$1}");
      for (const documented of DOCUMENTED_AS[path] ?? [path]) {
        const method = route.method.toLowerCase() as (typeof METHODS)[number];
        served.add(`${method} ${documented}`);
        const item = document.paths[documented];
        const op = item?.[method];
        expect(op, `${route.method} ${route.path} is documented as ${documented}`).toBeDefined();
        const declared = [...(item?.parameters ?? []), ...(op?.parameters ?? [])]
          .filter((p) => p.in === "path")
          .map((p) => p.name)
          .sort();
        const inPath = [...documented.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(declared, `path parameters of ${method} ${documented}`).toEqual(inPath);
      }
    }
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual([...served].sort());
  });

  it("declares the token each operation takes: required for writes, optional for public reads", async () => {
    h = await harness({ now: () => NOW, config: readTokenOnly });
    const closed = h;
    h = await harness({ now: () => NOW });
    const open = h;
    try {
      const document = openApi.parse(await getJson("/api/openapi.json"));
      for (const [path, item] of Object.entries(document.paths)) {
        // Webhooks authenticate with their provider's own scheme, described in their text.
        if (path.startsWith("/webhooks/")) continue;
        const url = path.replace(/\{id\}/g, "1").replace(/\{(\w+)\}/g, "x");
        for (const method of METHODS) {
          const op = item[method];
          if (!op) continue;
          const refused = async (app: Harness) =>
            (await app.request(url, { method: method.toUpperCase(), token: null })).status === 401;
          const alwaysRefused = await refused(open);
          const refusedWhenClosed = await refused(closed);
          const name = `${method} ${path}`;
          if (alwaysRefused) expect(op.security, name).toEqual([{ bearer: [] }]);
          else if (refusedWhenClosed) expect(op.security, name).toEqual([{}, { bearer: [] }]);
          else expect(op.security ?? [], name).toEqual([]);
        }
      }
    } finally {
      await closed.close();
    }
  });

  it("documents the log paging parameters and the statuses a status field takes", async () => {
    h = await harness({ now: () => NOW });
    const document = openApi.parse(await getJson("/api/openapi.json"));
    const logs = document.paths["/api/releases/{id}/logs"]?.get?.parameters;
    expect(logs?.map((p) => [p.name, p.in])).toEqual([
      ["after", "query"],
      ["limit", "query"],
    ]);
    expect(logs?.[1]?.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 10_000, default: 1000 });

    const statuses = ["queued", "running", "succeeded", "failed", "cancelled"];
    const found: string[] = [];
    /** Every `status` field of a query or a request body, wherever it is nested. */
    const visit = (value: unknown, where: string): void => {
      if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${where}/${i}`));
      else if (value && typeof value === "object") {
        for (const [key, inner] of Object.entries(value)) {
          if (key === "status" && where.endsWith("/properties")) {
            found.push(where);
            // finish takes only the statuses that end a release.
            const expected = where.includes("/finish ") ? ["succeeded", "failed", "cancelled"] : statuses;
            expect(inner, where).toMatchObject({ type: "string", enum: expected });
          }
          visit(inner, `${where}/${key}`);
        }
      }
    };
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        visit(op?.requestBody, `${method} ${path} body`);
        for (const p of op?.parameters ?? []) {
          if (p.name === "status") {
            found.push(`${method} ${path} ?status`);
            expect(p.schema, `${method} ${path} ?status`).toMatchObject({ type: "string", enum: statuses });
          }
        }
      }
    }
    for (const where of [
      "get /api/releases ?status",
      "post /api/releases body",
      "post /api/releases/{id}/finish body",
      "post /api/releases/{id}/hosts body",
      "post /results body",
    ]) {
      expect(
        found.some((f) => f.startsWith(where)),
        where,
      ).toBe(true);
    }
  });
});
