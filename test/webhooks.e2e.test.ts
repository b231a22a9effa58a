import { createHmac } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type ReceiverProcess, ROOT, startReceiver, tempDatabase } from "./support/receiver-process.js";

const FIXTURES = join(ROOT, "../shared/fixtures");
const ADMIN = "e2e-admin-token-123";
const WRITE = "e2e-write-token-123";
const SECRETS = {
  SPONGE_GITHUB_WEBHOOK_SECRET: "e2e github secret",
  SPONGE_GITLAB_WEBHOOK_TOKEN: "e2e-gitlab-token",
  SPONGE_JENKINS_TOKEN: "e2e-jenkins-token",
  SPONGE_CDEVENTS_TOKEN: "e2e-cdevents-token",
};

const db = tempDatabase();
const configPath = join(db.dir, "sponge.config.json");
const running: ReceiverProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((receiver) => receiver.kill()));
  rmSync(db.dir, { recursive: true, force: true });
});

async function start(deployWorkflows: string[]): Promise<ReceiverProcess> {
  writeFileSync(configPath, JSON.stringify({ github: { deployWorkflows } }));
  const receiver = await startReceiver({
    SPONGE_DATABASE_URL: db.url,
    SPONGE_TOKENS: `admin:${ADMIN},write:${WRITE}`,
    SPONGE_CONFIG: configPath,
    ...SECRETS,
  });
  running.push(receiver);
  return receiver;
}

const raw = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const object = z.record(z.string(), z.unknown());
const receipt = z.looseObject({
  status: z.string(),
  delivery: z.number(),
  release_id: z.string().nullable(),
});
const releaseList = z.object({
  releases: z.array(
    z.looseObject({ id: z.string(), key: z.string().nullable(), status: z.string(), source: z.string() }),
  ),
});

/** A GitHub delivery as GitHub sends it: HMAC-SHA256 of the raw body with the hook's secret. */
function github(
  url: string,
  event: string,
  body: string,
  delivery: string,
  secret = SECRETS.SPONGE_GITHUB_WEBHOOK_SECRET,
) {
  return fetch(`${url}/webhooks/github`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/e2e",
      "x-github-event": event,
      "x-github-delivery": delivery,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
    body,
  });
}

async function releases(url: string) {
  return releaseList.parse(await (await fetch(`${url}/api/releases?limit=500`)).json()).releases;
}

async function deliveries(url: string) {
  const res = await fetch(`${url}/api/deliveries?limit=500`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  expect(res.status).toBe(200);
  return z
    .object({ deliveries: z.array(z.looseObject({ id: z.number(), outcome: z.string(), headers: object })) })
    .parse(await res.json()).deliveries;
}

describe("webhooks over HTTP, against the receiver process", () => {
  it("records every provider's deliveries, folds the action's job, refuses bad credentials, replays after a config change", async () => {
    const first = await start([]);

    // The action records the job first; the deployment its workflow run made folds into that release.
    const action = await fetch(`${first.url}/api/releases`, {
      method: "POST",
      headers: { authorization: `Bearer ${WRITE}`, "content-type": "application/json" },
      body: JSON.stringify({
        key: "github-action:Codertocat/Hello-World:289782451:1:deploy:hello:github-pages",
        source: "github-action",
        environment: "github-pages",
        repository: "Codertocat/Hello-World",
        packages: ["hello@2.0.0"],
        ci: { provider: "github", run_id: "289782451", run_attempt: 1, job: "deploy" },
      }),
    });
    expect(action.status).toBe(201);
    const actionId = z.object({ id: z.string() }).parse(await action.json()).id;
    const folded = await github(
      first.url,
      "deployment",
      raw("github/deployment.created.github-pages.json"),
      "g-1",
    );
    expect(folded.status).toBe(200);
    expect(receipt.parse(await folded.json())).toMatchObject({ status: "updated", release_id: actionId });
    const progress = await github(
      first.url,
      "deployment_status",
      raw("github/deployment_status.created.in_progress.json"),
      "g-2",
    );
    expect(receipt.parse(await progress.json()).release_id).toBe(actionId);

    // A plain deployment and its status, the status first: one succeeded release.
    expect(
      (
        await github(
          first.url,
          "deployment_status",
          raw("github/deployment_status.created.success.json"),
          "g-3",
        )
      ).status,
    ).toBe(201);
    expect((await github(first.url, "deployment", raw("github/deployment.created.json"), "g-4")).status).toBe(
      200,
    );
    const redelivered = await github(first.url, "deployment", raw("github/deployment.created.json"), "g-4");
    expect(receipt.parse(await redelivered.json()).status).toBe("duplicate");

    const forged = await github(
      first.url,
      "deployment",
      raw("github/deployment.created.json"),
      "g-5",
      "not the secret",
    );
    expect(forged.status).toBe(401);

    const gitlab = await fetch(`${first.url}/webhooks/gitlab`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-gitlab-event": "Deployment Hook",
        "x-gitlab-token": SECRETS.SPONGE_GITLAB_WEBHOOK_TOKEN,
        "idempotency-key": "gl-1",
      },
      body: raw("gitlab/deployment.success.json"),
    });
    expect(gitlab.status).toBe(201);
    const badGitlab = await fetch(`${first.url}/webhooks/gitlab`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-gitlab-event": "Deployment Hook",
        "x-gitlab-token": "nope",
      },
      body: raw("gitlab/deployment.success.json"),
    });
    expect(badGitlab.status).toBe(401);

    // The Notification plugin sends the URL's userinfo as Basic credentials; COMPLETED may overtake STARTED.
    const basic = `Basic ${Buffer.from(`jenkins:${SECRETS.SPONGE_JENKINS_TOKEN}`).toString("base64")}`;
    for (const name of ["completed.constructed.json", "started.constructed.json"]) {
      const res = await fetch(`${first.url}/webhooks/jenkins`, {
        method: "POST",
        headers: { "content-type": "application/json;charset=UTF-8", authorization: basic },
        body: raw(`jenkins/${name}`),
      });
      expect(res.status, name).toBeLessThan(300);
    }

    // CDEvents in binary mode, finished before started.
    for (const [name, id] of [
      ["pipelinerun.finished.json", "cd-2"],
      ["pipelinerun.started.json", "cd-1"],
    ] as const) {
      const event = object.parse(JSON.parse(raw(`cdevents/${name}`)));
      const context = z.looseObject({ source: z.string(), type: z.string() }).parse(event.context);
      event.context = { ...context, id };
      const res = await fetch(`${first.url}/webhooks/cdevents`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${SECRETS.SPONGE_CDEVENTS_TOKEN}`,
          "ce-specversion": "1.0",
          "ce-id": id,
          "ce-source": context.source,
          "ce-type": context.type,
        },
        body: JSON.stringify(event),
      });
      expect(res.status, name).toBeLessThan(300);
    }

    const ignored = await github(first.url, "workflow_run", raw("github/workflow_run.completed.json"), "g-6");
    expect(ignored.status).toBe(202);
    const ignoredDelivery = receipt.parse(await ignored.json()).delivery;

    const list = await releases(first.url);
    const byKey = new Map(list.map((release) => [release.key, release]));
    expect(list).toHaveLength(5);
    expect(
      byKey.get("github-action:Codertocat/Hello-World:289782451:1:deploy:hello:github-pages"),
    ).toMatchObject({
      id: actionId,
      status: "running",
      source: "github-action",
    });
    expect(byKey.get("github:186853002:deployment:145988746")).toMatchObject({
      status: "succeeded",
      source: "github",
    });
    expect(byKey.get("gitlab:30:deployment:15")).toMatchObject({
      status: "succeeded",
      environment: "staging",
    });
    expect(byKey.get("jenkins:localhost:8080/asgard:18")).toMatchObject({
      status: "succeeded",
      environment: "staging",
      duration_ms: 93512,
    });
    expect(byKey.get("cdevents:/event/source/123:pipelinerun:mySubject123")).toMatchObject({
      status: "failed",
    });

    const log = await deliveries(first.url);
    expect(log).toHaveLength(11);
    expect(log.filter((d) => d.outcome === "duplicate")).toHaveLength(1);
    const stored = JSON.stringify(log);
    for (const secret of Object.values(SECRETS)) expect(stored).not.toContain(secret);
    expect(stored).not.toContain("x-hub-signature-256");
    expect(first.output()).not.toContain(SECRETS.SPONGE_JENKINS_TOKEN);
    expect(await first.stop()).toBe(0);

    // The same database after a config change: the ignored workflow_run is replayed into a release.
    const second = await start(["test"]);
    const replay = await fetch(`${second.url}/api/deliveries/${ignoredDelivery}/replay`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(replay.status).toBe(201);
    expect(receipt.parse(await replay.json())).toMatchObject({
      status: "created",
      replay_of: ignoredDelivery,
    });
    expect(await releases(second.url)).toHaveLength(6);
    expect(await second.stop()).toBe(0);
  });

  it("answers 413 to a webhook over 25 MiB, before buffering it", async () => {
    const receiver = await startReceiver({ SPONGE_DATABASE_URL: tempDatabase().url, ...SECRETS });
    running.push(receiver);
    const res = await fetch(`${receiver.url}/webhooks/gitlab`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-gitlab-event": "Deployment Hook",
        "x-gitlab-token": SECRETS.SPONGE_GITLAB_WEBHOOK_TOKEN,
      },
      body: `{"pad":"${"x".repeat(26 * 1024 * 1024)}"}`,
    });
    expect(res.status).toBe(413);
    await receiver.stop();
  });

  it("takes unsigned deliveries only in open mode (nothing configured, loopback)", async () => {
    const open = await startReceiver({ SPONGE_DATABASE_URL: tempDatabase().url });
    running.push(open);
    const res = await fetch(`${open.url}/webhooks/github`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "deployment",
        "x-github-delivery": "o-1",
      },
      body: raw("github/deployment.created.json"),
    });
    expect(res.status).toBe(201);
    const proxied = await fetch(`${open.url}/webhooks/github`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "deployment",
        "x-github-delivery": "o-2",
        "x-forwarded-for": "203.0.113.9",
      },
      body: raw("github/deployment.created.json"),
    });
    expect(proxied.status).toBe(401);
    await open.stop();
  });
});
