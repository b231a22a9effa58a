import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseConfig, type Release } from "@sponge/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp } from "../src/app.js";
import { receiverConfig } from "../src/receiver-config.js";
import { Store } from "../src/store/store.js";
import { pruneOldDeliveries } from "../src/webhooks/prune-old-deliveries.js";
import { ADMIN_TOKEN, type Harness, harness, json, WRITE_TOKEN } from "./harness.js";

const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/github/", import.meta.url));
const SECRET = "It's a Secret to Everybody";
const WEBHOOKS = {
  githubSecret: SECRET,
  gitlabToken: "gitlab-token-0001",
  jenkinsToken: "jenkins-token-0001",
  cdeventsToken: "cdevents-token-0001",
};

/** A recorded GitHub payload exactly as stored (the bytes GitHub signed). */
const fixture = (name: string) => readFileSync(`${FIXTURES}${name}`, "utf8");
const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;

let h: Harness;
let clock = new Date("2026-03-01T12:00:00.000Z");
let deliveryCounter = 0;

beforeEach(async () => {
  clock = new Date("2026-03-01T12:00:00.000Z");
  h = await harness({ config: { webhooks: WEBHOOKS }, now: () => clock });
});
afterEach(async () => {
  await h.close();
});

interface GitHubSend {
  delivery?: string;
  signature?: string | null;
  contentType?: string;
  target?: Harness;
}

/** Posts a delivery the way GitHub does: event and delivery headers, HMAC of the raw body. */
async function github(event: string, body: string, options: GitHubSend = {}) {
  deliveryCounter += 1;
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/json",
    "user-agent": "GitHub-Hookshot/044aadd",
    "x-github-event": event,
    "x-github-delivery":
      options.delivery ?? `72d3162e-cc78-11e3-81ab-${String(deliveryCounter).padStart(12, "0")}`,
    "x-github-hook-id": "292430182",
  };
  const signature = options.signature === undefined ? sign(body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  return (options.target ?? h).request("/webhooks/github", { method: "POST", token: null, headers, body });
}

async function releases(target: Harness = h): Promise<Release[]> {
  const list = await json(target.request("/api/releases?limit=500"));
  return list.releases as Release[];
}

async function deliveries(query = ""): Promise<Array<Record<string, unknown>>> {
  const res = await h.request(`/api/deliveries${query}`, { token: ADMIN_TOKEN });
  expect(res.status).toBe(200);
  return (await json(res)).deliveries;
}

const object = z.record(z.string(), z.unknown());

/** A recorded payload with fields of one of its objects changed (for events upstream has no example of). */
function edited(name: string, field: string, changes: Record<string, unknown>): string {
  const payload = object.parse(JSON.parse(fixture(name)));
  payload[field] = { ...object.parse(payload[field]), ...changes };
  return JSON.stringify(payload);
}

describe("the test's own HMAC", () => {
  it("matches GitHub's documented test vector", () => {
    expect(sign("Hello, World!")).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
  });
});

describe("POST /webhooks/github", () => {
  it("records a deployment, then folds its deployment_status into the same release", async () => {
    const created = await github("deployment", fixture("deployment.created.json"));
    const first = await json(created);
    expect(created.status).toBe(201);
    expect(first).toMatchObject({ status: "created", event: "deployment" });

    const [release] = await releases();
    expect(release).toMatchObject({
      id: first.release_id,
      key: "github:186853002:deployment:145988746",
      source: "github",
      status: "queued",
      environment: "production",
      repository: "Codertocat/Hello-World",
      commit: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
      ref: "master",
      started_at: "2019-05-15T15:20:53.000Z",
      person: "Codertocat",
      packages: [{ name: "Hello-World", version: "f95f852" }],
    });
    expect(release?.inferred).toMatchObject({ person: "ci.actor", "packages[0].name": "repository" });

    const status = await github("deployment_status", fixture("deployment_status.created.success.json"));
    expect(status.status).toBe(200);
    expect(await json(status)).toMatchObject({ status: "updated", release_id: first.release_id });
    const after = await releases();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: first.release_id,
      status: "succeeded",
      finished_at: "2019-05-15T15:20:55.000Z",
      duration_ms: 2000,
      packages: [{ name: "Hello-World", version: "f95f852", status: "succeeded" }],
    });
    const current = await json(h.request("/api/packages/Hello-World/current?environment=production"));
    expect(current).toMatchObject({ version: "f95f852", release_id: first.release_id });
  });

  it("converges when the status arrives before the deployment: a terminal status is not reverted", async () => {
    expect(
      (await github("deployment_status", fixture("deployment_status.created.success.json"))).status,
    ).toBe(201);
    expect((await github("deployment", fixture("deployment.created.json"))).status).toBe(200);
    const list = await releases();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: "succeeded", finished_at: "2019-05-15T15:20:55.000Z" });
  });

  it("acknowledges a redelivery of a processed delivery id and changes nothing", async () => {
    const body = fixture("deployment.created.json");
    const first = await json(github("deployment", body, { delivery: "redelivered-1" }));
    const before = await json(h.request(`/api/releases/${first.release_id}`));
    clock = new Date("2026-03-01T12:05:00.000Z");
    const again = await github("deployment", body, { delivery: "redelivered-1" });
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({
      status: "duplicate",
      release_id: first.release_id,
      message: expect.stringContaining(`delivery ${first.delivery}`),
    });
    expect(await json(h.request(`/api/releases/${first.release_id}`))).toEqual(before);
    const log = await deliveries();
    expect(log.map((d) => d.outcome)).toEqual(["duplicate", "created"]);
    expect(log.every((d) => d.delivery_id === "redelivered-1")).toBe(true);
  });

  it("processes one of several simultaneous copies of a delivery; the others are duplicates", async () => {
    const body = fixture("deployment.created.json");
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => github("deployment", body, { delivery: "burst" }).then(json)),
    );
    const outcomes = answers.map((answer) => answer.status).sort();
    expect(outcomes).toEqual(["created", "duplicate", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect(new Set(answers.map((answer) => answer.release_id)).size).toBe(1);
    expect(await releases()).toHaveLength(1);
  });

  it("accepts GitHub's form encoding (payload=…), signed as sent", async () => {
    const body = new URLSearchParams({ payload: fixture("deployment.created.json") }).toString();
    const res = await github("deployment", body, { contentType: "application/x-www-form-urlencoded" });
    expect(res.status).toBe(201);
    expect((await releases())[0]).toMatchObject({
      environment: "production",
      repository: "Codertocat/Hello-World",
    });
  });

  it("answers ping with 200 and logs it", async () => {
    const ping = JSON.stringify({
      zen: "Keep it logically awesome.",
      hook_id: 292430182,
      hook: { type: "Repository" },
    });
    const res = await github("ping", ping);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: "ping", message: expect.stringContaining("292430182") });
    expect(await releases()).toHaveLength(0);
    expect((await deliveries())[0]).toMatchObject({ outcome: "ping", event: "ping" });
  });

  it("answers events Sponge does not use with 202 and a reason", async () => {
    for (const [event, name] of [
      ["push", "push.json"],
      ["release", "release.published.json"],
      ["workflow_job", "workflow_job.completed.success.json"],
    ] as const) {
      const res = await github(event, fixture(name));
      expect(res.status, event).toBe(202);
      expect(await json(res)).toMatchObject({ status: "ignored", reason: expect.stringContaining(event) });
    }
    expect(await releases()).toHaveLength(0);
    expect((await deliveries("?outcome=ignored")).length).toBe(3);
  });

  it("never answers 500 for any @octokit/webhooks-examples payload", async () => {
    const require = createRequire(import.meta.url);
    const examples = z
      .array(z.object({ name: z.string(), examples: z.array(z.unknown()) }))
      .parse(require("@octokit/webhooks-examples"));
    const statuses = new Set<number>();
    let sent = 0;
    for (const definition of examples) {
      for (const example of definition.examples.slice(0, 2)) {
        const res = await github(definition.name, JSON.stringify(example));
        statuses.add(res.status);
        expect([200, 201, 202], `${definition.name}: ${res.status}`).toContain(res.status);
        sent += 1;
      }
    }
    expect(sent).toBeGreaterThan(100);
    expect(statuses).toEqual(new Set([200, 201, 202]));
  });

  it("records workflow_run only for workflows configured as deployments", async () => {
    const res = await github("workflow_run", fixture("workflow_run.completed.json"));
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ reason: expect.stringContaining("deployWorkflows") });

    const configured = await harness({
      config: { webhooks: WEBHOOKS, sponge: parseConfig({ github: { deployWorkflows: ["test"] } }) },
    });
    try {
      const recorded = await github("workflow_run", fixture("workflow_run.completed.json"), {
        target: configured,
      });
      expect(recorded.status).toBe(201);
      const [release] = await releases(configured);
      expect(release).toMatchObject({
        source: "github",
        status: "succeeded",
        repository: "octo-org/octo-repo",
        environment: "production",
        ci: { workflow: "test", run_attempt: 1 },
      });
    } finally {
      await configured.close();
    }
  });

  it("refuses malformed JSON with 400 and a body that is not an object with 422, and logs both as errors", async () => {
    const malformed = await github("deployment", '{"deployment": ');
    expect(malformed.status).toBe(400);
    expect(await json(malformed)).toMatchObject({ error: { code: "bad_request" } });
    const array = await github("deployment", "[1, 2]");
    expect(array.status).toBe(422);
    const form = await github("deployment", "nothing=here", {
      contentType: "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(400);
    const xml = await github("deployment", "<deployment/>", { contentType: "application/xml" });
    expect(xml.status).toBe(415);
    expect(await releases()).toHaveLength(0);
    const log = await deliveries("?outcome=error");
    expect(log).toHaveLength(4);
    expect(log.map((d) => d.message)).toEqual([
      expect.stringMatching(/^415 /),
      expect.stringMatching(/^400 /),
      expect.stringMatching(/^422 /),
      expect.stringMatching(/^400 bad_request: malformed JSON/),
    ]);
  });

  it("logs a delivery the release writer refuses (a time far ahead of the clock) as an error to replay", async () => {
    const ahead = edited("deployment.created.json", "deployment", {
      created_at: "2099-01-01T00:00:00Z",
      updated_at: "2099-01-01T00:00:00Z",
    });
    const res = await github("deployment", ahead, { delivery: "from-the-future" });
    expect(res.status).toBe(422);
    expect(await json(res)).toMatchObject({
      error: {
        code: "invalid_field",
        details: [{ field: "started_at" }, { field: "packages.0.started_at" }],
      },
    });
    expect(await releases()).toHaveLength(0);
    const [logged] = await deliveries("?outcome=error");
    expect(logged).toMatchObject({
      delivery_id: "from-the-future",
      message: expect.stringMatching(/^422 invalid_field: /),
    });
  });

  it("lets an errored delivery id through again once it is fixed", async () => {
    expect((await github("deployment", "{", { delivery: "retry-me" })).status).toBe(400);
    expect(
      (await github("deployment", fixture("deployment.created.json"), { delivery: "retry-me" })).status,
    ).toBe(201);
  });
});

describe("GitHub signatures", () => {
  const body = () => fixture("deployment.created.json");
  const refusals: Array<[string, () => { body: string; signature: string | null }]> = [
    ["no signature", () => ({ body: body(), signature: null })],
    ["a signature made with another secret", () => ({ body: body(), signature: sign(body(), "guess") })],
    ["a signature of another body", () => ({ body: body(), signature: sign("{}") })],
    [
      "a legacy sha1 signature only",
      () => ({ body: body(), signature: "sha1=7d38cdd689735b008b3c702edd92eea23791c5f6" }),
    ],
    [
      "a tampered body",
      () => ({ body: body().replace('"production"', '"staging"'), signature: sign(body()) }),
    ],
  ];

  it.each(refusals)("refuses %s with 401 and stores nothing", async (_name, make) => {
    const delivery = make();
    const res = await github("deployment", delivery.body, { signature: delivery.signature });
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ error: { code: "unauthorized" } });
    expect(await releases()).toHaveLength(0);
    expect(await deliveries()).toHaveLength(0);
  });

  it("holds at most four bodies' worth of unverified bytes at once, answering 503 past it", async () => {
    const small = await harness({ config: { webhooks: WEBHOOKS, maxWebhookBytes: 1000 } });
    try {
      // Bodies that send `size` bytes and then stall, as a slow or hostile client would.
      const gates: (() => void)[] = [];
      const send = (size: number) =>
        small.request("/webhooks/github", {
          method: "POST",
          token: null,
          headers: {
            "x-github-event": "ping",
            "x-hub-signature-256": sign("nothing"),
            "content-type": "application/json",
          },
          body: new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode("x".repeat(size)));
              gates.push(() => controller.close());
            },
          }),
          duplex: "half",
        } as RequestInit);
      const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
      const held = [send(900), send(900), send(900), send(900)];
      await settle();
      const fifth = await send(900);
      expect(fifth.status).toBe(503);
      expect(fifth.headers.get("retry-after")).toBe("1");
      // An ordinary delivery, within the first 1/25 of a body, has room of its own and is still read.
      const ping = '{"zen":"Hi.","hook_id":1}';
      const delivered = await small.request("/webhooks/github", {
        method: "POST",
        token: null,
        headers: {
          "x-github-event": "ping",
          "x-hub-signature-256": sign(ping),
          "content-type": "application/json",
        },
        body: ping,
      });
      expect(delivered.status).toBe(200);
      for (const open of gates.slice(0, 4)) open();
      expect((await Promise.all(held)).map((res) => res.status)).toEqual([401, 401, 401, 401]);
      // Given back once checked: the next one is read (and refused for its signature, not for room).
      const later = send(900);
      await settle();
      gates.at(-1)?.();
      expect((await later).status).toBe(401);

      // Many small stalled bodies are bounded too: 32 of the first 40 bytes fit, the 33rd does not.
      const opened = gates.length;
      const many = Array.from({ length: 32 }, () => send(40));
      await settle();
      expect((await send(40)).status).toBe(503);
      for (const open of gates.slice(opened, opened + 32)) open();
      expect(new Set((await Promise.all(many)).map((res) => res.status))).toEqual(new Set([401]));
    } finally {
      await small.close();
    }
  });

  it("refuses an empty body even with the signature of an empty string", async () => {
    const res = await github("ping", "", { signature: sign("") });
    expect(res.status).toBe(401);
    expect(await deliveries()).toHaveLength(0);
  });

  it("refuses unsigned deliveries when no secret is configured and the receiver is not open", async () => {
    const unsecured = await harness({ config: { webhooks: {} } });
    try {
      const res = await github("deployment", fixture("deployment.created.json"), { target: unsecured });
      expect(res.status).toBe(401);
      expect((await json(res)).error.message).toContain("SPONGE_GITHUB_WEBHOOK_SECRET");
      expect(await releases(unsecured)).toHaveLength(0);
    } finally {
      await unsecured.close();
    }
  });

  it("counts refused deliveries in the Prometheus metrics", async () => {
    await github("deployment", fixture("deployment.created.json"), { signature: null });
    await github("deployment", fixture("deployment.created.json"));
    const metrics = await (await h.request("/metrics")).text();
    expect(metrics).toContain('sponge_webhook_deliveries_total{provider="github",outcome="refused"} 1');
    expect(metrics).toContain('sponge_webhook_deliveries_total{provider="github",outcome="created"} 1');
  });
});

describe("a deployment made by a workflow run that also runs the Sponge action", () => {
  const RUN = "289782451";
  const actionRelease = (attempt = 1) => ({
    key: `github-action:Codertocat/Hello-World:${RUN}:${attempt}:deploy:hello:github-pages`,
    source: "github-action",
    environment: "github-pages",
    repository: "Codertocat/Hello-World",
    commit: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
    packages: [{ name: "hello", version: "1.4.0" }],
    person: "octocat",
    ci: { provider: "github", run_id: RUN, run_attempt: attempt, job: "deploy", actor: "octocat" },
  });
  const successStatus = () =>
    edited("deployment_status.created.in_progress.json", "deployment_status", {
      state: "success",
      created_at: "2022-01-03T01:30:00Z",
    });

  it("folds into the action's release when the action recorded first: one release", async () => {
    const posted = await h.request("/api/releases", { method: "POST", json: actionRelease() });
    expect(posted.status).toBe(201);
    const action = await json(posted);

    const deployment = await github("deployment", fixture("deployment.created.github-pages.json"));
    expect(deployment.status).toBe(200);
    expect(await json(deployment)).toMatchObject({ status: "updated", release_id: action.id });
    const running = await github("deployment_status", fixture("deployment_status.created.in_progress.json"));
    expect(await json(running)).toMatchObject({ status: "updated", release_id: action.id });
    expect((await releases())[0]?.status).toBe("running");
    const done = await github("deployment_status", successStatus());
    expect(await json(done)).toMatchObject({ status: "updated", release_id: action.id });

    const list = await releases();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: action.id,
      key: actionRelease().key,
      source: "github-action",
      status: "succeeded",
      finished_at: "2022-01-03T01:30:00.000Z",
      person: "octocat",
      packages: [{ name: "hello", version: "1.4.0", status: "succeeded" }],
      metadata: { github_deployment_key: "github:186853002:deployment:145988746" },
      ci: { run_id: RUN, job: "deploy", deployment_id: "145988746", workflow: "pages build and deployment" },
    });
  });

  it("the action adopts the release a deployment webhook recorded first: one release either way", async () => {
    const early = await json(github("deployment", fixture("deployment.created.github-pages.json")));
    expect(early.status).toBe("created");
    const adopted = await h.request("/api/releases", { method: "POST", json: actionRelease() });
    expect(adopted.status).toBe(200);
    const action = await json(adopted);
    expect(action).toMatchObject({
      id: early.release_id,
      key: actionRelease().key,
      source: "github-action",
      person: "octocat",
      metadata: { github_deployment_key: "github:186853002:deployment:145988746" },
    });
    expect(await releases()).toHaveLength(1);

    const done = await json(github("deployment_status", successStatus()));
    expect(done).toMatchObject({ status: "updated", release_id: action.id });
    const list = await releases();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: action.id,
      status: "succeeded",
      source: "github-action",
      packages: [{ name: "hello", version: "1.4.0", status: "succeeded" }],
    });
    expect((await deliveries()).map((d) => d.release_id)).toEqual([action.id, action.id]);
    const packages = await json(h.request("/api/packages"));
    expect(JSON.stringify(packages)).not.toContain('"Hello-World"');
  });

  it("picks the re-run attempt the webhook names", async () => {
    const first = await json(h.request("/api/releases", { method: "POST", json: actionRelease(1) }));
    const second = await json(h.request("/api/releases", { method: "POST", json: actionRelease(2) }));
    const body = edited("deployment.created.github-pages.json", "workflow_run", { run_attempt: 2 });
    expect(await json(github("deployment", body))).toMatchObject({ release_id: second.id });
    const byId = new Map((await releases()).map((r) => [r.id, r]));
    expect(byId.get(first.id)?.metadata).not.toHaveProperty("github_deployment_key");
    expect(byId.get(second.id)?.metadata).toHaveProperty("github_deployment_key");
  });

  it("does not fold a re-run's deployment into the earlier attempt's release; that attempt's action adopts it", async () => {
    const first = await json(h.request("/api/releases", { method: "POST", json: actionRelease(1) }));
    await h.request(`/api/releases/${first.id}/finish`, { method: "POST", json: {} });
    const rerun = edited("deployment.created.github-pages.json", "workflow_run", { run_attempt: 2 });
    const deployment = await json(github("deployment", rerun));
    expect(deployment).toMatchObject({ status: "created" });
    expect(deployment.release_id).not.toBe(first.id);
    const second = await json(h.request("/api/releases", { method: "POST", json: actionRelease(2) }));
    expect(second.id).toBe(deployment.release_id);
    const byId = new Map((await releases()).map((r) => [r.id, r]));
    expect(byId.size).toBe(2);
    expect(byId.get(first.id)).toMatchObject({ status: "succeeded", metadata: {} });
    expect(byId.get(first.id)?.metadata).not.toHaveProperty("github_deployment_key");
  });

  it("does not fold into another environment's or another run's release", async () => {
    await h.request("/api/releases", {
      method: "POST",
      json: { ...actionRelease(), key: "other-env", environment: "staging" },
    });
    await h.request("/api/releases", {
      method: "POST",
      json: { ...actionRelease(), key: "other-run", ci: { ...actionRelease().ci, run_id: "1" } },
    });
    const res = await github("deployment", fixture("deployment.created.github-pages.json"));
    expect(res.status).toBe(201);
    expect(await releases()).toHaveLength(3);
  });

  it("finds the action's release through the releases_by_run index", async () => {
    const plan = await h.store.reader.all<{ detail: string }>(
      `EXPLAIN QUERY PLAN SELECT seq, doc FROM releases
       WHERE repository = ? AND json_extract(doc, '$.ci.run_id') = ? AND source = 'github-action' ORDER BY seq`,
      ["Codertocat/Hello-World", RUN],
    );
    expect(plan.map((row) => row.detail).join("\n")).toContain("releases_by_run");
  });
});

describe("the delivery log", () => {
  it("forgets deliveries past the retention, in batches, and keeps the releases they made", async () => {
    const push = fixture("push.json");
    for (let i = 0; i < 3; i++) expect((await github("push", push)).status).toBe(202);
    clock = new Date("2026-03-20T12:00:00.000Z");
    expect((await github("deployment", fixture("deployment.created.json"))).status).toBe(201);
    clock = new Date("2026-04-05T12:00:00.000Z");
    expect((await github("push", push)).status).toBe(202);

    expect(await pruneOldDeliveries(h.store, clock, 0)).toBe(0);
    expect(await deliveries()).toHaveLength(5);
    // 30 days back from April 5th: the three of March 1st go, March 20th and April 5th stay.
    expect(await pruneOldDeliveries(h.store, clock, 30 * 86_400_000, 2)).toBe(3);
    expect((await deliveries()).map((d) => d.event)).toEqual(["push", "deployment"]);
    expect(await releases()).toHaveLength(1);
    clock = new Date("2026-06-01T12:00:00.000Z");
    expect(await pruneOldDeliveries(h.store, clock, 30 * 86_400_000)).toBe(2);
    expect(await deliveries()).toEqual([]);
    expect(await releases()).toHaveLength(1);
  });

  it("is admin-only", async () => {
    expect((await h.request("/api/deliveries", { token: null })).status).toBe(401);
    expect((await h.request("/api/deliveries", { token: WRITE_TOKEN })).status).toBe(403);
    expect((await h.request("/api/deliveries/1/replay", { method: "POST", token: WRITE_TOKEN })).status).toBe(
      403,
    );
  });

  it("keeps headers without secrets, and the body for replays", async () => {
    const body = fixture("deployment.created.json");
    const res = await h.request("/webhooks/github", {
      method: "POST",
      token: null,
      headers: {
        "content-type": "application/json",
        "x-github-event": "deployment",
        "x-github-delivery": "d-1",
        "x-hub-signature-256": sign(body),
        "x-hub-signature": "sha1=0000",
        cookie: "session=abc",
        "x-proxy-token": "hidden",
      },
      body,
    });
    const receipt = await json(res);
    const stored = await json(h.request(`/api/deliveries/${receipt.delivery}`, { token: ADMIN_TOKEN }));
    expect(stored).toMatchObject({
      id: receipt.delivery,
      provider: "github",
      delivery_id: "d-1",
      event: "deployment",
      outcome: "created",
      release_id: receipt.release_id,
      received_at: "2026-03-01T12:00:00.000Z",
      body,
    });
    expect(Object.keys(stored.headers).sort()).toEqual([
      "content-type",
      "x-github-delivery",
      "x-github-event",
    ]);
    expect(JSON.stringify(stored)).not.toContain(sign(body).slice(7));
  });

  it("filters by provider and outcome and pages with a cursor", async () => {
    for (let i = 0; i < 5; i++) await github("push", fixture("push.json"));
    await github("deployment", fixture("deployment.created.json"));
    const page1 = await json(
      h.request("/api/deliveries?provider=github&outcome=ignored&limit=2", { token: ADMIN_TOKEN }),
    );
    expect(page1.deliveries).toHaveLength(2);
    expect(page1.next_cursor).toEqual(expect.any(String));
    const page2 = await json(
      h.request(`/api/deliveries?provider=github&outcome=ignored&limit=2&cursor=${page1.next_cursor}`, {
        token: ADMIN_TOKEN,
      }),
    );
    const page3 = await json(
      h.request(`/api/deliveries?provider=github&outcome=ignored&limit=2&cursor=${page2.next_cursor}`, {
        token: ADMIN_TOKEN,
      }),
    );
    const ids = [...page1.deliveries, ...page2.deliveries, ...page3.deliveries].map(
      (d: { id: number }) => d.id,
    );
    expect(ids).toEqual([5, 4, 3, 2, 1]);
    expect(page3.next_cursor).toBeNull();
    expect(await deliveries("?provider=gitlab")).toHaveLength(0);
    expect(await deliveries("?outcome=created")).toHaveLength(1);
    const bad = await h.request("/api/deliveries?provider=svn&limit=0", { token: ADMIN_TOKEN });
    expect(bad.status).toBe(422);
    expect((await json(bad)).error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      "limit",
      "provider",
    ]);
  });

  it("replays a stored delivery after a config change; the result merges by key", async () => {
    const dir = h.dir;
    const url = `file:${dir}/replay.db`;
    const open = async (deployWorkflows: string[]) => {
      const store = await Store.open({ url, synchronous: "NORMAL" });
      const config = receiverConfig({
        auth: { tokens: [{ scope: "admin", token: ADMIN_TOKEN }], webhookSecrets: true, publicRead: true },
        webhooks: WEBHOOKS,
        sponge: parseConfig({ github: { deployWorkflows } }),
      });
      return { store, app: createApp({ store, config, logError: () => {} }).app };
    };
    const before = await open([]);
    const body = fixture("workflow_run.completed.json");
    const ignored = await before.app.request("/webhooks/github", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "workflow_run",
        "x-github-delivery": "run-1",
        "x-hub-signature-256": sign(body),
      },
      body,
    });
    expect(ignored.status).toBe(202);
    const { delivery } = await json(ignored);
    await before.store.close();

    const after = await open(["test"]);
    try {
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const replayed = await after.app.request(`/api/deliveries/${delivery}/replay`, {
        method: "POST",
        headers: admin,
      });
      expect(replayed.status).toBe(201);
      const receipt = await json(replayed);
      expect(receipt).toMatchObject({ status: "created", replay_of: delivery, delivery_id: "run-1" });
      const again = await json(
        after.app.request(`/api/deliveries/${delivery}/replay`, { method: "POST", headers: admin }),
      );
      expect(again).toMatchObject({ status: "updated", release_id: receipt.release_id, replay_of: delivery });
      const viaReplayRow = await json(
        after.app.request(`/api/deliveries/${receipt.delivery}/replay`, { method: "POST", headers: admin }),
      );
      expect(viaReplayRow).toMatchObject({ replay_of: delivery, release_id: receipt.release_id });
      const list = await json(after.app.request("/api/releases"));
      expect(list.releases).toHaveLength(1);
      const missing = await after.app.request("/api/deliveries/999/replay", {
        method: "POST",
        headers: admin,
      });
      expect(missing.status).toBe(404);
    } finally {
      await after.store.close();
    }
  });

  it("replays the original when asked to replay a duplicate", async () => {
    const body = fixture("deployment.created.json");
    const first = await json(github("deployment", body, { delivery: "same" }));
    const duplicate = await json(github("deployment", body, { delivery: "same" }));
    const replay = await json(
      h.request(`/api/deliveries/${duplicate.delivery}/replay`, { method: "POST", token: ADMIN_TOKEN }),
    );
    expect(replay).toMatchObject({
      status: "updated",
      replay_of: first.delivery,
      release_id: first.release_id,
    });
  });
});

describe("webhook bodies", () => {
  it("refuses a body over maxWebhookBytes with 413 and stores nothing", async () => {
    const small = await harness({ config: { webhooks: WEBHOOKS, maxWebhookBytes: 1024 } });
    try {
      const body = fixture("deployment.created.json");
      expect(body.length).toBeGreaterThan(1024);
      const res = await github("deployment", body, { target: small });
      expect(res.status).toBe(413);
      expect(res.headers.get("connection")).toBe("close");
      const log = await json(small.request("/api/deliveries", { token: ADMIN_TOKEN }));
      expect(log.deliveries).toHaveLength(0);
    } finally {
      await small.close();
    }
  });

  it("checks credentials before reading the body", async () => {
    let pulled = false;
    // highWaterMark 0: the stream is pulled only when someone reads the body.
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.enqueue(new TextEncoder().encode("{}"));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const res = await h.app.request("/webhooks/gitlab", {
      method: "POST",
      headers: { "x-gitlab-event": "Deployment Hook", "x-gitlab-token": "wrong" },
      body: stream,
      duplex: "half",
    });
    expect(res.status).toBe(401);
    expect(pulled).toBe(false);
  });

  it("documents every webhook and delivery route in the OpenAPI document", async () => {
    const doc = await json(h.request("/api/openapi.json"));
    for (const path of [
      "/webhooks/github",
      "/webhooks/gitlab",
      "/webhooks/jenkins",
      "/webhooks/cdevents",
      "/api/deliveries",
      "/api/deliveries/{id}",
      "/api/deliveries/{id}/replay",
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});
