import { parseConfig, releaseInput } from "@sponge/core";
import { describe, expect, it } from "vitest";
import { mapGitLab, WebhookPayloadError } from "../src/index.js";
import { copyOf, readFixture } from "./support/fixtures.js";
import { foldWrites, ignoredReason, onlyRelease, permutations } from "./support/results.js";

const config = parseConfig({});
const deployment = readFixture("gitlab/deployment.success.json");
const pipeline = readFixture("gitlab/pipeline.success.json");

function deploymentVariant(changes: Record<string, unknown>): Record<string, unknown> {
  return { ...copyOf(deployment), ...changes };
}

/** The documented pipeline with some jobs changed (by job name) or added. */
function pipelineVariant(
  jobs: Record<string, Record<string, unknown>>,
  extraJobs: Record<string, unknown>[] = [],
  attributes: Record<string, unknown> = {},
): Record<string, unknown> {
  const body = copyOf(pipeline);
  body.object_attributes = { ...copyOf(body.object_attributes), ...attributes };
  const builds = Array.isArray(body.builds) ? body.builds : [];
  body.builds = [
    ...builds.map((raw) => {
      const build = copyOf(raw);
      const change = jobs[String(build.name)];
      return change === undefined ? build : { ...build, ...change };
    }),
    ...extraJobs,
  ];
  return body;
}

const stagingDone = {
  status: "success",
  started_at: "2016-08-12 15:27:00 UTC",
  finished_at: "2016-08-12 15:28:30 UTC",
};

describe("mapGitLab: Deployment Hook", () => {
  it("records the documented deployment, keyed by project and deployment id", () => {
    expect(mapGitLab("Deployment Hook", deployment, config)).toEqual({
      kind: "release",
      key: "gitlab:30:deployment:15",
      release: {
        key: "gitlab:30:deployment:15",
        source: "gitlab",
        status: "succeeded",
        environment: "staging",
        repository: "root/test-deployment-webhooks",
        // The full sha, read from commit_url (the hook itself only has short_sha "279484c0").
        commit: "279484c09fbe69ededfced8c1bb6e6d24616b468",
        url: "http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796",
        // "2021-04-28 21:50:00 +0200"
        finished_at: "2021-04-28T19:50:00.000Z",
        commits: [{ sha: "279484c09fbe69ededfced8c1bb6e6d24616b468", message: "Add new file" }],
        ci: {
          provider: "gitlab",
          actor: "root",
          event: "deployment",
          run_url: "http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796",
          environment: "staging",
          environment_tier: "staging",
          deployment_id: "15",
          job_id: "796",
        },
      },
    });
  });

  it("dates the start of a running deployment and not its finish", () => {
    const release = onlyRelease(
      mapGitLab("Deployment Hook", deploymentVariant({ status: "running" }), config),
    ).release;
    expect(release.status).toBe("running");
    expect(release.started_at).toBe("2021-04-28T19:50:00.000Z");
    expect(release.finished_at).toBeUndefined();
  });

  it.each([
    ["failed", "failed"],
    ["canceled", "cancelled"],
    ["success", "succeeded"],
  ] as const)("maps status %s to %s", (status, expected) => {
    const release = onlyRelease(mapGitLab("Deployment Hook", deploymentVariant({ status }), config)).release;
    expect(release.status).toBe(expected);
    expect(release.finished_at).toBe("2021-04-28T19:50:00.000Z");
  });

  it("converges when the success arrives before the start", () => {
    const running = deploymentVariant({ status: "running", status_changed_at: "2021-04-28 21:48:30 +0200" });
    const writes = [running, deployment].map(
      (body) => onlyRelease(mapGitLab("Deployment Hook", body, config)).release,
    );
    for (const order of permutations(writes)) {
      expect(foldWrites(order)).toMatchObject({
        status: "succeeded",
        started_at: "2021-04-28T19:48:30.000Z",
        finished_at: "2021-04-28T19:50:00.000Z",
      });
    }
  });

  it("falls back to the short sha without a commit URL", () => {
    const release = onlyRelease(
      mapGitLab("Deployment Hook", deploymentVariant({ commit_url: null }), config),
    ).release;
    expect(release.commit).toBe("279484c0");
  });

  it("ignores statuses it does not know and hooks without a deployment id", () => {
    expect(
      ignoredReason(mapGitLab("Deployment Hook", deploymentVariant({ status: "exploded" }), config)),
    ).toMatch(/exploded/);
    expect(
      ignoredReason(mapGitLab("Deployment Hook", deploymentVariant({ deployment_id: null }), config)),
    ).toMatch(/deployment_id/);
  });
});

describe("mapGitLab: Pipeline Hook", () => {
  it("ignores the documented pipeline: its only environment jobs never started", () => {
    // production is a skipped manual job, staging is still "created".
    expect(ignoredReason(mapGitLab("Pipeline Hook", pipeline, config))).toMatch(/pipeline 31/);
  });

  it("records one release per environment a started job deploys to", () => {
    const result = onlyRelease(mapGitLab("Pipeline Hook", pipelineVariant({ staging: stagingDone }), config));
    expect(result).toEqual({
      kind: "release",
      key: "gitlab:1:pipeline:31:staging",
      jobs: [
        {
          id: "379",
          name: "staging",
          status: "succeeded",
          started_at: "2016-08-12T15:27:00.000Z",
          finished_at: "2016-08-12T15:28:30.000Z",
        },
      ],
      release: {
        key: "gitlab:1:pipeline:31:staging",
        source: "gitlab",
        status: "succeeded",
        environment: "staging",
        repository: "gitlab-org/gitlab-test",
        commit: "bcbb5ec396a2c0f828686f14fac9b80b780504f2",
        ref: "master",
        url: "http://example.com/gitlab-org/gitlab-test/-/pipelines/31",
        started_at: "2016-08-12T15:27:00.000Z",
        finished_at: "2016-08-12T15:28:30.000Z",
        commits: [
          {
            sha: "bcbb5ec396a2c0f828686f14fac9b80b780504f2",
            message: "test",
            author: "User",
            timestamp: "2016-08-12T15:23:21.000Z",
          },
        ],
        ci: {
          provider: "gitlab",
          actor: "root",
          event: "merge_request_event",
          ref: "master",
          branch: "master",
          pr_number: 1,
          pr_title: "Test",
          run_id: "31",
          job: "staging",
          workflow: "Pipeline for branch: master",
          run_url: "http://example.com/gitlab-org/gitlab-test/-/pipelines/31",
          environment: "staging",
          parameters: { NESTOR_PROD_ENVIRONMENT: "us-west-1" },
        },
      },
    });
  });

  it("returns several releases when jobs deploy to several environments", () => {
    const body = pipelineVariant({
      staging: stagingDone,
      production: {
        status: "running",
        started_at: "2016-08-12 15:29:00 UTC",
        when: "on_success",
        manual: false,
      },
    });
    const result = mapGitLab("Pipeline Hook", body, config);
    if (result.kind !== "releases") expect.fail(JSON.stringify(result));
    expect(result.releases.map((r) => [r.key, r.release.status, r.release.finished_at])).toEqual([
      ["gitlab:1:pipeline:31:production", "running", undefined],
      ["gitlab:1:pipeline:31:staging", "succeeded", "2016-08-12T15:28:30.000Z"],
    ]);
  });

  it("keeps an environment's release open until all its jobs finish, then fails it if one failed", () => {
    const smoke = {
      id: 381,
      name: "smoke-staging",
      status: "running",
      started_at: "2016-08-12 15:28:40 UTC",
      finished_at: null,
      environment: { name: "staging", action: "start" },
    };
    const open = onlyRelease(
      mapGitLab("Pipeline Hook", pipelineVariant({ staging: stagingDone }, [smoke]), config),
    );
    expect(open.release.status).toBe("running");
    expect(open.release.finished_at).toBeUndefined();
    expect(open.release.ci.job).toBe("staging, smoke-staging");

    const failedSmoke = { ...smoke, status: "failed", finished_at: "2016-08-12 15:29:10 UTC" };
    const done = onlyRelease(
      mapGitLab("Pipeline Hook", pipelineVariant({ staging: stagingDone }, [failedSmoke]), config),
    );
    expect(done.key).toBe(open.key);
    expect(done.release).toMatchObject({
      status: "failed",
      started_at: "2016-08-12T15:27:00.000Z",
      finished_at: "2016-08-12T15:29:10.000Z",
    });
  });

  it("does not wait for a later job of the environment that has not started: it comes as a new job id", () => {
    const verify = {
      id: 382,
      name: "migrate-staging",
      stage: "migrate",
      status: "created",
      started_at: null,
      finished_at: null,
      environment: { name: "staging", action: "start" },
    };
    // A job waiting for its stage (or for a manual gate before it) may never run: the release ends with
    // the jobs that ran. When it does run, the receiver records it as the next attempt.
    const first = onlyRelease(
      mapGitLab("Pipeline Hook", pipelineVariant({ staging: stagingDone }, [verify]), config),
    );
    expect(first.release).toMatchObject({ status: "succeeded", finished_at: "2016-08-12T15:28:30.000Z" });
    expect(first.jobs?.map((job) => [job.id, job.status])).toEqual([["379", "succeeded"]]);

    const running = { ...verify, status: "running", started_at: "2016-08-12 15:30:00 UTC" };
    const later = onlyRelease(
      mapGitLab("Pipeline Hook", pipelineVariant({ staging: stagingDone }, [running]), config),
    );
    expect(later.key).toBe(first.key);
    expect(later.release.status).toBe("running");
    expect(later.jobs?.map((job) => job.id)).toEqual(["379", "382"]);
  });

  it("lists the started jobs with their ids, names and states, for the receiver to tell a retried job", () => {
    const retried = {
      ...stagingDone,
      id: 410,
      started_at: "2016-08-12 15:40:00 UTC",
      finished_at: null,
      status: "running",
    };
    const result = onlyRelease(mapGitLab("Pipeline Hook", pipelineVariant({ staging: retried }), config));
    expect(result.key).toBe("gitlab:1:pipeline:31:staging");
    expect(result.jobs).toEqual([
      { id: "410", name: "staging", status: "running", started_at: "2016-08-12T15:40:00.000Z" },
    ]);
  });

  it("names a job without a name by its id, and keeps the job list of a wide pipeline within bounds", () => {
    const unnamed = { ...stagingDone, name: " " };
    expect(
      onlyRelease(mapGitLab("Pipeline Hook", pipelineVariant({ staging: unnamed }), config)).jobs,
    ).toEqual([expect.objectContaining({ id: "379", name: "379" })]);
    const wide = Array.from({ length: 260 }, (_, i) => ({
      ...stagingDone,
      id: 1000 + i,
      name: `deploy-${i}-${"x".repeat(240)}`,
      environment: { name: "staging", action: "start" },
    }));
    const result = onlyRelease(mapGitLab("Pipeline Hook", pipelineVariant({}, wide), config));
    expect(result.jobs).toHaveLength(260);
    expect(String(result.release.ci.job).length).toBeLessThanOrEqual(1000);
    expect(releaseInput.safeParse(result.release).success).toBe(true);
  });

  it("leaves out jobs that stop or only prepare an environment", () => {
    const body = pipelineVariant({
      staging: { ...stagingDone, environment: { name: "staging", action: "stop" } },
    });
    expect(mapGitLab("Pipeline Hook", body, config).kind).toBe("ignored");
  });

  it("reports a tag pipeline's ref as a tag", () => {
    const body = pipelineVariant({ staging: stagingDone }, [], { ref: "v1.4.0", tag: true });
    const release = onlyRelease(mapGitLab("Pipeline Hook", body, config)).release;
    expect(release.ref).toBe("refs/tags/v1.4.0");
    expect(release.ci.branch).toBeUndefined();
  });

  it("keeps pipeline variables but drops credential-looking ones", () => {
    const body = pipelineVariant({ staging: stagingDone }, [], {
      variables: [
        { key: "REGION", value: "eu-west-1" },
        { key: "DEPLOY_TOKEN", value: "glpat-xyz" },
        { key: "AWS_SECRET_ACCESS_KEY", value: "abc" },
        { key: "DB_PASS", value: "hunter2" },
      ],
    });
    expect(onlyRelease(mapGitLab("Pipeline Hook", body, config)).release.ci.parameters).toEqual({
      REGION: "eu-west-1",
    });
  });

  it("skips a malformed job instead of dropping the pipeline", () => {
    const body = pipelineVariant({ staging: stagingDone }, [{ name: "broken", status: 7 }]);
    expect(onlyRelease(mapGitLab("Pipeline Hook", body, config)).key).toBe("gitlab:1:pipeline:31:staging");
  });
});

describe("mapGitLab: other input", () => {
  it("ignores other hooks and deliveries without an event header", () => {
    expect(ignoredReason(mapGitLab("Push Hook", { object_kind: "push" }, config))).toMatch(/Push Hook/);
    expect(ignoredReason(mapGitLab("", deployment, config))).toMatch(/X-Gitlab-Event/);
  });

  it.each([null, [], "payload"])("throws a typed error for a body that is not an object (%j)", (body) => {
    expect(() => mapGitLab("Deployment Hook", body, config)).toThrow(WebhookPayloadError);
  });
});
