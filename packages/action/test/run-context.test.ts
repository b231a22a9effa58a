import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InputError } from "../src/input-error.js";
import { parseInputs } from "../src/inputs.js";
import { buildReleaseBody } from "../src/release-body.js";
import { planRelease } from "../src/release-plan.js";
import { type GithubContext, readRunContext } from "../src/run-context.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../../shared/fixtures/github/${name}`, import.meta.url), "utf8"));

const examples = z
  .array(z.object({ name: z.string(), examples: z.array(z.record(z.string(), z.unknown())) }))
  .parse(
    JSON.parse(
      readFileSync(
        new URL(
          "../../../node_modules/@octokit/webhooks-examples/api.github.com/index.json",
          import.meta.url,
        ),
        "utf8",
      ),
    ),
  );
const pullRequest = examples
  .find((event) => event.name === "pull_request")
  ?.examples.find((example) => example.action === "synchronize");

function context(overrides: Partial<GithubContext>): GithubContext {
  return {
    payload: {},
    eventName: "push",
    sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
    ref: "refs/heads/master",
    workflow: "deploy",
    actor: "Codertocat",
    job: "deploy",
    runId: 42,
    runAttempt: 1,
    serverUrl: "https://github.com",
    apiUrl: "https://api.github.com",
    ...overrides,
  };
}

const env = { GITHUB_REPOSITORY: "Codertocat/Hello-World", GITHUB_WORKSPACE: "/tmp/checkout" };

describe("readRunContext", () => {
  it("reads a push run: commits, files and pusher from the payload", () => {
    const run = readRunContext(context({ payload: fixture("push.json") as GithubContext["payload"] }), env);
    expect(run).toMatchObject({
      repository: "Codertocat/Hello-World",
      owner: "Codertocat",
      repo: "Hello-World",
      sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
      branch: "master",
      runId: "42",
      runUrl: "https://github.com/Codertocat/Hello-World/actions/runs/42",
      workspace: "/tmp/checkout",
    });
    expect(run.event.pusher).toBe("Codertocat");
    expect(run.event.commits).toEqual([
      {
        sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        message: "Initial commit",
        author: "Codertocat",
        timestamp: "2019-05-15T15:19:25Z",
      },
    ]);
    expect(run.event.changedFiles).toEqual(["README.md"]);
  });

  it("deploys the PR head on pull_request events, not GitHub's merge commit", () => {
    expect(pullRequest).toBeDefined();
    const payload = z
      .object({
        pull_request: z.object({
          number: z.number(),
          title: z.string(),
          head: z.object({ ref: z.string(), sha: z.string() }),
        }),
      })
      .parse(pullRequest);
    const run = readRunContext(
      context({
        eventName: "pull_request",
        sha: "ffffffffffffffffffffffffffffffffffffffff",
        ref: `refs/pull/${payload.pull_request.number}/merge`,
        payload: pullRequest ?? {},
      }),
      env,
    );
    expect(run.sha).toBe(payload.pull_request.head.sha);
    expect(run.branch).toBe(payload.pull_request.head.ref);
    expect(run.event.prNumber).toBe(payload.pull_request.number);
    expect(run.event.prTitle).toBe(payload.pull_request.title);
  });

  it("takes the environment of a deployment event", () => {
    const run = readRunContext(
      context({
        eventName: "deployment",
        payload: fixture("deployment.created.json") as GithubContext["payload"],
      }),
      env,
    );
    expect(run.event.deploymentEnvironment).toBe("production");
    const plan = planRelease(
      parseInputs((name) => (name === "url" ? "https://sponge.example.com" : "")),
      run,
    );
    expect(plan.environment).toBe("production");
  });

  it("links the attempt of a re-run", () => {
    const run = readRunContext(context({ runAttempt: 3 }), env);
    expect(run.runUrl).toBe("https://github.com/Codertocat/Hello-World/actions/runs/42/attempts/3");
  });

  it("refuses to run outside GitHub Actions", () => {
    expect(() => readRunContext(context({}), {})).toThrow(InputError);
    expect(() => readRunContext(context({}), { GITHUB_REPOSITORY: "a/b/c" })).toThrow(
      "GITHUB_REPOSITORY must be owner/name",
    );
  });

  it("ignores payload fields of the wrong type instead of failing", () => {
    // Parsed from text, as the runner's event file is: the types are whatever was written there.
    const payload = JSON.parse(
      '{"pull_request":{"number":"seven","title":5},"commits":[{"id":1},{"id":"abc","message":"ok"}],"pusher":3}',
    );
    const run = readRunContext(context({ payload }), env);
    expect(run.event.prNumber).toBeUndefined();
    expect(run.event.commits).toEqual([{ sha: "abc", message: "ok" }]);
  });
});

describe("planRelease and buildReleaseBody", () => {
  const run = readRunContext(context({ payload: fixture("push.json") as GithubContext["payload"] }), env);
  const read = (values: Record<string, string>) => parseInputs((name) => values[name] ?? "");

  it("keys a release by repo, run, attempt, job, package and environment", () => {
    const plan = planRelease(read({ url: "https://s.example", environment: "staging" }), run);
    expect(plan.key).toBe("github-action:Codertocat/Hello-World:42:1:deploy:Hello-World:staging");
    expect(plan.packages).toEqual([{ name: "Hello-World" }]);
    const several = planRelease(
      read({ url: "https://s.example", environment: "staging", packages: "api@1\nweb@2" }),
      run,
    );
    expect(several.key).toBe("github-action:Codertocat/Hello-World:42:1:deploy:api,web:staging");
  });

  it("requires an environment outside deployment events", () => {
    expect(() => planRelease(read({ url: "https://s.example" }), run)).toThrow(
      'input "environment" is required',
    );
  });

  it("sends explicit fields and the ci context, nothing inferred", () => {
    const inputs = read({
      url: "https://s.example",
      environment: "production",
      version: "1.2.3",
      references: "PAY-9",
    });
    const plan = planRelease(inputs, run);
    const body = buildReleaseBody({
      inputs,
      run,
      plan,
      changes: { commits: run.event.commits, changedFiles: ["README.md"], source: "event" },
      codeownersTeams: ["@acme/docs"],
      previousCommit: undefined,
      status: "running",
    });
    expect(body).toMatchObject({
      key: plan.key,
      status: "running",
      environment: "production",
      source: "github-action",
      repository: "Codertocat/Hello-World",
      commit: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
      ref: "refs/heads/master",
      url: "https://github.com/Codertocat/Hello-World/actions/runs/42",
      packages: [{ name: "Hello-World", version: "1.2.3" }],
      references: ["PAY-9"],
      ci: {
        provider: "github",
        actor: "Codertocat",
        branch: "master",
        run_id: "42",
        run_attempt: 1,
        job: "deploy",
        changed_files: ["README.md"],
        codeowners_teams: ["@acme/docs"],
        commits_source: "event",
      },
    });
    expect(body.person).toBeUndefined();
    expect(body.team).toBeUndefined();
    expect(Object.values(body.ci ?? {})).not.toContain(undefined);
  });
});
