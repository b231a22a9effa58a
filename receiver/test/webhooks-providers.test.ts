import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Release } from "@sponge/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ADMIN_TOKEN, type Harness, harness, json, READ_TOKEN, WRITE_TOKEN } from "./harness.js";

const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));
const GITLAB_TOKEN = "gitlab-token-0001";
const JENKINS_TOKEN = "p@ss:w/rd-0001";
const CDEVENTS_TOKEN = "cdevents-token-0001";
const WEBHOOKS = { gitlabToken: GITLAB_TOKEN, jenkinsToken: JENKINS_TOKEN, cdeventsToken: CDEVENTS_TOKEN };

const object = z.record(z.string(), z.unknown());
/** A recorded payload, byte for byte. */
const raw = (name: string) => readFileSync(`${FIXTURES}${name}`, "utf8");
/** A recorded payload as an object, to edit a field for events upstream has no example of. */
const parsed = (name: string) => object.parse(JSON.parse(raw(name)));

let h: Harness;
beforeEach(async () => {
  h = await harness({ config: { webhooks: WEBHOOKS }, now: () => new Date("2026-03-01T12:00:00.000Z") });
});
afterEach(async () => {
  await h.close();
});

async function post(path: string, body: string, headers: Record<string, string>) {
  return h.request(path, {
    method: "POST",
    token: null,
    body,
    headers: { "content-type": "application/json", ...headers },
  });
}

async function releases(): Promise<Release[]> {
  return (await json(h.request("/api/releases?limit=500"))).releases;
}

async function deliveryLog(): Promise<Array<{ outcome: string; headers: Record<string, string> }>> {
  return (await json(h.request("/api/deliveries", { token: ADMIN_TOKEN }))).deliveries;
}

describe("POST /webhooks/gitlab", () => {
  const gitlab = (event: string, body: string, headers: Record<string, string> = {}) =>
    post("/webhooks/gitlab", body, {
      "x-gitlab-event": event,
      "x-gitlab-token": GITLAB_TOKEN,
      "user-agent": "GitLab/17.4.0",
      ...headers,
    });
  const deploymentWith = (status: string, at: string) =>
    JSON.stringify({ ...parsed("gitlab/deployment.success.json"), status, status_changed_at: at });

  it("records a Deployment Hook with what GitLab reported", async () => {
    const res = await gitlab("Deployment Hook", raw("gitlab/deployment.success.json"), {
      "idempotency-key": "k-1",
    });
    expect(res.status).toBe(201);
    const [release] = await releases();
    expect(release).toMatchObject({
      key: "gitlab:30:deployment:15",
      source: "gitlab",
      status: "succeeded",
      environment: "staging",
      repository: "root/test-deployment-webhooks",
      commit: "279484c09fbe69ededfced8c1bb6e6d24616b468",
      url: "http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796",
      finished_at: "2021-04-28T19:50:00.000Z",
      person: "root",
      packages: [{ name: "test-deployment-webhooks", version: "279484c", status: "succeeded" }],
      ci: { provider: "gitlab", deployment_id: "15", environment_tier: "staging" },
    });
    expect(release?.inferred).toMatchObject({ person: "ci.actor" });
    const [delivery] = await deliveryLog();
    expect(delivery).toMatchObject({ outcome: "created" });
    expect(delivery?.headers).not.toHaveProperty("x-gitlab-token");
    expect(delivery?.headers["user-agent"]).toBe("GitLab/17.4.0");
  });

  it("de-duplicates retries by Idempotency-Key, else by X-Gitlab-Event-UUID", async () => {
    const body = raw("gitlab/deployment.success.json");
    await gitlab("Deployment Hook", body, { "idempotency-key": "k-1", "x-gitlab-event-uuid": "u-1" });
    const retry = await gitlab("Deployment Hook", body, {
      "idempotency-key": "k-1",
      "x-gitlab-event-uuid": "u-2",
    });
    expect(await json(retry)).toMatchObject({ status: "duplicate", delivery_id: "k-1" });
    await gitlab("Deployment Hook", body, { "x-gitlab-event-uuid": "u-9" });
    const old = await gitlab("Deployment Hook", body, { "x-gitlab-event-uuid": "u-9" });
    expect(await json(old)).toMatchObject({ status: "duplicate", delivery_id: "u-9" });
    expect(await releases()).toHaveLength(1);
  });

  it("converges whatever order running and success arrive in", async () => {
    const running = deploymentWith("running", "2021-04-28 21:45:00 +0200");
    const success = raw("gitlab/deployment.success.json");
    await gitlab("Deployment Hook", success, { "idempotency-key": "a" });
    await gitlab("Deployment Hook", running, { "idempotency-key": "b" });
    const [late] = await releases();
    expect(late).toMatchObject({ status: "succeeded", finished_at: "2021-04-28T19:50:00.000Z" });

    const other = await harness({ config: { webhooks: WEBHOOKS } });
    try {
      for (const [key, body] of [
        ["b", running],
        ["a", success],
      ] as const) {
        await other.request("/webhooks/gitlab", {
          method: "POST",
          token: null,
          body,
          headers: {
            "content-type": "application/json",
            "x-gitlab-event": "Deployment Hook",
            "x-gitlab-token": GITLAB_TOKEN,
            "idempotency-key": key,
          },
        });
      }
      const [inOrder] = (await json(other.request("/api/releases"))).releases;
      expect(inOrder).toMatchObject({
        status: late?.status,
        finished_at: late?.finished_at,
        environment: late?.environment,
        commit: late?.commit,
        key: late?.key,
      });
      expect(inOrder.started_at).toBe("2021-04-28T19:45:00.000Z");
    } finally {
      await other.close();
    }
  });

  it("records a Pipeline Hook per environment a started job deploys to", async () => {
    const withStaging = (status: string) => {
      const pipeline = parsed("gitlab/pipeline.success.json");
      const builds = z.array(object).parse(pipeline.builds);
      pipeline.builds = builds.map((build) => (build.name === "staging" ? { ...build, status } : build));
      return JSON.stringify(pipeline);
    };
    const untouched = await gitlab("Pipeline Hook", raw("gitlab/pipeline.success.json"));
    expect(untouched.status).toBe(202);
    expect(await json(untouched)).toMatchObject({
      status: "ignored",
      reason: expect.stringContaining("pipeline 31"),
    });

    const started = await gitlab("Pipeline Hook", withStaging("running"), { "idempotency-key": "p-1" });
    expect(started.status).toBe(201);
    const done = await gitlab("Pipeline Hook", withStaging("success"), { "idempotency-key": "p-2" });
    expect(done.status).toBe(200);
    const list = await releases();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      status: "succeeded",
      environment: "staging",
      repository: "gitlab-org/gitlab-test",
      commit: "bcbb5ec396a2c0f828686f14fac9b80b780504f2",
      source: "gitlab",
    });
    expect(list[0]?.key).toContain("pipeline:31:staging");
  });

  describe("a retried deploy job", () => {
    /** Pipeline 31 with its staging job (id 379 in the fixture) replaced by `staging`, plus `extra` jobs. */
    const pipelineWith = (staging: Record<string, unknown>, extra: Record<string, unknown>[] = []) => {
      const pipeline = parsed("gitlab/pipeline.success.json");
      const builds = z.array(object).parse(pipeline.builds);
      pipeline.builds = [
        ...builds.map((build) => (build.name === "staging" ? { ...build, ...staging } : build)),
        ...extra,
      ];
      return JSON.stringify(pipeline);
    };
    const first = { id: 379, started_at: "2016-08-12 15:27:00 UTC" };
    const retry = { id: 410, started_at: "2016-08-12 15:40:00 UTC" };
    let delivery = 0;
    const send = (body: string) => gitlab("Pipeline Hook", body, { "idempotency-key": `r-${++delivery}` });
    const byKey = async () => new Map((await releases()).map((release) => [release.key, release]));
    /** The ids of the jobs an attempt is made of. */
    const jobIds = (release: Release | undefined) =>
      z
        .array(z.object({ id: z.string() }))
        .parse(release?.ci?.jobs)
        .map((job) => job.id);
    const KEY = "gitlab:1:pipeline:31:staging";
    /** A second job deploying to staging. */
    const smokeJob = {
      id: 381,
      name: "smoke-staging",
      started_at: "2016-08-12 15:27:30 UTC",
      environment: { name: "staging", action: "start" },
    };

    it("records the retry as the next attempt, with its own outcome and start", async () => {
      expect((await send(pipelineWith({ ...first, status: "running" }))).status).toBe(201);
      const failedFirst = pipelineWith({
        ...first,
        status: "failed",
        finished_at: "2016-08-12 15:28:00 UTC",
      });
      expect((await send(failedFirst)).status).toBe(200);

      // GitLab lists only the latest try: the retried job has a new id.
      const started = await send(pipelineWith({ ...retry, status: "running" }));
      expect(started.status).toBe(201);
      expect(await json(started)).toMatchObject({
        releases: [{ key: `${KEY}:attempt:2`, outcome: "created" }],
      });

      // The first attempt's failure, delivered late, stays with the first attempt.
      expect((await send(failedFirst)).status).toBe(200);
      let stored = await byKey();
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({ status: "running" });

      await send(pipelineWith({ ...retry, status: "success", finished_at: "2016-08-12 15:41:30 UTC" }));
      stored = await byKey();
      expect(stored.size).toBe(2);
      expect(stored.get(KEY)).toMatchObject({
        status: "failed",
        started_at: "2016-08-12T15:27:00.000Z",
        finished_at: "2016-08-12T15:28:00.000Z",
        ci: { run_attempt: 1 },
      });
      expect(jobIds(stored.get(KEY))).toEqual(["379"]);
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({
        status: "succeeded",
        started_at: "2016-08-12T15:40:00.000Z",
        finished_at: "2016-08-12T15:41:30.000Z",
        ci: { run_attempt: 2 },
      });
      expect(jobIds(stored.get(`${KEY}:attempt:2`))).toEqual(["410"]);
    });

    it("keeps a job that starts while the attempt runs in that attempt", async () => {
      const smoke = { ...smokeJob, status: "running" };
      await send(pipelineWith({ ...first, status: "running" }));
      await send(pipelineWith({ ...first, status: "running" }, [smoke]));
      const done = { status: "success", finished_at: "2016-08-12 15:29:00 UTC" };
      await send(pipelineWith({ ...first, ...done }, [{ ...smoke, ...done }]));
      const stored = await byKey();
      expect([...stored.keys()]).toEqual([KEY]);
      expect(stored.get(KEY)).toMatchObject({ status: "succeeded" });
      expect(jobIds(stored.get(KEY))).toEqual(["379", "381"]);
    });

    it("makes a retry of its own job, leaving out a job of the attempt before that had finished", async () => {
      const smoke = { ...smokeJob, status: "success", finished_at: "2016-08-12 15:28:00 UTC" };
      await send(
        pipelineWith({ ...first, status: "failed", finished_at: "2016-08-12 15:28:10 UTC" }, [smoke]),
      );
      // Only the failed job is retried; it waits for a runner before it has a start time.
      await send(pipelineWith({ id: 410, status: "pending", started_at: null }, [smoke]));
      await send(pipelineWith({ ...retry, status: "running" }, [smoke]));
      let stored = await byKey();
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({
        status: "running",
        started_at: "2016-08-12T15:40:00.000Z",
        ci: { run_attempt: 2 },
      });
      expect(jobIds(stored.get(`${KEY}:attempt:2`))).toEqual(["410"]);
      await send(
        pipelineWith({ ...retry, status: "success", finished_at: "2016-08-12 15:41:00 UTC" }, [smoke]),
      );
      stored = await byKey();
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({
        status: "succeeded",
        started_at: "2016-08-12T15:40:00.000Z",
        finished_at: "2016-08-12T15:41:00.000Z",
      });
      expect(stored.get(KEY)).toMatchObject({ status: "failed", started_at: "2016-08-12T15:27:00.000Z" });
    });

    it("sends a late delivery to the attempt its jobs came from, not to a later one that kept them", async () => {
      const migrate = { ...smokeJob, id: 382, name: "migrate-staging" };
      const firstDone = pipelineWith(
        { ...first, status: "success", finished_at: "2016-08-12 15:28:00 UTC" },
        [{ ...migrate, status: "manual", started_at: null }],
      );
      await send(firstDone);
      const started = await send(
        pipelineWith({ ...first, status: "success", finished_at: "2016-08-12 15:28:00 UTC" }, [
          { ...migrate, status: "running", started_at: "2016-08-12 15:35:00 UTC" },
        ]),
      );
      expect(await json(started)).toMatchObject({
        releases: [{ key: `${KEY}:attempt:2`, outcome: "created" }],
      });
      // The first hook again (a redelivery, a replay): it is about job 379 alone, which attempt 1 brought in.
      await send(firstDone);
      let stored = await byKey();
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({ status: "running" });

      await send(
        pipelineWith({ ...first, status: "success", finished_at: "2016-08-12 15:28:00 UTC" }, [
          {
            ...migrate,
            status: "failed",
            started_at: "2016-08-12 15:35:00 UTC",
            finished_at: "2016-08-12 15:36:00 UTC",
          },
        ]),
      );
      stored = await byKey();
      expect(stored.get(KEY)).toMatchObject({ status: "succeeded" });
      expect(jobIds(stored.get(KEY))).toEqual(["379"]);
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({
        status: "failed",
        started_at: "2016-08-12T15:35:00.000Z",
        finished_at: "2016-08-12T15:36:00.000Z",
      });
    });

    it("tells a retry by its job's name, even when it arrives before the first try's failure", async () => {
      await send(pipelineWith({ ...first, status: "running" }));
      // The retry's first event overtakes the failure of the try it replaces.
      const overtaking = await send(pipelineWith({ ...retry, status: "running" }));
      // The first try was retried, so it ended: failed until its real outcome arrives.
      expect(await json(overtaking)).toMatchObject({
        releases: [
          { key: `${KEY}:attempt:2`, outcome: "created" },
          { key: KEY, outcome: "updated" },
        ],
      });
      await send(pipelineWith({ ...first, status: "failed", finished_at: "2016-08-12 15:28:00 UTC" }));
      await send(pipelineWith({ ...retry, status: "success", finished_at: "2016-08-12 15:41:00 UTC" }));
      const stored = await byKey();
      expect(stored.get(KEY)).toMatchObject({ status: "failed", finished_at: "2016-08-12T15:28:00.000Z" });
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({
        status: "succeeded",
        started_at: "2016-08-12T15:40:00.000Z",
        finished_at: "2016-08-12T15:41:00.000Z",
      });
    });

    it("finishes an attempt whose failed job was retried when the job it shares with the retry does", async () => {
      const smoke = (state: Record<string, unknown>) => ({ ...smokeJob, ...state });
      await send(pipelineWith({ ...first, status: "running" }, [smoke({ status: "running" })]));
      await send(
        pipelineWith({ ...first, status: "failed", finished_at: "2016-08-12 15:28:00 UTC" }, [
          smoke({ status: "running" }),
        ]),
      );
      // The failed job is retried while smoke-staging still runs; GitLab now lists the retry and smoke-staging.
      await send(pipelineWith({ ...retry, status: "running" }, [smoke({ status: "running" })]));
      const done = { status: "success", finished_at: "2016-08-12 15:41:00 UTC" };
      await send(
        pipelineWith({ ...retry, ...done }, [smoke({ ...done, finished_at: "2016-08-12 15:29:00 UTC" })]),
      );
      const stored = await byKey();
      expect(stored.get(KEY)).toMatchObject({ status: "failed", finished_at: "2016-08-12T15:29:00.000Z" });
      expect(jobIds(stored.get(KEY))).toEqual(["379", "381"]);
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({
        status: "succeeded",
        started_at: "2016-08-12T15:40:00.000Z",
        finished_at: "2016-08-12T15:41:00.000Z",
      });
      expect(jobIds(stored.get(`${KEY}:attempt:2`))).toEqual(["410", "381"]);
    });

    it("gives a job run after the release finished an attempt of its own, not the earlier jobs' outcome", async () => {
      const rollout = { ...smokeJob, id: 390, name: "rollout-staging" };
      const canaryFailed = { ...first, status: "failed", finished_at: "2016-08-12 15:28:00 UTC" };
      await send(pipelineWith(canaryFailed, [{ ...rollout, status: "manual", started_at: null }]));
      const running = { ...rollout, status: "running", started_at: "2016-08-12 15:50:00 UTC" };
      await send(pipelineWith(canaryFailed, [running]));
      await send(
        pipelineWith(canaryFailed, [
          { ...running, status: "success", finished_at: "2016-08-12 15:52:00 UTC" },
        ]),
      );
      const stored = await byKey();
      expect(stored.get(KEY)).toMatchObject({ status: "failed" });
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({
        status: "succeeded",
        started_at: "2016-08-12T15:50:00.000Z",
        finished_at: "2016-08-12T15:52:00.000Z",
      });
      expect(jobIds(stored.get(`${KEY}:attempt:2`))).toEqual(["390"]);
    });

    it("splits by the jobs' times, whatever order or grouping the hooks come in", async () => {
      const verify = { ...smokeJob, id: 395, name: "verify-staging", started_at: "2016-08-12 15:30:00 UTC" };
      const deployDone = { ...first, status: "success", finished_at: "2016-08-12 15:28:00 UTC" };
      const verifyDone = { ...verify, status: "success", finished_at: "2016-08-12 15:31:00 UTC" };
      // One hook for the pipeline's start, one for its end: the verify job is first seen finished.
      await send(pipelineWith({ ...first, status: "running" }));
      await send(pipelineWith(deployDone, [verifyDone]));
      let stored = await byKey();
      expect([...stored.keys()].sort()).toEqual([KEY, `${KEY}:attempt:2`]);
      expect(stored.get(KEY)).toMatchObject({ status: "succeeded", finished_at: "2016-08-12T15:28:00.000Z" });
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({
        status: "succeeded",
        started_at: "2016-08-12T15:30:00.000Z",
        finished_at: "2016-08-12T15:31:00.000Z",
      });
      // A late report of the deploy job running changes neither its times nor its outcome.
      await send(pipelineWith({ ...first, status: "running", started_at: "2016-08-12 15:29:00 UTC" }));
      stored = await byKey();
      expect(stored.get(KEY)).toMatchObject({
        status: "succeeded",
        started_at: "2016-08-12T15:27:00.000Z",
        finished_at: "2016-08-12T15:28:00.000Z",
      });
    });

    it("ends a try retried before its outcome was reported as failed, until the outcome arrives", async () => {
      const smoke = (state: Record<string, unknown>) => ({ ...smokeJob, ...state });
      await send(pipelineWith({ ...first, status: "running" }, [smoke({ status: "running" })]));
      // No hook between the first try's end and its retry: the pipeline's status never changed.
      const done = { status: "success", finished_at: "2016-08-12 15:41:00 UTC" };
      await send(
        pipelineWith({ ...retry, ...done }, [smoke({ ...done, finished_at: "2016-08-12 15:33:00 UTC" })]),
      );
      let stored = await byKey();
      expect(stored.get(KEY)).toMatchObject({ status: "failed" });
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({ status: "succeeded" });
      expect(jobIds(stored.get(`${KEY}:attempt:2`))).toEqual(["410"]);
      // The first try's real end, delivered late: it had succeeded (someone re-deployed a good job).
      await send(pipelineWith({ ...first, status: "success", finished_at: "2016-08-12 15:30:00 UTC" }));
      stored = await byKey();
      const firstTry = z
        .array(z.object({ id: z.string(), status: z.string(), finished_at: z.string().optional() }))
        .parse(stored.get(KEY)?.ci?.jobs)
        .find((job) => job.id === "379");
      expect(firstTry).toEqual({ id: "379", status: "succeeded", finished_at: "2016-08-12T15:30:00.000Z" });
      expect(stored.get(KEY)).toMatchObject({ status: "succeeded", finished_at: "2016-08-12T15:33:00.000Z" });
    });

    it("dates a guessed failure by what is known of the try, and takes its real finish when it comes", async () => {
      await send(pipelineWith({ ...first, status: "running" }));
      await send(pipelineWith({ ...retry, status: "running" }));
      let stored = await byKey();
      // Not the moment the guess was made: the try ended no earlier than its start, and before its retry.
      expect(stored.get(KEY)).toMatchObject({
        status: "failed",
        started_at: "2016-08-12T15:27:00.000Z",
        finished_at: "2016-08-12T15:27:00.000Z",
      });
      await send(pipelineWith({ ...first, status: "failed", finished_at: "2016-08-12 15:30:00 UTC" }));
      stored = await byKey();
      expect(stored.get(KEY)).toMatchObject({ status: "failed", finished_at: "2016-08-12T15:30:00.000Z" });
    });

    it("ends an earlier try whose events arrive after its retry's, instead of leaving it running", async () => {
      await send(pipelineWith({ ...retry, status: "running" }));
      await send(pipelineWith({ ...first, status: "running" }));
      const stored = await byKey();
      // Numbered in arrival order (documented); the earlier try was retried, so it ended.
      expect(stored.get(KEY)).toMatchObject({ status: "running", started_at: "2016-08-12T15:40:00.000Z" });
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({
        status: "failed",
        started_at: "2016-08-12T15:27:00.000Z",
      });
    });

    it("splits jobs first seen together, in the pipeline's last hook, by their times", async () => {
      const verifyDone = {
        ...smokeJob,
        id: 395,
        name: "verify-staging",
        status: "success",
        started_at: "2016-08-12 15:30:00 UTC",
        finished_at: "2016-08-12 15:31:00 UTC",
      };
      await send(
        pipelineWith({ ...first, status: "success", finished_at: "2016-08-12 15:28:00 UTC" }, [verifyDone]),
      );
      const stored = await byKey();
      expect([...stored.keys()].sort()).toEqual([KEY, `${KEY}:attempt:2`]);
      expect(jobIds(stored.get(KEY))).toEqual(["379"]);
      expect(jobIds(stored.get(`${KEY}:attempt:2`))).toEqual(["395"]);
    });

    it("shares a job with a retry when it was still going as the retry started, whichever hooks came", async () => {
      const smoke = (state: Record<string, unknown>) => ({ ...smokeJob, ...state });
      const failed = { ...first, status: "failed", finished_at: "2016-08-12 15:28:00 UTC" };
      const retried = { ...retry, status: "success", finished_at: "2016-08-12 15:41:00 UTC" };
      const smokeFailed = smoke({ status: "failed", finished_at: "2016-08-12 15:45:00 UTC" });
      await send(pipelineWith(failed, [smoke({ status: "running" })]));
      // No hook while the retry ran: the next one has the retry done and smoke-staging failed after it.
      await send(pipelineWith(retried, [smokeFailed]));
      const stored = await byKey();
      expect(jobIds(stored.get(`${KEY}:attempt:2`))).toEqual(["410", "381"]);
      expect(stored.get(`${KEY}:attempt:2`)).toMatchObject({ status: "failed" });
      expect(stored.get(KEY)).toMatchObject({ status: "failed", finished_at: "2016-08-12T15:45:00.000Z" });
    });

    it("leaves a release recorded before job ids were kept taking every later event", async () => {
      const legacy = await h.request("/api/releases", {
        method: "POST",
        token: WRITE_TOKEN,
        json: { key: KEY, environment: "staging", status: "failed", source: "gitlab" },
      });
      expect(legacy.status).toBe(201);
      expect((await send(pipelineWith({ ...retry, status: "running" }))).status).toBe(200);
      expect([...(await byKey()).keys()]).toEqual([KEY]);
    });
  });

  it("answers other hooks with 202", async () => {
    const res = await gitlab("Push Hook", JSON.stringify({ object_kind: "push", ref: "refs/heads/main" }));
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({
      status: "ignored",
      reason: expect.stringContaining("Push Hook"),
    });
  });

  it("refuses a missing or wrong X-Gitlab-Token with 401 and stores nothing", async () => {
    const body = raw("gitlab/deployment.success.json");
    for (const token of ["", "gitlab-token-0002", "gitlab-token-000", `${GITLAB_TOKEN}1`]) {
      const res = await gitlab("Deployment Hook", body, { "x-gitlab-token": token });
      expect(res.status, JSON.stringify(token)).toBe(401);
    }
    const missing = await h.request("/webhooks/gitlab", {
      method: "POST",
      token: null,
      body,
      headers: { "x-gitlab-event": "Deployment Hook", "content-type": "application/json" },
    });
    expect(missing.status).toBe(401);
    const bearer = await h.request("/webhooks/gitlab", { method: "POST", token: GITLAB_TOKEN, body });
    expect(bearer.status).toBe(401);
    expect(await releases()).toHaveLength(0);
    expect(await deliveryLog()).toHaveLength(0);
  });

  it("refuses a body that is not JSON with 415, and malformed JSON with 400", async () => {
    expect((await gitlab("Deployment Hook", "<xml/>", { "content-type": "application/xml" })).status).toBe(
      415,
    );
    expect((await gitlab("Deployment Hook", "{not json")).status).toBe(400);
    expect((await gitlab("Deployment Hook", '"a string"')).status).toBe(422);
    expect((await deliveryLog()).map((d) => d.outcome)).toEqual(["error", "error", "error"]);
  });
});

describe("POST /webhooks/jenkins", () => {
  /** What the Notification plugin sends for `https://jenkins:<url-encoded token>@host/webhooks/jenkins`. */
  const basic = (password: string) =>
    `Basic ${Buffer.from(`jenkins:${encodeURIComponent(password)}`).toString("base64")}`;
  const jenkins = (body: string, authorization = basic(JENKINS_TOKEN)) =>
    post("/webhooks/jenkins", body, {
      authorization,
      "content-type": "application/json;charset=UTF-8",
    });

  const expected = {
    key: "jenkins:localhost:8080/asgard:18",
    source: "jenkins",
    status: "succeeded",
    environment: "staging",
    repository: "evgeny-goldin/asgard",
    commit: "c6d86dc654b12425e706bcf951adfe5a8627a517",
    url: "http://localhost:8080/job/asgard/18/",
    started_at: "2024-06-10T06:13:20.000Z",
    finished_at: "2024-06-10T06:14:53.512Z",
    duration_ms: 93512,
    person: "evgenyg",
    packages: [{ name: "asgard", version: "c6d86dc", status: "succeeded" }],
  };

  it("follows a build through STARTED, COMPLETED and FINALIZED as one release", async () => {
    const started = await jenkins(raw("jenkins/started.constructed.json"));
    expect(started.status).toBe(201);
    expect(await json(started)).toMatchObject({ event: "STARTED", delivery_id: `${expected.key}#STARTED` });
    expect((await releases())[0]).toMatchObject({
      status: "running",
      started_at: expected.started_at,
      finished_at: null,
      environment: "staging",
    });
    expect((await jenkins(raw("jenkins/completed.constructed.json"))).status).toBe(200);
    expect((await jenkins(raw("jenkins/finalized.constructed.json"))).status).toBe(200);
    const list = await releases();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject(expected);
    expect(list[0]?.ci).toMatchObject({ job: "asgard", run_id: "18", parameters: { DEPLOY_ENV: "staging" } });
  });

  it("converges whatever order the phases arrive in, FINALIZED first included", async () => {
    const orders = [
      ["completed", "started", "finalized"],
      ["finalized", "completed", "started"],
      ["finalized", "started", "completed"],
      ["started", "finalized", "completed"],
    ] as const;
    for (const [i, order] of orders.entries()) {
      for (const phase of order) {
        // A build of its own per order: another number, so another release.
        const body = JSON.parse(raw(`jenkins/${phase}.constructed.json`));
        body.build.number = 100 + i;
        expect((await jenkins(JSON.stringify(body))).status, `${order} ${phase}`).toBeLessThan(300);
      }
    }
    const list = await releases();
    expect(list).toHaveLength(orders.length);
    for (const release of list) {
      expect(release, release.key ?? "").toMatchObject({
        status: "succeeded",
        started_at: expected.started_at,
        finished_at: expected.finished_at,
      });
      expect(release.inferred).not.toHaveProperty("finished_at");
    }
  });

  it("records a failed build, and the plugin's legacy documented example", async () => {
    await jenkins(raw("jenkins/finalized.failure.constructed.json"));
    const [failed] = await releases();
    expect(failed).toMatchObject({
      key: "jenkins:localhost:8080/asgard:19",
      status: "failed",
      environment: "staging",
    });
    const legacy = await jenkins(raw("jenkins/completed.wiki-example.json"));
    expect(legacy.status).toBe(201);
    expect(await releases()).toHaveLength(2);
  });

  it("treats a retried notification as a duplicate", async () => {
    await jenkins(raw("jenkins/completed.constructed.json"));
    const retry = await jenkins(raw("jenkins/completed.constructed.json"));
    expect(await json(retry)).toMatchObject({ status: "duplicate" });
  });

  it("accepts the token as a Bearer token or as the Basic password, raw or percent-encoded", async () => {
    const rawBasic = `Basic ${Buffer.from(`ci:${JENKINS_TOKEN}`).toString("base64")}`;
    expect((await jenkins(raw("jenkins/started.constructed.json"), rawBasic)).status).toBe(201);
    expect((await jenkins(raw("jenkins/completed.constructed.json"), `Bearer ${JENKINS_TOKEN}`)).status).toBe(
      200,
    );
  });

  it("refuses wrong or missing credentials with 401 and stores nothing", async () => {
    const body = raw("jenkins/completed.constructed.json");
    for (const authorization of [
      basic("wrong-password"),
      `Basic ${Buffer.from(JENKINS_TOKEN).toString("base64")}`,
      "Bearer wrong",
      `Token ${JENKINS_TOKEN}`,
      "",
    ]) {
      expect((await jenkins(body, authorization)).status, authorization).toBe(401);
    }
    expect(await releases()).toHaveLength(0);
    expect(await deliveryLog()).toHaveLength(0);
  });

  it("says whether credentials were missing or did not match", async () => {
    const body = raw("jenkins/completed.constructed.json");
    const message = async (authorization: string) => (await json(jenkins(body, authorization))).error.message;
    expect(await message(basic("wrong-password"))).toBe(
      "the HTTP Basic credentials are not valid: the password does not match SPONGE_JENKINS_TOKEN",
    );
    expect(await message("Bearer wrong")).toBe(
      "the Bearer token is not valid: it does not match SPONGE_JENKINS_TOKEN",
    );
    expect(await message("")).toMatch(/^expected HTTP Basic credentials/);
    expect(await message(`Basic ${Buffer.from("no-colon").toString("base64")}`)).toMatch(
      /^expected HTTP Basic credentials/,
    );
  });

  it("without SPONGE_JENKINS_TOKEN, takes a write token like any write route and refuses the rest", async () => {
    const unconfigured = await harness({ config: { webhooks: {} } });
    try {
      const send = (authorization: string) =>
        unconfigured.request("/webhooks/jenkins", {
          method: "POST",
          token: null,
          body: raw("jenkins/started.constructed.json"),
          headers: { "content-type": "application/json", authorization },
        });
      expect((await send(basic(JENKINS_TOKEN))).status).toBe(401);
      const unauthorized = await json(send(""));
      expect(unauthorized.error.message).toContain("SPONGE_JENKINS_TOKEN");
      expect((await send(`Bearer ${READ_TOKEN}`)).status).toBe(403);
      expect((await send(`Bearer ${WRITE_TOKEN}`)).status).toBe(201);
    } finally {
      await unconfigured.close();
    }
  });

  it("never answers 500, even for a timestamp beyond what a date can hold, and logs the delivery", async () => {
    const completed = parsed("jenkins/completed.constructed.json");
    const build = object.parse(completed.build);
    const body = JSON.stringify({ ...completed, build: { ...build, timestamp: 8_640_000_000_000_001 } });
    const res = await jenkins(body);
    expect(res.status).toBeLessThan(500);
    expect(await deliveryLog()).toHaveLength(1);
  });

  it("refuses the plugin's XML format with 415 and ignores unknown phases with 202", async () => {
    const xml = await post("/webhooks/jenkins", "<job/>", {
      authorization: basic(JENKINS_TOKEN),
      "content-type": "application/xml",
    });
    expect(xml.status).toBe(415);
    const odd = { ...parsed("jenkins/started.constructed.json"), build: { phase: "NONE", number: 3 } };
    const res = await jenkins(JSON.stringify(odd));
    expect(res.status).toBe(202);
  });
});

describe("POST /webhooks/cdevents", () => {
  const bearer = { authorization: `Bearer ${CDEVENTS_TOKEN}` };
  /** The CDEvent with a fresh id and timestamp (the conformance examples share one id across types). */
  const cdevent = (name: string, id: string, timestamp?: string) => {
    const event = parsed(`cdevents/${name}`);
    const context = object.parse(event.context);
    event.context = { ...context, id, ...(timestamp ? { timestamp } : {}) };
    return event;
  };
  const structured = (event: Record<string, unknown>) => {
    const context = object.parse(event.context);
    return JSON.stringify({
      specversion: "1.0",
      id: context.id,
      source: context.source,
      type: context.type,
      time: context.timestamp,
      datacontenttype: "application/json",
      data: event,
    });
  };
  const binaryHeaders = (event: Record<string, unknown>) => {
    const context = z.object({ id: z.string(), source: z.string(), type: z.string() }).parse(event.context);
    return {
      "ce-specversion": "1.0",
      "ce-id": context.id,
      "ce-source": context.source,
      "ce-type": context.type,
    };
  };

  it("records service.deployed in structured mode with the package from the artifact purl", async () => {
    const res = await post("/webhooks/cdevents", structured(cdevent("service.deployed.json", "e-1")), {
      ...bearer,
      "content-type": "application/cloudevents+json",
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ event: "dev.cdevents.service.deployed.0.3.0" });
    expect((await releases())[0]).toMatchObject({
      source: "cdevents",
      status: "succeeded",
      environment: "test123",
      finished_at: "2023-03-20T14:27:05.315Z",
      packages: [
        {
          name: "myapp",
          version: "sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427",
          status: "succeeded",
        },
      ],
    });
    const current = await json(h.request("/api/packages/myapp/current?environment=test123"));
    expect(current.version).toBe("sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427");
  });

  it("accepts binary mode and a bare CDEvent, and the released 0.5.1 examples", async () => {
    const binary = cdevent("service.upgraded.json", "e-2");
    expect(
      (await post("/webhooks/cdevents", JSON.stringify(binary), { ...bearer, ...binaryHeaders(binary) }))
        .status,
    ).toBe(201);
    expect(
      (await post("/webhooks/cdevents", raw("cdevents/v0.5.1/service.rolledback.json"), bearer)).status,
    ).toBe(201);
    expect(await releases()).toHaveLength(2);
    const log = await deliveryLog();
    expect(log.map((d) => d.outcome)).toEqual(["created", "created"]);
    expect(log[1]?.headers["ce-id"]).toBe("e-2");
  });

  it("converges when pipelinerun.finished arrives before pipelinerun.started", async () => {
    const finished = cdevent("pipelinerun.finished.json", "run-finished");
    const started = cdevent("pipelinerun.started.json", "run-started", "2023-03-20T14:20:00Z");
    expect((await post("/webhooks/cdevents", JSON.stringify(finished), bearer)).status).toBe(201);
    expect((await post("/webhooks/cdevents", JSON.stringify(started), bearer)).status).toBe(200);
    const list = await releases();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      status: "failed",
      started_at: "2023-03-20T14:20:00.000Z",
      finished_at: "2023-03-20T14:27:05.315Z",
      duration_ms: 425_315,
      ci: { workflow: "myPipeline" },
    });
  });

  it("de-duplicates a redelivered event by id, source and type", async () => {
    const event = JSON.stringify(cdevent("service.deployed.json", "same"));
    await post("/webhooks/cdevents", event, bearer);
    const again = await post("/webhooks/cdevents", event, bearer);
    expect(await json(again)).toMatchObject({
      status: "duplicate",
      delivery_id: "same@/event/source/123#dev.cdevents.service.deployed.0.3.0",
    });
  });

  describe("service.removed", () => {
    const removed = (id: string, timestamp: string, subject = "mySubject123") => {
      const event = cdevent("service.removed.json", id, timestamp);
      event.subject = { ...object.parse(event.subject), id: subject };
      return JSON.stringify(event);
    };
    const deployed = (id: string, timestamp: string, tag: string) => {
      const event = cdevent("service.deployed.json", id, timestamp);
      const subject = object.parse(event.subject);
      event.subject = {
        ...subject,
        content: { ...object.parse(subject.content), artifactId: `pkg:oci/myapp?tag=${tag}` },
      };
      return JSON.stringify(event);
    };
    const current = () => h.request("/api/packages/myapp/current?environment=test123");

    it("takes what the service deployed out of the environment, keeping its history", async () => {
      expect(
        (await post("/webhooks/cdevents", deployed("d-1", "2023-03-20T14:27:05Z", "v1"), bearer)).status,
      ).toBe(201);
      expect((await current()).status).toBe(200);

      const res = await post("/webhooks/cdevents", removed("r-1", "2023-03-20T15:00:00Z"), bearer);
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ status: "updated", removed: ["myapp"], release_id: null });
      const gone = await current();
      expect(gone.status).toBe(404);
      expect((await json(gone)).error.message).toBe(
        '"myapp" was removed from "test123" at 2023-03-20T15:00:00.000Z and has not been deployed there since',
      );
      expect(await json(h.request("/badge/myapp.json?environment=test123"))).toMatchObject({
        message: "removed",
        color: "lightgrey",
      });
      const matrix = await (await h.request("/ui/live/matrix")).text();
      expect(matrix).toMatch(
        /data-package="myapp" data-environment="test123"[^]*removed <time datetime="2023-03-20T15:00:00.000Z"/,
      );
      expect(await releases()).toHaveLength(1);
      expect((await deliveryLog()).map((d) => d.outcome)).toEqual(["updated", "created"]);

      // A deployment that finished before the removal, arriving late, does not bring the package back...
      await post("/webhooks/cdevents", deployed("d-0", "2023-03-20T14:50:00Z", "v0"), bearer);
      expect((await current()).status).toBe(404);
      // ...one that finished after it does.
      await post("/webhooks/cdevents", deployed("d-2", "2023-03-20T16:00:00Z", "v2"), bearer);
      expect(await json(current())).toMatchObject({ version: "v2" });
    });

    it("matches the service by package name too, and leaves a later deployment current", async () => {
      const write = await h.request("/api/releases", {
        method: "POST",
        token: WRITE_TOKEN,
        json: {
          environment: "test123",
          package: "billing",
          version: "3.1.0",
          status: "succeeded",
          finished_at: "2023-03-20T14:00:00Z",
        },
      });
      expect(write.status).toBe(201);
      // Removed before that deployment finished: a late event, nothing changes.
      const late = await post(
        "/webhooks/cdevents",
        removed("r-0", "2023-03-20T13:00:00Z", "billing"),
        bearer,
      );
      expect(await json(late)).toMatchObject({
        status: "ignored",
        reason: expect.stringContaining('"billing"'),
      });
      expect((await h.request("/api/packages/billing/current?environment=test123")).status).toBe(200);

      await post("/webhooks/cdevents", removed("r-2", "2023-03-20T15:00:00Z", "billing"), bearer);
      expect((await h.request("/api/packages/billing/current?environment=test123")).status).toBe(404);
    });

    it("ignores a removal of a service that runs nothing there, with 202", async () => {
      const res = await post("/webhooks/cdevents", raw("cdevents/service.removed.json"), bearer);
      expect(res.status).toBe(202);
      expect(await json(res)).toMatchObject({
        status: "ignored",
        reason: expect.stringContaining("mySubject123"),
      });
    });
  });

  it("refuses batch mode (415), an incomplete binary event (400) and a body that is not a CloudEvent (400)", async () => {
    const event = cdevent("service.deployed.json", "e-9");
    const batch = await post("/webhooks/cdevents", JSON.stringify([event]), {
      ...bearer,
      "content-type": "application/cloudevents-batch+json",
    });
    expect(batch.status).toBe(415);
    const incomplete = await post("/webhooks/cdevents", JSON.stringify(event), { ...bearer, "ce-id": "x" });
    expect(incomplete.status).toBe(400);
    const other = await post("/webhooks/cdevents", JSON.stringify({ hello: "world" }), bearer);
    expect(other.status).toBe(400);
    expect(await releases()).toHaveLength(0);
  });

  it("refuses a wrong, missing or Basic credential with 401", async () => {
    const body = raw("cdevents/service.deployed.json");
    for (const authorization of [
      "Bearer wrong",
      `Basic ${Buffer.from(`u:${CDEVENTS_TOKEN}`).toString("base64")}`,
      "",
    ]) {
      expect((await post("/webhooks/cdevents", body, { authorization })).status, authorization).toBe(401);
    }
    expect(await deliveryLog()).toHaveLength(0);
    const wrong = await json(post("/webhooks/cdevents", body, { authorization: "Bearer wrong" }));
    expect(wrong.error.message).toBe(
      "the Bearer token is not valid: it does not match SPONGE_CDEVENTS_TOKEN",
    );
  });
});

describe("the delivery log", () => {
  it("names the bad parameter of a delivery lookup or replay, and states the page size range", async () => {
    for (const [path, method] of [
      ["/api/deliveries/abc", "GET"],
      ["/api/deliveries/0", "GET"],
      ["/api/deliveries/abc/replay", "POST"],
    ] as const) {
      const res = await h.request(path, { method, token: ADMIN_TOKEN });
      expect(res.status, path).toBe(422);
      expect(await res.json()).toMatchObject({
        error: { details: [{ field: "id", message: "expected a delivery id (a number)" }] },
      });
    }
    const limit = await h.request("/api/deliveries?limit=501", { token: ADMIN_TOKEN });
    expect(limit.status).toBe(422);
    expect(await limit.json()).toMatchObject({
      error: { details: [{ field: "limit", message: "expected a whole number from 1 to 500" }] },
    });
  });
});
