import { parseConfig } from "@sponge/core";
import { describe, expect, it } from "vitest";
import { mapGitHub, WebhookPayloadError } from "../src/index.js";
import { copyOf, readFixture } from "./support/fixtures.js";
import { foldWrites, ignoredReason, onlyRelease, permutations } from "./support/results.js";

const config = parseConfig({});
const deployConfig = parseConfig({ github: { deployWorkflows: ["deploy*", "test"] } });

const deployment = readFixture("github/deployment.created.json");
const pagesDeployment = readFixture("github/deployment.created.github-pages.json");
const success = readFixture("github/deployment_status.created.success.json");
const inProgress = readFixture("github/deployment_status.created.in_progress.json");
const runCompleted = readFixture("github/workflow_run.completed.json");
const runRequested = readFixture("github/workflow_run.requested.json");

/** The success status of the production deployment, with another state and creation time. */
function statusVariant(state: string, createdAt = "2019-05-15T15:20:55Z"): Record<string, unknown> {
  const body = copyOf(success);
  body.deployment_status = { ...copyOf(body.deployment_status), state, created_at: createdAt };
  return body;
}

function runVariant(changes: Record<string, unknown>): Record<string, unknown> {
  const body = copyOf(runCompleted);
  body.workflow_run = { ...copyOf(body.workflow_run), ...changes };
  return body;
}

describe("mapGitHub: deployment", () => {
  it("records a created deployment as queued, keyed by repository and deployment id", () => {
    expect(mapGitHub("deployment", deployment, config)).toEqual({
      kind: "release",
      key: "github:186853002:deployment:145988746",
      release: {
        key: "github:186853002:deployment:145988746",
        source: "github",
        status: "queued",
        environment: "production",
        repository: "Codertocat/Hello-World",
        commit: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
        ref: "master",
        started_at: "2019-05-15T15:20:53.000Z",
        ci: {
          provider: "github",
          actor: "Codertocat",
          event: "deployment",
          ref: "master",
          environment: "production",
          deployment_id: "145988746",
          task: "deploy",
        },
      },
    });
  });

  it("asks the receiver to fold a deployment made by a workflow run into the action's release", () => {
    const result = onlyRelease(mapGitHub("deployment", pagesDeployment, config));
    expect(result.lookup).toEqual({
      repository: "Codertocat/Hello-World",
      runId: "289782451",
      environment: "github-pages",
    });
    expect(result.release.ci).toMatchObject({
      actor: "github-pages[bot]",
      triggering_actor: "Codertocat",
      run_id: "289782451",
      run_attempt: 1,
      workflow: "pages build and deployment",
      event: "dynamic",
      run_url: "https://github.com/Codertocat/Hello-World/actions/runs/289782451",
    });
    expect(result.release.url).toBe("https://github.com/Codertocat/Hello-World/actions/runs/289782451");
  });

  it("gives a deployment made through the API no lookup", () => {
    expect(onlyRelease(mapGitHub("deployment", deployment, config)).lookup).toBeUndefined();
  });
});

describe("mapGitHub: deployment_status", () => {
  it("folds a status into its deployment's release and dates the finish", () => {
    const result = onlyRelease(mapGitHub("deployment_status", success, config));
    expect(result.key).toBe(onlyRelease(mapGitHub("deployment", deployment, config)).key);
    expect(result.release).toMatchObject({
      status: "succeeded",
      environment: "production",
      started_at: "2019-05-15T15:20:53.000Z",
      finished_at: "2019-05-15T15:20:55.000Z",
    });
    // target_url is "" in this delivery: no url rather than an empty one.
    expect(result.release.url).toBeUndefined();
  });

  it("reports in_progress as running, with the job's log and no finish", () => {
    const result = onlyRelease(mapGitHub("deployment_status", inProgress, config));
    expect(result.release.status).toBe("running");
    expect(result.release.finished_at).toBeUndefined();
    expect(result.release.url).toBe(
      "https://github.com/CorsixTH/CorsixTH/runs/4687056418?check_suite_focus=true",
    );
    expect(result.release.ci.job).toBe("deploy");
    expect(result.lookup?.runId).toBe("289782451");
  });

  it.each([
    ["queued", "queued", false],
    ["pending", "queued", false],
    ["in_progress", "running", false],
    ["success", "succeeded", true],
    ["failure", "failed", true],
    ["error", "failed", true],
  ] as const)("maps state %s to %s", (state, status, finished) => {
    const release = onlyRelease(mapGitHub("deployment_status", statusVariant(state), config)).release;
    expect(release.status).toBe(status);
    expect(release.finished_at).toBe(finished ? "2019-05-15T15:20:55.000Z" : undefined);
  });

  it("ignores inactive statuses: GitHub marks superseded deployments so", () => {
    expect(ignoredReason(mapGitHub("deployment_status", statusVariant("inactive"), config))).toMatch(
      /inactive/,
    );
  });

  it("ignores states it does not know instead of guessing", () => {
    expect(ignoredReason(mapGitHub("deployment_status", statusVariant("exploded"), config))).toMatch(
      /exploded/,
    );
  });

  it("converges whatever order the deployment and its statuses arrive in", () => {
    const writes = [
      deployment,
      statusVariant("queued", "2019-05-15T15:20:54Z"),
      statusVariant("in_progress", "2019-05-15T15:20:54Z"),
      success,
    ].map((body, index) =>
      onlyRelease(mapGitHub(index === 0 ? "deployment" : "deployment_status", body, config)),
    );
    expect(new Set(writes.map((write) => write.key)).size).toBe(1);
    const outcomes = permutations(writes).map((order) => foldWrites(order.map((write) => write.release)));
    for (const outcome of outcomes) {
      expect(outcome).toEqual({
        status: "succeeded",
        started_at: "2019-05-15T15:20:53.000Z",
        finished_at: "2019-05-15T15:20:55.000Z",
        environment: "production",
        commit: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
        repository: "Codertocat/Hello-World",
        packages: [],
      });
    }
  });

  it("ignores a status without the deployment's id, naming the field", () => {
    const body = copyOf(success);
    const { id: _id, ...rest } = copyOf(body.deployment);
    body.deployment = rest;
    expect(ignoredReason(mapGitHub("deployment_status", body, config))).toMatch(/deployment\.id/);
  });

  it("ignores an environment name longer than core accepts", () => {
    const body = copyOf(success);
    body.deployment = { ...copyOf(body.deployment), environment: "e".repeat(201) };
    expect(ignoredReason(mapGitHub("deployment_status", body, config))).toMatch(/200 characters/);
  });

  it("keeps an odd optional field from costing the delivery", () => {
    const body = copyOf(success);
    body.sender = "not-an-object";
    body.deployment = { ...copyOf(body.deployment), creator: 42, created_at: "yesterday" };
    const release = onlyRelease(mapGitHub("deployment_status", body, config)).release;
    expect(release.status).toBe("succeeded");
    expect(release.started_at).toBeUndefined();
    expect(release.ci.actor).toBeUndefined();
  });
});

describe("mapGitHub: workflow_run", () => {
  it("records a run of a deployment workflow, keyed by repository, run and attempt", () => {
    const result = onlyRelease(mapGitHub("workflow_run", runCompleted, deployConfig));
    expect(result).toEqual({
      kind: "release",
      key: "github:300029405:run:289782451:1",
      release: {
        key: "github:300029405:run:289782451:1",
        source: "github",
        status: "succeeded",
        repository: "octo-org/octo-repo",
        commit: "3484a3fb816e0859fd6e1cea078d76385ff50625",
        ref: "master",
        url: "https://github.com/octo-org/octo-repo/actions/runs/289782451",
        started_at: "2020-10-05T16:33:49.000Z",
        finished_at: "2020-10-05T16:33:49.000Z",
        commits: [
          {
            sha: "3484a3fb816e0859fd6e1cea078d76385ff50625",
            message: "build(test): check workflow run event payload",
            author: "Matthias Fax",
            timestamp: "2020-10-05T16:32:07.000Z",
          },
        ],
        ci: {
          provider: "github",
          actor: "Codertocat",
          triggering_actor: "Codertocat",
          event: "repository_dispatch",
          ref: "master",
          branch: "master",
          run_id: "289782451",
          run_attempt: 1,
          workflow: "test",
          run_url: "https://github.com/octo-org/octo-repo/actions/runs/289782451",
          conclusion: "success",
        },
      },
    });
  });

  it("reports a requested run as queued, without a finish", () => {
    const release = onlyRelease(mapGitHub("workflow_run", runRequested, deployConfig)).release;
    expect(release.status).toBe("queued");
    expect(release.finished_at).toBeUndefined();
  });

  it("ignores runs of workflows that are not deployments", () => {
    const reason = ignoredReason(
      mapGitHub("workflow_run", runCompleted, parseConfig({ github: { deployWorkflows: ["deploy*"] } })),
    );
    expect(reason).toMatch(/does not match github\.deployWorkflows/);
  });

  it("ignores every run when no deployment workflow is configured", () => {
    expect(ignoredReason(mapGitHub("workflow_run", runCompleted, config))).toMatch(/github\.deployWorkflows/);
  });

  it("matches the workflow file too", () => {
    const byFile = parseConfig({ github: { deployWorkflows: ["test.yml"] } });
    expect(mapGitHub("workflow_run", runCompleted, byFile).kind).toBe("release");
    const byPath = parseConfig({ github: { deployWorkflows: [".github/workflows/*.yml"] } });
    expect(mapGitHub("workflow_run", runCompleted, byPath).kind).toBe("release");
  });

  it.each([
    ["failure", "failed"],
    ["timed_out", "failed"],
    ["cancelled", "cancelled"],
    ["neutral", "succeeded"],
  ] as const)("maps conclusion %s to %s", (conclusion, status) => {
    const release = onlyRelease(mapGitHub("workflow_run", runVariant({ conclusion }), deployConfig)).release;
    expect(release.status).toBe(status);
    expect(release.finished_at).toBe("2020-10-05T16:33:49.000Z");
  });

  it("reports in_progress as running and keys a re-run attempt apart", () => {
    const result = onlyRelease(
      mapGitHub(
        "workflow_run",
        runVariant({ status: "in_progress", conclusion: null, run_attempt: 2 }),
        deployConfig,
      ),
    );
    expect(result.key).toBe("github:300029405:run:289782451:2");
    expect(result.release.status).toBe("running");
    expect(result.release.finished_at).toBeUndefined();
  });

  it("ignores a completed run without a conclusion", () => {
    expect(mapGitHub("workflow_run", runVariant({ conclusion: null }), deployConfig).kind).toBe("ignored");
  });
});

describe("mapGitHub: other events", () => {
  it("answers ping with the hook id and zen", () => {
    const ping = { zen: "Anything added dilutes everything else.", hook_id: 109948940, hook: {} };
    expect(mapGitHub("ping", ping, config)).toEqual({
      kind: "ping",
      message: "GitHub hook 109948940 is connected: Anything added dilutes everything else.",
    });
  });

  it.each(["push", "release", "workflow_job"])("ignores %s", (event) => {
    const file = {
      push: "push.json",
      release: "release.published.json",
      workflow_job: "workflow_job.completed.success.json",
    }[event];
    expect(ignoredReason(mapGitHub(event, readFixture(`github/${file}`), config))).toContain(event);
  });

  it("ignores a delivery without an event name", () => {
    expect(ignoredReason(mapGitHub("", deployment, config))).toMatch(/X-GitHub-Event/);
  });

  it("accepts the event header in any case", () => {
    expect(mapGitHub("Deployment", deployment, config).kind).toBe("release");
  });

  it.each([null, [], "payload", 42])("throws a typed error for a body that is not an object (%j)", (body) => {
    expect(() => mapGitHub("deployment", body, config)).toThrow(WebhookPayloadError);
  });
});
