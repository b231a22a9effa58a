import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { SCRIPT_ASSET, STYLE_ASSET } from "../src/ui/assets/assets.js";
import { TEAM_ROWS } from "../src/ui/load-dora.js";
import { HISTORY_PAGE } from "../src/ui/load-releases.js";
import { releaseLive } from "../src/ui/running-signature.js";
import { type Harness, harness, READ_TOKEN, WRITE_TOKEN } from "./harness.js";

const NOW = new Date("2026-03-10T12:00:00Z");
const idOf = z.object({ id: z.string() });
let h: Harness;

afterEach(async () => {
  await h.close();
});

const day = (d: number, hour = 10) =>
  `2026-03-${String(d).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00.000Z`;

async function deploy(body: Record<string, unknown>): Promise<string> {
  const res = await h.request("/api/releases", { method: "POST", json: body });
  expect(res.status, await res.clone().text()).toBe(201);
  return idOf.parse(await res.json()).id;
}

async function page(path: string, status = 200, init: RequestInit & { token?: string | null } = {}) {
  const res = await h.request(path, { token: null, ...init });
  const body = await res.text();
  expect(res.status, body.slice(0, 500)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  return { res, body };
}

/** The text of the element whose opening tag contains `marker`, up to its closing tag. */
function element(html: string, marker: string, tag: string): string {
  const start = html.indexOf(marker);
  expect(start, `no ${marker}`).toBeGreaterThanOrEqual(0);
  const open = html.lastIndexOf(`<${tag}`, start);
  const close = html.indexOf(`</${tag}>`, start);
  return html.slice(open, close + tag.length + 3);
}

/** A small organisation: api rolled back in production, worker failing in staging, api running there. */
async function organisation() {
  const base = { team: "web", repository: "acme/api", source: "api" };
  const v1 = await deploy({
    ...base,
    package: "api",
    version: "1.0.0",
    environment: "production",
    person: "jane",
    status: "succeeded",
    started_at: day(1),
    finished_at: day(1, 11),
  });
  const v2 = await deploy({
    ...base,
    package: "api",
    version: "1.1.0",
    environment: "production",
    person: "jane",
    status: "succeeded",
    started_at: day(2),
    finished_at: day(2, 11),
  });
  const back = await deploy({
    ...base,
    package: "api",
    version: "1.0.0",
    environment: "production",
    person: "omar",
    status: "succeeded",
    started_at: day(3),
    finished_at: day(3, 11),
    notes: ["Rolling back 1.1.0"],
  });
  const w1 = await deploy({
    team: "data",
    package: "worker",
    version: "1.9.0",
    environment: "staging",
    person: "lee",
    status: "succeeded",
    started_at: day(4),
    finished_at: day(4, 11),
  });
  const w2 = await deploy({
    team: "data",
    package: "worker",
    version: "2.0.0",
    environment: "staging",
    person: "lee",
    status: "failed",
    started_at: day(5),
    finished_at: day(5, 11),
  });
  const running = await deploy({
    ...base,
    package: "api",
    version: "1.2.0",
    environment: "staging",
    person: "jane",
    status: "running",
    started_at: "2026-03-10T11:55:00.000Z",
    hosts: [
      {
        name: "api-stg-1",
        status: "succeeded",
        started_at: "2026-03-10T11:55:30.000Z",
        finished_at: "2026-03-10T11:57:00.000Z",
      },
      { name: "api-stg-2", status: "running" },
    ],
  });
  return { v1, v2, back, w1, w2, running };
}

describe("the overview", () => {
  it("shows the current version of every package in every environment, with who, when, rollbacks and newer failures", async () => {
    h = await harness({ now: () => NOW });
    const ids = await organisation();
    const { res, body } = await page("/");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");

    const apiProduction = element(body, 'data-package="api" data-environment="production"', "a");
    expect(apiProduction).toContain(`href="/releases/${ids.back}"`);
    expect(apiProduction).toContain(">1.0.0<");
    expect(apiProduction).toContain("omar");
    expect(apiProduction).toContain("rollback");
    expect(apiProduction).toContain('datetime="2026-03-03T11:00:00.000Z"');
    expect(apiProduction).toContain("7 d ago");

    const workerStaging = element(body, 'data-package="worker" data-environment="staging"', "td");
    expect(workerStaging).toContain(">1.9.0<");
    expect(workerStaging).toContain(`href="/releases/${ids.w2}"`);
    expect(workerStaging).toContain("failed 2.0.0");
    expect(body).not.toContain('data-package="worker" data-environment="production"');

    const headers = [...body.matchAll(/<th scope="col" class="environment">([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual(["staging", "production"]);
  });

  it("lists running releases and serves them as a live fragment whose signature changes when one ends", async () => {
    h = await harness({ now: () => NOW });
    const ids = await organisation();
    const { body } = await page("/");
    const running = element(body, 'id="running"', "section");
    expect(running).toContain(`data-release-id="${ids.running}"`);
    expect(running).toContain("1 of 2 done");
    expect(running).toContain("5 min");
    expect(body).toContain('data-live-src="/ui/live/running"');

    const live = await page("/ui/live/running");
    expect(live.res.headers.get("x-sponge-signature")).toContain(ids.running);
    expect(live.body).not.toContain("<html");
    expect(live.body).toContain('data-announce="1 release running"');

    const finish = await h.request(`/api/releases/${ids.running}/finish`, { method: "POST", json: {} });
    expect(finish.status).toBe(200);
    const after = await page("/ui/live/running");
    expect(after.res.headers.get("x-sponge-signature")).toMatch(/^none;/);
    expect(after.body).toContain("No release is running");
    const matrix = await page("/ui/live/matrix");
    expect(element(matrix.body, 'data-package="api" data-environment="staging"', "a")).toContain(">1.2.0<");
  });

  it("shows the latest attempt where a package has no current version, and a row for a package that never succeeded", async () => {
    h = await harness({ now: () => NOW });
    const ids = await organisation();
    const firstFailed = await deploy({
      team: "data",
      package: "worker",
      version: "2.0.0",
      environment: "production",
      person: "lee",
      status: "failed",
      started_at: day(6),
      finished_at: day(6, 11),
    });
    const firstRunning = await deploy({
      team: "payments",
      package: "billing",
      version: "0.1.0",
      environment: "staging",
      person: "ada",
      status: "running",
      started_at: "2026-03-10T11:50:00.000Z",
    });
    const { body } = await page("/");
    expect(body).not.toContain("Nothing has been deployed successfully yet.");

    const apiStaging = element(body, 'data-package="api" data-environment="staging"', "td");
    expect(apiStaging).toContain(`href="/releases/${ids.running}"`);
    expect(apiStaging).toContain("running 1.2.0");
    expect(apiStaging).toContain("no current version");
    expect(apiStaging).not.toContain("not deployed");

    const workerProduction = element(body, 'data-package="worker" data-environment="production"', "td");
    expect(workerProduction).toContain(`href="/releases/${firstFailed}"`);
    expect(workerProduction).toContain("status-failed");
    expect(workerProduction).toContain("failed 2.0.0");

    expect(body).toContain('<a href="/releases?package=billing">billing</a>');
    const billing = element(body, 'data-package="billing" data-environment="staging"', "td");
    expect(billing).toContain(`href="/releases/${firstRunning}"`);
    expect(billing).toContain("running 0.1.0");
    const billingProduction = element(body, '<a href="/releases?package=billing">', "tr");
    expect(billingProduction).toContain('aria-label="not deployed"');

    const payments = (await page("/?team=payments")).body;
    expect(payments).toContain('data-package="billing" data-environment="staging"');
    expect(payments).not.toContain('data-package="api"');
    expect(payments).not.toContain('data-package="worker"');
    const data = (await page("/ui/live/matrix?team=data")).body;
    expect(data).toContain('data-package="worker" data-environment="production"');
    expect(data).not.toContain('data-package="billing"');
  });

  it("says nothing was deployed only while nothing was, not even an attempt", async () => {
    h = await harness({ now: () => NOW });
    const empty = (await page("/")).body;
    expect(empty).toContain("Nothing has been deployed successfully yet.");
    expect(empty).toContain("No release has been recorded yet.");
    expect((await page("/?team=web")).body).toContain("No release of web has been recorded yet.");
    expect((await page("/ui/live/recent?team=web")).body).toContain(
      "No release of web has been recorded yet.",
    );
    const history = (await page("/releases")).body;
    expect(history).toContain("No release has been recorded yet.");
    expect(history).not.toContain("Nothing matches these filters");
    const id = await deploy({
      package: "api",
      version: "0.1.0",
      environment: "production",
      status: "failed",
      started_at: day(1),
      finished_at: day(1, 11),
    });
    const { body } = await page("/");
    expect(body).not.toContain("Nothing has been deployed successfully yet.");
    const cell = element(body, 'data-package="api" data-environment="production"', "td");
    expect(cell).toContain(`href="/releases/${id}"`);
    expect(cell).toContain("failed 0.1.0");
  });

  it("shows environment names as they are stored, so names differing in case stay apart", async () => {
    h = await harness({ now: () => NOW });
    for (const environment of ["Production", "production"]) {
      await deploy({
        package: "api",
        version: environment,
        environment,
        status: "succeeded",
        started_at: day(1),
      });
    }
    const { body } = await page("/");
    const headers = [...body.matchAll(/<th scope="col" class="environment">([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(headers.sort()).toEqual(["Production", "production"]);
    const css = await (await h.request(STYLE_ASSET.path, { token: null })).text();
    const rule = /thead th\.environment \{([^}]*)\}/.exec(css)?.[1] ?? "";
    expect(rule).toContain("text-transform: none");

    await deploy({
      package: "api",
      version: "s",
      environment: "staging",
      status: "succeeded",
      started_at: day(2),
    });
    const drift = element(
      (await page("/dora?drift_from=staging&drift_to=Production")).body,
      'id="drift-heading"',
      "section",
    );
    expect(drift).toContain('<th scope="col" class="environment">staging</th>');
    expect(drift).toContain('<th scope="col" class="environment">Production</th>');
  });

  it("lists queued releases under Deploying now, after the running ones, and the signature follows their status", async () => {
    h = await harness({ now: () => NOW });
    const ids = await organisation();
    const queued = await deploy({
      team: "data",
      package: "worker",
      version: "2.1.0",
      environment: "staging",
      person: "lee",
      status: "queued",
      started_at: "2026-03-10T11:58:00.000Z",
    });
    const { body } = await page("/");
    const running = element(body, 'id="running"', "section");
    const rows = [...running.matchAll(/data-release-id="([^"]+)"/g)].map((m) => m[1]);
    expect(rows).toEqual([ids.running, queued]);
    expect(element(running, `data-release-id="${queued}"`, "tr")).toContain("status-queued");
    expect(body).toMatch(/<dd data-running-count="">2<\/dd>/);

    const live = await page("/ui/live/running");
    expect(live.body).toContain('data-announce="1 release running, 1 queued"');
    const before = live.res.headers.get("x-sponge-signature");
    expect(before).toContain(queued);
    expect((await page("/ui/live/running?team=web")).body).not.toContain(queued);

    const started = await h.request(`/api/releases/${queued}`, {
      method: "PATCH",
      json: { status: "running" },
    });
    expect(started.status, await started.text()).toBe(200);
    const after = await page("/ui/live/running");
    expect(after.res.headers.get("x-sponge-signature")).not.toBe(before);
    expect(after.body).toContain('data-announce="2 releases running"');
  });

  it("narrows everything to one team", async () => {
    h = await harness({ now: () => NOW });
    await organisation();
    const { body } = await page("/?team=data");
    expect(body).toContain('data-package="worker"');
    expect(body).not.toContain('data-package="api"');
    expect(body).toContain('<option value="data" selected="">data</option>');
  });
});

describe("the release history", () => {
  it("filters by what the URL says", async () => {
    h = await harness({ now: () => NOW });
    const ids = await organisation();
    const failed = await page("/releases?status=failed");
    expect(failed.body).toContain(`/releases/${ids.w2}`);
    for (const other of [ids.v1, ids.v2, ids.back, ids.w1, ids.running])
      expect(failed.body).not.toContain(`/releases/${other}"`);
    expect(failed.body).toContain('<option value="failed" selected="">failed</option>');

    const byPerson = await page("/releases?person=omar&package=api&environment=production");
    expect(byPerson.body).toContain(`/releases/${ids.back}`);
    expect(byPerson.body).not.toContain(`/releases/${ids.v2}"`);

    const window = await page("/releases?since=2026-03-02&until=2026-03-03&team=web");
    expect(window.body).toContain(`/releases/${ids.v2}`);
    expect(window.body).toContain(`/releases/${ids.back}`);
    expect(window.body).not.toContain(`/releases/${ids.v1}"`);
    expect(window.body).not.toContain(`/releases/${ids.running}"`);

    const none = await page("/releases?reference=NOPE-1");
    expect(none.body).toContain("Nothing matches these filters");
  });

  it("pages with a cursor that keeps the filters", async () => {
    h = await harness({ now: () => NOW });
    const total = HISTORY_PAGE + 3;
    for (let i = 0; i < total; i++) {
      await deploy({
        package: "api",
        version: `1.0.${i}`,
        environment: "staging",
        status: "succeeded",
        started_at: new Date(Date.parse(day(1)) + i * 60_000).toISOString(),
        finished_at: new Date(Date.parse(day(1)) + i * 60_000 + 30_000).toISOString(),
      });
    }
    const first = await page("/releases?environment=staging");
    const rows = (html: string) =>
      [...html.matchAll(/<strong>api<\/strong> <code>(1\.0\.\d+)<\/code>/g)].map((m) => m[1]);
    expect(rows(first.body)).toHaveLength(HISTORY_PAGE);
    expect(rows(first.body)[0]).toBe(`1.0.${total - 1}`);
    const older = /href="(\/releases\?environment=staging&amp;cursor=[^"]+)" rel="next"/.exec(
      first.body,
    )?.[1];
    expect(older).toBeDefined();
    const second = await page((older ?? "").replaceAll("&amp;", "&"));
    expect(rows(second.body)).toEqual(["1.0.2", "1.0.1", "1.0.0"]);
    expect(second.body).toContain('href="/releases?environment=staging">← Newest');
    expect(second.body).not.toContain('rel="next"');
  });

  it("says which filter it could not read, with 400, instead of failing", async () => {
    h = await harness({ now: () => NOW });
    const bad = await page("/releases?since=yesterday&status=exploded&cursor=xyz", 400);
    expect(bad.body).toContain("since: expected a date such as 2026-03-01");
    expect(bad.body).toContain("status: expected one of queued, running, succeeded, failed, cancelled");
    expect(bad.body).toContain("cursor: this page link is not valid any more");
    expect(bad.body).toContain('value="yesterday"');
  });
});

describe("a release", () => {
  it("shows packages, hosts, timeline, notes, references as links, commits, logs, CI run and inference", async () => {
    h = await harness({ now: () => NOW });
    await deploy({
      package: "api",
      version: "0.9.0",
      environment: "production",
      status: "succeeded",
      started_at: day(1),
      finished_at: day(1, 11),
    });
    const id = await deploy({
      environment: "production",
      repository: "acme/api",
      source: "github-action",
      ref: "refs/tags/v1.0.0",
      packages: [{ name: "api", version: "1.0.0" }],
      status: "failed",
      started_at: day(2),
      finished_at: "2026-03-02T10:06:00.000Z",
      notes: ["Canary at 5 %", "<script>alert(1)</script>"],
      references: ["acme/api#12", "https://tracker.example/T-1"],
      url: "javascript:alert(1)",
      ci: { provider: "github", actor: "jdoe", run_url: "https://github.com/acme/api/actions/runs/9" },
      hosts: [
        {
          name: "web-1",
          status: "succeeded",
          started_at: "2026-03-02T10:00:30.000Z",
          finished_at: "2026-03-02T10:02:00.000Z",
        },
        {
          name: "web-2",
          status: "failed",
          started_at: "2026-03-02T10:02:00.000Z",
          finished_at: "2026-03-02T10:05:00.000Z",
          message: "health check failed",
        },
      ],
      commits: [
        {
          sha: "a".repeat(40),
          message: "PAY-7 Fix rounding\n\nDetails",
          author: "Jane",
          timestamp: day(1, 8),
        },
      ],
    });
    const logs = await h.request(`/api/releases/${id}/logs`, {
      method: "POST",
      body: "pulling image\nrolling out",
      headers: { "content-type": "text/plain" },
    });
    expect(logs.status).toBe(201);

    const { body } = await page(`/releases/${id}`);
    expect(body).toContain("<h1>api 1.0.0 to production</h1>");
    const packages = element(body, 'id="packages-heading"', "section");
    expect(packages).toContain('<td class="mono">1.0.0</td>');
    expect(packages).toContain('<td class="mono">0.9.0</td>');
    const hosts = element(body, 'id="hosts-heading"', "section");
    expect(hosts).toContain("web-2");
    expect(hosts).toContain("health check failed");
    expect(hosts).toContain("3 min");
    expect(body).toContain('class="bar status-failed" style="left:');
    expect(body).toContain('href="https://github.com/acme/api/issues/12"');
    expect(body).toContain('href="https://tracker.example/T-1"');
    expect(body).toContain('href="/releases?reference=acme%2Fapi%2312"');
    expect(body).toContain('href="https://github.com/acme/api/actions/runs/9"');
    expect(body).not.toContain('href="javascript:');
    expect(body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(body).not.toContain("<script>alert(1)</script>");
    expect(body).toContain(`href="https://github.com/acme/api/commit/${"a".repeat(40)}"`);
    expect(body).toContain("PAY-7 Fix rounding</td>");
    expect(body).toContain("rolling out");
    // Field names and sources may wrap after their dots only.
    const inferred = element(body, 'id="inferred-heading"', "section").replaceAll("<wbr/>", "");
    expect(inferred).toContain("ci.actor");
    expect(inferred).toContain("jdoe");
  });

  it("answers 404 with a page for an unknown release, and 200 again on the log pages", async () => {
    h = await harness({ now: () => NOW });
    const missing = await page("/releases/01234567-nope", 404);
    expect(missing.body).toContain("There is no release with the id");
    // Any unknown path: a page with a way back for a browser, the API's JSON for everything else.
    const unknown = await page("/zzz", 404, { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(unknown.body).toContain("There is no page at &quot;/zzz&quot;.");
    expect(unknown.body).toContain('href="/"');
    const head = await h.request("/zzz", { method: "HEAD", headers: { accept: "text/html" } });
    expect([head.status, head.headers.get("content-type")]).toEqual([404, "text/html; charset=UTF-8"]);
    const api = await h.request("/api/zzz", { headers: { accept: "text/html" } });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({
      error: { code: "not_found", message: 'no route for GET "/api/zzz"' },
    });
    const id = await deploy({ package: "api", version: "1", environment: "staging" });
    const lines = Array.from({ length: 501 }, (_, i) => ({ message: `line ${i}` }));
    expect((await h.request(`/api/releases/${id}/logs`, { method: "POST", json: lines })).status).toBe(201);
    const first = await page(`/releases/${id}`);
    expect(first.body).toContain("line 499<");
    expect(first.body).not.toContain("line 500<");
    const next = /href="(\/releases\/[^"?]+\?logs_after=\d+)#logs-heading"/.exec(first.body)?.[1];
    expect(next).toBeDefined();
    const second = await page(next ?? "");
    expect(second.body).toContain("line 500<");
    expect(second.body).not.toContain("line 499<");
  });
});

describe("the DORA page", () => {
  it("draws the four metrics as inline SVG with their figures, per team and environment, and the drift", async () => {
    h = await harness({ now: () => NOW });
    await organisation();
    await deploy({
      package: "api",
      version: "1.1.0",
      environment: "staging",
      status: "succeeded",
      started_at: day(6),
      finished_at: day(6, 11),
    });
    const { body } = await page("/dora?range=30d&interval=week");
    expect(body.match(/<svg /g)).toHaveLength(4);
    expect(body).toContain("Deployment frequency");
    expect(body).toContain("3 deployments");
    // 30 days do not start on a Monday: the first week is drawn lighter, and the description says why.
    expect(body).toContain('class="bar partial"');
    expect(body).toContain("Faded bars with a dashed outline are periods the window cuts short");
    expect(body).toContain("Change failure rate");
    const byTeam = element(body, 'id="by-team"', "section");
    expect(byTeam).toContain(">web</a>");
    const drift = element(body, 'id="drift-heading"', "section");
    expect(element(drift, '<th scope="row">api</th>', "tr")).toContain("1 deployment behind");
    expect(element(drift, '<th scope="row">worker</th>', "tr")).toContain("never deployed to production");
    expect(body).not.toMatch(/https?:\/\/(?!github\.com)[^"]*\.(css|js)/);

    const tier = await page("/dora?environment=tier%3Aproduction");
    expect(tier.body).toContain("every production-tier environment");
    const bad = await page("/dora?range=2y", 400);
    expect(bad.body).toContain("range:");
  });

  it("keeps production and the chosen environment in the per-environment table, and says which it left out", async () => {
    h = await harness({ now: () => NOW });
    const names = ["production", "staging", ...Array.from({ length: 9 }, (_, i) => `dev-${i + 1}`)];
    for (const [i, environment] of names.entries()) {
      await deploy({
        package: "api",
        version: `1.0.${i}`,
        environment,
        status: "succeeded",
        started_at: day(1 + (i % 8)),
        finished_at: day(1 + (i % 8), 11),
      });
    }
    const { body } = await page("/dora?range=30d");
    const table = element(body, 'id="by-environment"', "section");
    expect(table).toContain(">production</a>");
    expect(table).toContain(">staging</a>");
    expect(table.match(/<tr>/g)).toHaveLength(9); // the header and eight environments
    expect(table).toContain("3 more environments are not shown");
    expect(table).toMatch(/>dev-7<\/a>, <a [^>]*>dev-8<\/a>, <a [^>]*>dev-9<\/a>/);

    const chosen = element(
      (await page("/dora?range=30d&environment=dev-9")).body,
      'id="by-environment"',
      "section",
    );
    expect(chosen).toContain(">production</a>");
    expect(chosen).toMatch(/<th scope="row"><a [^>]*>dev-9<\/a>/);
  });

  it("keeps the chosen team in the per-team table, and says which teams it left out", async () => {
    h = await harness({ now: () => NOW });
    const teams = Array.from({ length: TEAM_ROWS + 3 }, (_, i) => `team-${String(i + 1).padStart(2, "0")}`);
    for (const [i, team] of teams.entries()) {
      await deploy({
        package: `svc-${i}`,
        version: "1.0.0",
        environment: "production",
        team,
        status: "succeeded",
        started_at: day(1 + (i % 8)),
        finished_at: day(1 + (i % 8), 11),
      });
    }
    const { body } = await page("/dora?range=30d");
    const table = element(body, 'id="by-team"', "section");
    expect(table.match(/<tr>/g)).toHaveLength(TEAM_ROWS + 1); // the header and a row per team shown
    expect(table).toContain(">team-12</a>");
    expect(table).not.toContain(">team-13</a></th>");
    expect(table).toContain("3 more teams are not shown");
    expect(table).toMatch(/>team-13<\/a>, <a [^>]*>team-14<\/a>, <a [^>]*>team-15<\/a>/);
    expect(table).toMatch(/href="\/dora\?[^"]*range=30d[^"]*&amp;team=team-15"/);

    const chosen = element((await page("/dora?range=30d&team=team-15")).body, 'id="by-team"', "section");
    expect(chosen.match(/<tr>/g)).toHaveLength(TEAM_ROWS + 1);
    expect(chosen).toMatch(/<th scope="row"><a [^>]*>team-15<\/a>/);
    expect(chosen).toContain("3 more teams are not shown");
    expect(chosen).toMatch(/>team-12<\/a>, <a [^>]*>team-13<\/a>, <a [^>]*>team-14<\/a>/);
    expect(chosen).toContain("Each team&#39;s figures in production over the window");
  });

  it("refuses a tier that does not exist, and selects only values it offers", async () => {
    h = await harness({ now: () => NOW });
    await organisation();
    const bogus = await page("/dora?environment=tier%3Abogus", 400);
    expect(bogus.body).toContain("environment: there is no tier &quot;bogus&quot;");
    expect(bogus.body).not.toContain("bogus-tier");
    const select = (body: string) => element(body, 'id="d-environment"', "select");
    const selected = (body: string) => select(body).match(/<option value="([^"]*)" selected=""/)?.[1];
    expect(selected(bogus.body)).toBe("production");
    expect(select(bogus.body)).not.toContain("bogus");

    const testing = await page("/dora?environment=tier%3Atesting");
    expect(testing.body).toContain("every testing-tier environment");
    expect(selected(testing.body)).toBe("tier:testing");
    expect((await page("/dora?range=7d&interval=hour", 400)).body).toContain(
      "range: the time range is one of 30d, 90d, 180d or 365d, not &quot;7d&quot;",
    );
    const unknown = await page("/dora?environment=nowhere");
    expect(selected(unknown.body)).toBe("nowhere");
    expect(unknown.body).toMatch(
      /No release was ever recorded in nowhere; the environments Sponge knows are [a-z-]+(, [a-z-]+)*\./,
    );
    expect((await page("/dora?environment=production")).body).not.toContain("No release was ever recorded");
  });

  it("says a chart has no data instead of drawing an axis of nothing", async () => {
    h = await harness({ now: () => NOW });
    const { body } = await page("/dora");
    expect(body.match(/<svg /g)).toHaveLength(4);
    expect(body).toContain("No deployments in this window");
    expect(body.match(/No data in this window/g)).toHaveLength(3);
    expect(body).not.toMatch(/>\d+ ms</);
  });

  it("counts packages never deployed to the compared environment apart from those on another version", async () => {
    h = await harness({ now: () => NOW });
    for (const name of ["api", "web", "worker"]) {
      await deploy({
        package: name,
        version: "2.0.0",
        environment: "staging",
        status: "succeeded",
        started_at: day(2),
      });
    }
    await deploy({
      package: "billing",
      version: "1.0.0",
      environment: "production",
      status: "succeeded",
      started_at: day(3),
    });
    const drift = element((await page("/dora")).body, 'id="drift-heading"', "section");
    expect(drift).toContain("None of the 3 packages current in staging is deployed to production.");
    expect(drift).not.toContain("different version");

    await deploy({
      package: "api",
      version: "1.0.0",
      environment: "production",
      status: "succeeded",
      started_at: day(4),
    });
    await deploy({
      package: "web",
      version: "2.0.0",
      environment: "production",
      status: "succeeded",
      started_at: day(4),
    });
    const mixed = element((await page("/dora")).body, 'id="drift-heading"', "section");
    expect(mixed).toContain(
      "Of the 3 packages current in staging, 1 runs a different version in production and 1 is not deployed there.",
    );
  });

  it("counts what production lacks after a rollback as /api/compare lists it", async () => {
    h = await harness({ now: () => NOW });
    const at = (d: number, environment: string, version: string) =>
      deploy({ package: "api", version, environment, status: "succeeded", started_at: day(d) });
    await at(1, "staging", "1.0.0");
    await at(2, "production", "1.0.0");
    await at(3, "staging", "2.0.0");
    await at(4, "production", "2.0.0");
    await at(5, "staging", "3.0.0");
    await at(6, "production", "1.0.0"); // rolled back: 2.0.0 and 3.0.0 are what production lacks
    const compared = z
      .object({ versions: z.array(z.string()) })
      .parse(await (await h.request("/api/compare?package=api&from=staging&to=production")).json());
    expect(compared.versions).toEqual(["2.0.0", "3.0.0"]);
    const drift = element((await page("/dora")).body, 'id="drift-heading"', "section");
    expect(drift).toContain("2 deployments behind");
  });
});

/** A dashboard with SPONGE_PUBLIC_READ=false and a read and a write token. */
const closed = () =>
  harness({
    now: () => NOW,
    config: {
      auth: {
        tokens: [
          { scope: "read", token: READ_TOKEN },
          { scope: "write", token: WRITE_TOKEN },
        ],
        webhookSecrets: false,
        publicRead: false,
      },
    },
  });

describe("read access with SPONGE_PUBLIC_READ=false", () => {
  it("takes a read token once, keeps it in an HttpOnly cookie and drops it from the address", async () => {
    h = await closed();
    const refused = await page("/releases", 401);
    expect(refused.body).toContain("needs a token with the read scope");
    expect(refused.body).toContain("?token=");

    const wrong = await page("/releases?token=not-a-token", 401);
    expect(wrong.res.headers.get("set-cookie")).toBeNull();

    const given = await h.request("/releases?status=failed&token=" + READ_TOKEN, { token: null });
    expect(given.status).toBe(303);
    expect(given.headers.get("location")).toBe("/releases?status=failed");
    const cookie = given.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^sponge_token=test-read-token-0001;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toContain("Secure");

    const kept = await page("/releases?status=failed", 200, {
      headers: { cookie: "sponge_token=" + READ_TOKEN },
    });
    expect(kept.body).toContain("<h1>Releases</h1>");
    expect(
      (await page("/ui/live/running", 200, { headers: { cookie: "sponge_token=" + WRITE_TOKEN } })).body,
    ).toContain("No release is running");
    expect((await page("/dora", 200, { token: READ_TOKEN })).body).toContain("DORA metrics");
  });

  it("forgets a cookie whose token stopped working, and marks the cookie Secure behind HTTPS", async () => {
    h = await closed();
    const stale = await page("/", 401, { headers: { cookie: "sponge_token=revoked-token" } });
    expect(stale.res.headers.get("set-cookie")).toMatch(/^sponge_token=;.*Max-Age=0/);
    expect((await page("/ui/live/running", 401)).body).toContain("read scope");

    const doubled = await h.request(`//evil.example?token=${READ_TOKEN}`, { token: null });
    expect(doubled.status).toBe(404);
    expect(doubled.headers.get("location")).toBeNull();

    const https = await h.request("/?token=" + READ_TOKEN, {
      token: null,
      headers: { "x-forwarded-proto": "https" },
    });
    expect(https.status).toBe(303);
    expect(https.headers.get("set-cookie")).toContain("Secure");
  });
});

describe("assets", () => {
  it("serves its own stylesheet and script, cached for good and revalidated by ETag", async () => {
    h = await harness({ now: () => NOW });
    const { body } = await page("/");
    expect(body).toContain(`href="${STYLE_ASSET.path}"`);
    expect(body).toContain(`src="${SCRIPT_ASSET.path}"`);
    expect(body).not.toMatch(/(src|href)="(https?:)?\/\/[^"]*\.(css|js|woff2?)/);
    const css = await h.request(STYLE_ASSET.path, { token: null });
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("cache-control")).toContain("immutable");
    expect(await css.text()).toContain("prefers-color-scheme: dark");
    const again = await h.request(SCRIPT_ASSET.path, {
      token: null,
      headers: { "if-none-match": SCRIPT_ASSET.etag },
    });
    expect(again.status).toBe(304);
    expect((await h.request("/ui/assets/other.js", { token: null })).status).toBe(404);
  });
});

describe("the live overview of one team", () => {
  it("keeps the team in every live fragment it polls, so other teams' releases never appear", async () => {
    h = await harness({ now: () => NOW });
    const ids = await organisation();
    const { body } = await page("/?team=data");
    const sources = [...body.matchAll(/data-live-src="([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(sources).toEqual([
      "/ui/live/stats?team=data",
      "/ui/live/running?team=data",
      "/ui/live/matrix?team=data",
      "/ui/live/recent?team=data",
    ]);
    expect(body).toMatch(/<dd data-running-count="">0<\/dd>/);
    for (const source of sources) {
      const fragment = (await page(source)).body;
      expect(fragment, source).not.toContain(ids.running);
      expect(fragment, source).not.toContain('data-package="api"');
    }
    const running = await page("/ui/live/running?team=data");
    expect(running.body).toContain("No release is running or queued right now.");
  });

  it("links to all running and queued releases of the team when the list is full", async () => {
    h = await harness({ now: () => NOW });
    for (let i = 0; i < 26; i++) {
      await deploy({
        team: "web",
        package: `svc-${i}`,
        version: "1.0.0",
        environment: "staging",
        status: "running",
        started_at: new Date(Date.parse("2026-03-10T11:00:00.000Z") + i * 60_000).toISOString(),
      });
    }
    const live = (await page("/ui/live/running?team=web")).body;
    expect(live).toContain('href="/releases?status=running&amp;team=web"');
    expect(live).toContain('href="/releases?status=queued&amp;team=web"');
    expect((await page("/?team=web")).body).toMatch(/<dd data-running-count="">25\+<\/dd>/);
  });
});

describe("the whole overview stays live", () => {
  const figure = (html: string, label: string) =>
    new RegExp(`${label}</dt>\\s*<dd[^>]*>([^<]*)</dd>`).exec(html)?.[1];

  it("reloads the figures and the latest releases with the matrix, when the polled signature changes", async () => {
    h = await harness({ now: () => NOW });
    const ids = await organisation();
    const { body } = await page("/");
    const stats = element(body, 'id="stats"', "dl");
    expect(stats).toContain('data-live-src="/ui/live/stats"');
    expect(stats).toContain('data-live-follow="running"');
    expect(figure(stats, "Releases, last 7 days")).toBe("3");
    expect(figure(stats, "Deploying now")).toBe("1");
    const recent = element(body, 'id="recent"', "div");
    expect(recent).toContain('data-live-src="/ui/live/recent"');
    expect(recent).toContain('data-live-follow="running"');

    // Nothing changed: the first poll finds the page's own signature and reloads nothing else.
    const signature = /id="running"[^>]*data-signature="([^"]*)"/.exec(body)?.[1];
    const first = await page("/ui/live/running");
    expect(first.res.headers.get("x-sponge-signature")).toBe(signature);

    await h.request(`/api/releases/${ids.running}/finish`, { method: "POST", json: { status: "failed" } });
    const finished = await page("/ui/live/running");
    expect(finished.res.headers.get("x-sponge-signature")).not.toBe(signature);
    const after = (await page("/ui/live/stats")).body;
    expect(after).not.toContain("<html");
    expect(figure(after, "Deploying now")).toBe("0");
    expect(figure(after, "Failed, last 7 days")).toBe("2");
    expect(element((await page("/ui/live/recent")).body, ids.running, "tr")).toContain("status-failed");
  });

  it("notices a release recorded already finished, which never was among the running ones", async () => {
    h = await harness({ now: () => NOW });
    await organisation();
    const before = (await page("/ui/live/running")).res.headers.get("x-sponge-signature");
    const done = await deploy({
      team: "data",
      package: "worker",
      version: "2.0.1",
      environment: "staging",
      status: "succeeded",
      started_at: "2026-03-10T11:58:00.000Z",
      finished_at: "2026-03-10T11:59:00.000Z",
    });
    const after = await page("/ui/live/running");
    expect(after.res.headers.get("x-sponge-signature")).not.toBe(before);
    expect(figure((await page("/ui/live/stats")).body, "Releases, last 7 days")).toBe("4");
    const recent = (await page("/ui/live/recent")).body;
    expect(/<tbody>[\s\S]*?href="\/releases\/([^"]+)"/.exec(recent)?.[1]).toBe(done);
    // Another team's release leaves the web team's overview as it was.
    expect((await page("/ui/live/running?team=web")).res.headers.get("x-sponge-signature")).toBe(
      (await page("/?team=web")).body.match(/id="running"[^>]*data-signature="([^"]*)"/)?.[1],
    );
  });
});

describe("a queued release on the overview", () => {
  it("is shown waiting, not as running for some time", async () => {
    h = await harness({ now: () => NOW });
    const ids = await organisation();
    const queued = await deploy({
      team: "data",
      package: "worker",
      version: "2.1.0",
      environment: "staging",
      status: "queued",
      started_at: "2026-03-10T11:58:00.000Z",
    });
    const running = element((await page("/")).body, 'id="running"', "section");
    const cells = (id: string) =>
      [
        ...element(running, `data-release-id="${id}"`, "tr").matchAll(
          /<td data-label="Elapsed" class="num[^"]*">([^<]*)<\/td>/g,
        ),
      ].map((m) => m[1]);
    expect(cells(queued)).toEqual(["queued for 2 min"]);
    expect(cells(ids.running)).toEqual(["5 min"]);
  });
});

describe("a history time range that ends before it starts", () => {
  it("is refused on the page as the API refuses it, instead of matching nothing", async () => {
    h = await harness({ now: () => NOW });
    await organisation();
    const api = await h.request("/api/releases?since=2026-11-20T00:00:00Z&until=2026-11-01T00:00:00Z");
    expect(api.status).toBe(422);
    expect(await api.text()).toContain("expected a time before");
    const bad = await page("/releases?since=2026-11-20&until=2026-11-01", 400);
    expect(element(bad.body, 'role="alert"', "div")).toContain("since: expected a time before until");
    expect(bad.body).not.toContain("No release matches");
    expect(bad.body).toContain('value="2026-11-20"');
    // One day as both ends is that whole day.
    const oneDay = await page("/releases?since=2026-03-02&until=2026-03-02");
    expect(oneDay.body).not.toContain('role="alert"');
  });
});

/**
 * Runs the served page script against a stand-in for the few DOM features it uses: one live region (and
 * its status label), a `fetch` answered by `answer`, and timers the test fires one at a time.
 */
async function livePage(
  region: { id: string; src: string; interval?: string },
  answer: (url: string) => { body: string; headers?: Record<string, string> },
) {
  const script = await (await h.request(SCRIPT_ASSET.path, { token: null })).text();
  const label = { textContent: "Live" };
  const status = { dataset: {} as Record<string, string>, querySelector: () => label };
  const element = {
    id: region.id,
    innerHTML: "",
    dataset: { liveSrc: region.src, liveInterval: region.interval ?? "5" } as Record<string, string>,
    querySelector: () => null,
    querySelectorAll: () => [],
    contains: () => false,
  };
  const timers = new Map<number, () => Promise<void>>();
  const fetched: string[] = [];
  const document = {
    readyState: "complete",
    hidden: false,
    activeElement: null,
    documentElement: { dataset: {} },
    addEventListener: () => undefined,
    querySelector: (selector: string) => (selector === `[data-live-status="${region.id}"]` ? status : null),
    querySelectorAll: (selector: string) => (selector.startsWith("[data-live-src]") ? [element] : []),
  };
  /** Finds `<tag id="…" attributes>content</tag>` in a page, as far as these tests' pages need. */
  class DOMParser {
    parseFromString(html: string) {
      return {
        getElementById: (id: string) => {
          const found = new RegExp(`<(\\w+) id="${id}"([^>]*)>([\\s\\S]*)</\\1>`).exec(html);
          if (!found) return null;
          return {
            innerHTML: found[3] ?? "",
            hasAttribute: (name: string) => (found[2] ?? "").includes(` ${name}=`),
          };
        },
      };
    }
  }
  let next = 1;
  runInNewContext(script, {
    document,
    DOMParser,
    fetch: async (url: string) => {
      fetched.push(url);
      const { body, headers = {} } = answer(url);
      return {
        ok: true,
        status: 200,
        text: async () => body,
        headers: { get: (name: string) => headers[name] ?? null },
      };
    },
    setTimeout: (run: () => Promise<void>) => {
      timers.set(next, run);
      return next++;
    },
    clearTimeout: (id: number) => timers.delete(id),
    setInterval: () => 0,
  });
  return {
    region: element,
    status,
    label,
    fetched,
    /** How many refreshes are scheduled. */
    scheduled: () => timers.size,
    /** Runs the next scheduled refresh to its end. */
    async refresh() {
      const [first] = timers;
      expect(first, "a refresh is scheduled").toBeDefined();
      if (!first) return;
      timers.delete(first[0]);
      await first[1]();
    },
  };
}

describe("the page script", () => {
  it("says when the live region last updated in UTC, as the rest of the page does, not in the browser's time", async () => {
    h = await harness({ now: () => NOW });
    const live = await livePage({ id: "running", src: "/ui/live/running?team=data" }, () => ({
      body: '<p class="empty" data-announce="No release is running">No release…</p>',
      headers: { "x-sponge-signature": "none;none" },
    }));
    await live.refresh();
    expect(live.fetched).toEqual(["/ui/live/running?team=data"]);
    expect(live.label.textContent).toMatch(/^Live · updated \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(live.status.dataset.state).toBe("ok");
    expect(live.scheduled()).toBe(1);
  });

  it("tells the time by the server's clock (its Date header), not by a browser clock that is off", async () => {
    h = await harness({ now: () => NOW });
    const server = new Date(Date.now() + 3 * 3600_000);
    const live = await livePage({ id: "running", src: "/ui/live/running" }, () => ({
      body: '<p class="empty" data-announce="No release is running">No release…</p>',
      headers: { "x-sponge-signature": "none;none", date: server.toUTCString() },
    }));
    await live.refresh();
    expect(live.label.textContent).toBe(
      `Live · updated ${server.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    );
  });

  it("refreshes a running release's page from the page itself, and stops once the page shows it finished", async () => {
    h = await harness({ now: () => NOW });
    let status = "running";
    const releasePage = () =>
      `<!doctype html><html><body><main id="main"><div id="release-live"${
        status === "running" ? ' data-live-src="/releases/r1" data-live-interval="5"' : ""
      }><h1>api 1.2.0 to staging</h1><p>${status}</p></div></main><footer>Times are UTC.</footer></body></html>`;
    const live = await livePage({ id: "release-live", src: "/releases/r1" }, () => ({ body: releasePage() }));
    await live.refresh();
    expect(live.region.innerHTML).toBe("<h1>api 1.2.0 to staging</h1><p>running</p>");
    expect(live.scheduled()).toBe(1);

    status = "succeeded";
    await live.refresh();
    expect(live.region.innerHTML).toBe("<h1>api 1.2.0 to staging</h1><p>succeeded</p>");
    expect(live.scheduled()).toBe(0);
    expect(live.fetched).toEqual(["/releases/r1", "/releases/r1"]);
    expect(live.label.textContent).toMatch(/^Updated \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  });
});

describe("a running release's page", () => {
  it("is given live attributes that reload its own page (the same log page) until the release finishes", async () => {
    h = await harness({ now: () => NOW });
    const ids = await organisation();
    const running = { id: ids.running, status: "running" as const };
    expect(releaseLive(running, 0)).toEqual({
      "data-live-src": `/releases/${ids.running}`,
      "data-live-interval": "5",
    });
    expect(releaseLive(running, 700)["data-live-src"]).toBe(`/releases/${ids.running}?logs_after=700`);
    expect(releaseLive({ id: ids.running, status: "queued" }, 0)["data-live-src"]).toBeDefined();
    for (const status of ["succeeded", "failed", "cancelled"] as const) {
      expect(releaseLive({ id: ids.running, status }, 0)).toEqual({});
    }
    // What the attribute points at is the page itself, which the script can read as a whole document.
    const self = await page(releaseLive(running, 0)["data-live-src"] ?? "");
    expect(self.body).toMatch(/^<!doctype html>/i);
  });
});

describe("a running release's page, as served", () => {
  it("reloads itself while the release runs and stops once it has ended", async () => {
    h = await harness({ now: () => NOW });
    const ids = await organisation();
    const live = element((await page(`/releases/${ids.running}`)).body, 'id="release-live"', "div");
    expect(live).toContain(`data-live-src="/releases/${ids.running}"`);
    await h.request(`/api/releases/${ids.running}/finish`, { method: "POST", json: {} });
    const ended = (await page(`/releases/${ids.running}`)).body;
    expect(ended).toContain('id="release-live"');
    expect(ended).not.toMatch(/id="release-live"[^>]*data-live-src/);
  });
});

describe("signing in to a closed dashboard", () => {
  const form = (fields: Record<string, string>) =>
    h.request("/ui/sign-in", {
      method: "POST",
      token: null,
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });

  it("asks for a token with a form that comes back to the page, and keeps the token out of the address", async () => {
    h = await closed();
    const refused = await page("/releases?status=failed&token=wrong-token", 401);
    const signIn = element(refused.body, 'action="/ui/sign-in"', "form");
    expect(signIn).toContain('method="post"');
    expect(signIn).toContain('name="next" value="/releases?status=failed"');
    expect(signIn).toContain('name="token" type="password"');

    const wrong = await form({ token: "not-a-token", next: "/releases?status=failed" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.text()).toContain('value="/releases?status=failed"');
    expect((await form({ token: "", next: "/" })).status).toBe(401);

    const accepted = await form({ token: READ_TOKEN, next: "/releases?status=failed" });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe("/releases?status=failed");
    expect(accepted.headers.get("set-cookie")).toMatch(/^sponge_token=test-read-token-0001;.*HttpOnly/);
    // Never to another site, however `next` is spelt.
    for (const next of [
      "//evil.example/x",
      "/\\evil.example",
      "https://evil.example",
      "\t/evil.example/x",
      "\t//evil.example/x",
      "/.//evil.example/x",
      "/%0d%0aSet-Cookie:x=1",
      "/\r\nX: y",
    ]) {
      const answer = await form({ token: READ_TOKEN, next });
      expect(answer.status, JSON.stringify(next)).toBe(303);
      const location = answer.headers.get("location") ?? "";
      expect(location, JSON.stringify(next)).toMatch(/^\/(?![/\\])/);
      expect(new URL(location, "https://sponge.acme.io").origin).toBe("https://sponge.acme.io");
    }
  });

  it("signs in only from its own form, not from a form another site submits", async () => {
    h = await closed();
    const from = (headers: Record<string, string>) =>
      h.request("/ui/sign-in", {
        method: "POST",
        token: null,
        body: new URLSearchParams({ token: READ_TOKEN, next: "/" }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      });
    for (const headers of [
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { origin: "https://evil.example" },
      { "sec-fetch-site": "same-site" },
    ]) {
      const res = await from(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    for (const headers of [
      { host: "sponge.acme.io", origin: "https://sponge.acme.io", "sec-fetch-site": "same-origin" },
      // Behind a reverse proxy that rewrites Host: the browser's word, or the forwarded host, is taken.
      { host: "127.0.0.1:8080", origin: "https://sponge.acme.io", "sec-fetch-site": "same-origin" },
      { host: "127.0.0.1:8080", origin: "https://sponge.acme.io", "x-forwarded-host": "sponge.acme.io" },
    ]) {
      expect((await from(headers)).status, JSON.stringify(headers)).toBe(303);
    }
  });

  it("lets the dashboard's own JSON links read with its cookie, and never write with it", async () => {
    h = await closed();
    const id = await deploy({ package: "api", version: "1", environment: "production" });
    const cookie = { cookie: `sponge_token=${READ_TOKEN}` };
    expect((await h.request(`/api/releases/${id}/logs`, { token: null, headers: cookie })).status).toBe(200);
    expect((await h.request(`/api/releases/${id}`, { token: null })).status).toBe(401);
    const writeCookie = { cookie: `sponge_token=${WRITE_TOKEN}` };
    const write = await h.request("/api/releases", {
      method: "POST",
      json: {},
      token: null,
      headers: writeCookie,
    });
    expect(write.status).toBe(401);
  });
});
