import { readFileSync } from "node:fs";
import {
  type CiInput,
  type Commit,
  ciContext,
  commitInput,
  defaultConfig,
  type Inference,
  type InferenceSubject,
  inferRelease,
  parseCodeowners,
  parseConfig,
  type SpongeConfig,
  teamsForChanges,
} from "@sponge/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";

/*
 * Real recorded payloads (../shared/fixtures) turned into an inference subject the way an
 * adapter does it: explicit fields for what the event states, `ci` for what the CI saw,
 * commits for references and the head commit author. The CI context goes through the
 * receiver's own request schema, so a context the receiver would refuse fails here.
 */

const FIXTURES = new URL("../../../../shared/fixtures/", import.meta.url);

function fixture(path: string): unknown {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), "utf8"));
}

const ci = (value: Record<string, unknown>): CiInput => ciContext.parse(value);
const commits = (value: unknown[]): Commit[] =>
  z
    .array(commitInput)
    .parse(value)
    .map((commit) => ("message" in commit ? { ...commit } : { sha: commit.sha }));

function subject(fields: Partial<InferenceSubject>): InferenceSubject {
  return { references: [], packages: [], commits: [], ...fields };
}

const login = z.object({ login: z.string() });
const repository = z.object({ full_name: z.string() });
const gitAuthor = z.object({ name: z.string(), email: z.string() });

function githubPush(payload: unknown, codeowners?: string): InferenceSubject {
  const push = z
    .object({
      ref: z.string(),
      after: z.string(),
      repository,
      sender: login,
      commits: z.array(
        z.object({
          id: z.string(),
          message: z.string(),
          timestamp: z.string(),
          author: gitAuthor,
          added: z.array(z.string()),
          modified: z.array(z.string()),
          removed: z.array(z.string()),
        }),
      ),
    })
    .parse(payload);
  const changed = push.commits.flatMap((c) => [...c.added, ...c.modified, ...c.removed]);
  return subject({
    repository: push.repository.full_name,
    ref: push.ref,
    commit: push.after,
    ci: ci({
      provider: "github",
      event: "push",
      actor: push.sender.login,
      ref: push.ref,
      branch: push.ref.replace(/^refs\/heads\//, ""),
      changed_files: changed,
      ...(codeowners ? { codeowners_teams: teamsForChanges(parseCodeowners(codeowners), changed) } : {}),
    }),
    commits: commits(
      push.commits.map((c) => ({
        sha: c.id,
        message: c.message,
        author: `${c.author.name} <${c.author.email}>`,
        timestamp: c.timestamp,
      })),
    ),
  });
}

function githubWorkflowRun(payload: unknown): InferenceSubject {
  const event = z
    .object({
      workflow: z.object({ name: z.string() }),
      workflow_run: z.object({
        id: z.number(),
        name: z.string(),
        event: z.string(),
        head_branch: z.string(),
        head_sha: z.string(),
        run_attempt: z.number(),
        html_url: z.string(),
        actor: login,
        triggering_actor: login,
        pull_requests: z.array(z.object({ number: z.number() })),
        head_commit: z.object({
          id: z.string(),
          message: z.string(),
          timestamp: z.string(),
          author: gitAuthor,
        }),
      }),
      repository,
    })
    .parse(payload);
  const run = event.workflow_run;
  return subject({
    repository: event.repository.full_name,
    ref: `refs/heads/${run.head_branch}`,
    commit: run.head_sha,
    ci: ci({
      provider: "github",
      event: run.event,
      actor: run.actor.login,
      triggering_actor: run.triggering_actor.login,
      branch: run.head_branch,
      run_id: run.id,
      run_attempt: run.run_attempt,
      // The run's own name is empty in this payload; the workflow's name is not.
      workflow: run.name || event.workflow.name,
      run_url: run.html_url,
      pr_number: run.pull_requests[0]?.number,
    }),
    commits: commits([
      {
        sha: run.head_commit.id,
        message: run.head_commit.message,
        author: `${run.head_commit.author.name} <${run.head_commit.author.email}>`,
        timestamp: run.head_commit.timestamp,
      },
    ]),
  });
}

/** A `deployment` event; `withRun` also reads the workflow run that made the deployment. */
function githubDeployment(payload: unknown, withRun: boolean): InferenceSubject {
  const event = z
    .object({
      deployment: z.object({ environment: z.string(), ref: z.string(), sha: z.string(), creator: login }),
      workflow_run: z.object({ triggering_actor: login, head_branch: z.string() }).nullable(),
      repository,
    })
    .parse(payload);
  const run = withRun ? event.workflow_run : null;
  return subject({
    repository: event.repository.full_name,
    ref: event.deployment.ref,
    commit: event.deployment.sha,
    ci: ci({
      provider: "github",
      event: "deployment",
      actor: event.deployment.creator.login,
      triggering_actor: run?.triggering_actor.login,
      branch: run?.head_branch ?? event.deployment.ref,
      environment: event.deployment.environment,
    }),
  });
}

function githubWorkflowJob(payload: unknown): InferenceSubject {
  const event = z
    .object({
      workflow_job: z.object({
        run_id: z.number(),
        run_attempt: z.number(),
        workflow_name: z.string(),
        name: z.string(),
        head_branch: z.string(),
        head_sha: z.string(),
        html_url: z.string(),
      }),
      deployment: z.object({ environment: z.string() }).optional(),
      repository,
      sender: login,
    })
    .parse(payload);
  const job = event.workflow_job;
  return subject({
    repository: event.repository.full_name,
    ref: `refs/heads/${job.head_branch}`,
    commit: job.head_sha,
    ci: ci({
      provider: "github",
      event: "workflow_job",
      actor: event.sender.login,
      branch: job.head_branch,
      run_id: job.run_id,
      run_attempt: job.run_attempt,
      workflow: job.workflow_name,
      job: job.name,
      run_url: job.html_url,
      environment: event.deployment?.environment,
    }),
  });
}

function githubRelease(payload: unknown): InferenceSubject {
  const event = z
    .object({ release: z.object({ tag_name: z.string(), author: login }), repository })
    .parse(payload);
  const ref = `refs/tags/${event.release.tag_name}`;
  return subject({
    repository: event.repository.full_name,
    ref,
    ci: ci({ provider: "github", event: "release", actor: event.release.author.login, ref }),
  });
}

const gitlabProject = z.object({ path_with_namespace: z.string() });
const gitlabUser = z.object({ username: z.string() });

function gitlabDeployment(payload: unknown): InferenceSubject {
  const event = z
    .object({
      environment: z.string(),
      project: gitlabProject,
      user: gitlabUser,
      commit_url: z.string(),
      commit_title: z.string(),
      deployable_url: z.string().nullable(),
    })
    .parse(payload);
  // The deployment hook names its commit only in `commit_url`.
  const sha = event.commit_url.split("/").at(-1) ?? "";
  return subject({
    repository: event.project.path_with_namespace,
    commit: sha,
    ci: ci({
      provider: "gitlab",
      event: "deployment",
      actor: event.user.username,
      environment: event.environment,
      run_url: event.deployable_url,
      project_path: event.project.path_with_namespace,
    }),
    commits: commits([{ sha, message: event.commit_title }]),
  });
}

function gitlabPipeline(payload: unknown): InferenceSubject {
  const event = z
    .object({
      object_attributes: z.object({
        id: z.number(),
        ref: z.string(),
        tag: z.boolean(),
        sha: z.string(),
        url: z.string(),
      }),
      merge_request: z.object({ iid: z.number(), title: z.string(), source_branch: z.string() }).nullable(),
      user: gitlabUser,
      project: gitlabProject,
      commit: z.object({ id: z.string(), message: z.string(), timestamp: z.string(), author: gitAuthor }),
    })
    .parse(payload);
  const pipeline = event.object_attributes;
  const ref = pipeline.tag ? `refs/tags/${pipeline.ref}` : `refs/heads/${pipeline.ref}`;
  return subject({
    repository: event.project.path_with_namespace,
    ref,
    commit: pipeline.sha,
    ci: ci({
      provider: "gitlab",
      event: "pipeline",
      actor: event.user.username,
      ref,
      branch: event.merge_request?.source_branch ?? pipeline.ref,
      pr_number: event.merge_request?.iid,
      pr_title: event.merge_request?.title,
      run_id: pipeline.id,
      run_url: pipeline.url,
      project_path: event.project.path_with_namespace,
    }),
    commits: commits([
      {
        sha: event.commit.id,
        message: event.commit.message,
        author: `${event.commit.author.name} <${event.commit.author.email}>`,
        timestamp: event.commit.timestamp,
      },
    ]),
  });
}

function jenkins(payload: unknown): InferenceSubject {
  const event = z
    .object({
      name: z.string(),
      build: z.object({
        number: z.number(),
        full_url: z.string(),
        scm: z.object({
          url: z.string(),
          branch: z.string(),
          commit: z.string(),
          changes: z.array(z.string()).optional(),
          culprits: z.array(z.string()).optional(),
        }),
        parameters: z.record(z.string(), z.string()).optional(),
      }),
    })
    .parse(payload);
  const { scm } = event.build;
  const repositoryName = /^https:\/\/(?:github\.com|gitlab\.com)\/(.+?)(?:\.git)?$/.exec(scm.url)?.[1];
  const culprits = scm.culprits ?? [];
  return subject({
    repository: repositoryName,
    commit: scm.commit,
    ci: ci({
      provider: "jenkins",
      job: event.name,
      run_id: event.build.number,
      run_url: event.build.full_url,
      branch: scm.branch.replace(/^origin\//, ""),
      // The plugin reports who changed the code, not who started the build; one culprit is a person.
      actor: culprits.length === 1 ? culprits[0] : undefined,
      changed_files: scm.changes,
      parameters: event.build.parameters,
    }),
    commits: commits([scm.commit]),
  });
}

function cdeventsServiceDeployed(payload: unknown): InferenceSubject {
  const event = z
    .object({
      subject: z.object({
        content: z.object({ environment: z.object({ id: z.string() }), artifactId: z.string() }),
      }),
    })
    .parse(payload);
  const purl =
    /^pkg:[^/]+\/(?<name>[^@]+)@(?<version>.+)$/.exec(event.subject.content.artifactId)?.groups ?? {};
  return subject({
    environment: event.subject.content.environment.id,
    packages: [{ name: purl.name ?? "", version: decodeURIComponent(purl.version ?? "") }],
    ci: ci({ provider: "cdevents", event: "service.deployed" }),
  });
}

const acme: SpongeConfig = parseConfig({
  teams: [
    { team: "hello-world", repositories: ["codertocat/hello-*"] },
    { team: "octo", packages: ["octo-*"] },
    { team: "writers", codeowners: ["@Codertocat/writers"] },
  ],
  people: [
    { name: "Administrator", aliases: ["root", "admin@example.com"] },
    { name: "Evgeny Goldin", aliases: ["evgenyg"] },
  ],
});

const CODEOWNERS = "* @Codertocat/core\n*.md @Codertocat/writers\n";

interface Row {
  name: string;
  subject: InferenceSubject;
  config: SpongeConfig;
  expected: Inference;
}

const rows: Row[] = [
  {
    name: "github push (new branch): person from the pusher, team from a repository glob",
    subject: githubPush(fixture("github/push.json")),
    config: acme,
    expected: {
      person: "Codertocat",
      personIsBot: false,
      team: "hello-world",
      environment: "production",
      references: [],
      packages: [{ name: "Hello-World", version: "6113728" }],
      inferred: {
        person: "ci.actor",
        team: "config:teams[0].repositories",
        environment: "config.defaultEnvironment",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "github push with CODEOWNERS: team from the owners of the changed files",
    subject: githubPush(fixture("github/push.json"), CODEOWNERS),
    config: defaultConfig,
    expected: {
      person: "Codertocat",
      personIsBot: false,
      team: "writers",
      environment: "production",
      references: [],
      packages: [{ name: "Hello-World", version: "6113728" }],
      inferred: {
        person: "ci.actor",
        team: "ci.codeowners_teams",
        environment: "config.defaultEnvironment",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "github workflow_run: triggering actor, team from a package glob",
    subject: githubWorkflowRun(fixture("github/workflow_run.completed.json")),
    config: acme,
    expected: {
      person: "Codertocat",
      personIsBot: false,
      team: "octo",
      environment: "production",
      references: [],
      packages: [{ name: "octo-repo", version: "3484a3f" }],
      inferred: {
        person: "ci.triggering_actor",
        team: "config:teams[1].packages",
        environment: "config.defaultEnvironment",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "github deployment (API): environment from the deployment",
    subject: githubDeployment(fixture("github/deployment.created.json"), true),
    config: acme,
    expected: {
      person: "Codertocat",
      personIsBot: false,
      team: "hello-world",
      environment: "production",
      references: [],
      packages: [{ name: "Hello-World", version: "f95f852" }],
      inferred: {
        person: "ci.actor",
        team: "config:teams[0].repositories",
        environment: "ci.environment",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "github deployment by github-pages[bot] with its workflow run: the human who triggered it",
    subject: githubDeployment(fixture("github/deployment.created.github-pages.json"), true),
    config: defaultConfig,
    expected: {
      person: "Codertocat",
      personIsBot: false,
      team: null,
      environment: "github-pages",
      references: [],
      packages: [{ name: "Hello-World", version: "f95f852" }],
      inferred: {
        person: "ci.triggering_actor",
        environment: "ci.environment",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "github deployment by github-pages[bot] alone: the bot is kept and flagged",
    subject: githubDeployment(fixture("github/deployment.created.github-pages.json"), false),
    config: defaultConfig,
    expected: {
      person: "github-pages[bot]",
      personIsBot: true,
      team: null,
      environment: "github-pages",
      references: [],
      packages: [{ name: "Hello-World", version: "f95f852" }],
      inferred: {
        person: "ci.actor",
        environment: "ci.environment",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "github workflow_job with a deployment: environment of the job",
    subject: githubWorkflowJob(fixture("github/workflow_job.queued.with-deployment.json")),
    config: acme,
    expected: {
      person: "lineville",
      personIsBot: false,
      team: null,
      environment: "Test",
      references: [],
      packages: [{ name: "elastic-machines-testing", version: "16c5286" }],
      inferred: {
        person: "ci.actor",
        environment: "ci.environment",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "github release: the tag is the version",
    subject: githubRelease(fixture("github/release.published.json")),
    config: acme,
    expected: {
      person: "Codertocat",
      personIsBot: false,
      team: "hello-world",
      environment: "production",
      references: [],
      packages: [{ name: "Hello-World", version: "0.0.1" }],
      inferred: {
        person: "ci.actor",
        team: "config:teams[0].repositories",
        environment: "config.defaultEnvironment",
        "packages[0].name": "repository",
        "packages[0].version": "ref",
      },
    },
  },
  {
    name: "gitlab deployment: login mapped to a configured person, environment from GitLab",
    subject: gitlabDeployment(fixture("gitlab/deployment.success.json")),
    config: acme,
    expected: {
      person: "Administrator",
      personIsBot: false,
      team: null,
      environment: "staging",
      references: [],
      packages: [{ name: "test-deployment-webhooks", version: "279484c" }],
      inferred: {
        person: "ci.actor",
        environment: "ci.environment",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "gitlab merge request pipeline: the merge request is a reference",
    subject: gitlabPipeline(fixture("gitlab/pipeline.success.json")),
    config: defaultConfig,
    expected: {
      person: "root",
      personIsBot: false,
      team: null,
      environment: "production",
      references: ["gitlab-org/gitlab-test!1"],
      packages: [{ name: "gitlab-test", version: "bcbb5ec" }],
      inferred: {
        person: "ci.actor",
        environment: "config.defaultEnvironment",
        references: "ci.pr_number",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "jenkins completed: environment from the DEPLOY_ENV parameter, culprit as person",
    subject: jenkins(fixture("jenkins/completed.constructed.json")),
    config: acme,
    expected: {
      person: "Evgeny Goldin",
      personIsBot: false,
      team: null,
      environment: "staging",
      references: [],
      packages: [{ name: "asgard", version: "c6d86dc" }],
      inferred: {
        person: "ci.actor",
        environment: "ci.parameters.DEPLOY_ENV",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "jenkins started: nobody known yet",
    subject: jenkins(fixture("jenkins/started.constructed.json")),
    config: acme,
    expected: {
      person: null,
      personIsBot: false,
      team: null,
      environment: "staging",
      references: [],
      packages: [{ name: "asgard", version: "c6d86dc" }],
      inferred: {
        environment: "ci.parameters.DEPLOY_ENV",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "jenkins wiki example: no parameters, default environment",
    subject: jenkins(fixture("jenkins/completed.wiki-example.json")),
    config: defaultConfig,
    expected: {
      person: null,
      personIsBot: false,
      team: null,
      environment: "production",
      references: [],
      packages: [{ name: "asgard", version: "c6d86dc" }],
      inferred: {
        environment: "config.defaultEnvironment",
        "packages[0].name": "repository",
        "packages[0].version": "commit",
      },
    },
  },
  {
    name: "cdevents service.deployed: explicit package, version and environment are kept",
    subject: cdeventsServiceDeployed(fixture("cdevents/service.deployed.json")),
    config: acme,
    expected: {
      person: null,
      personIsBot: false,
      team: null,
      environment: "test123",
      references: [],
      packages: [
        { name: "myapp", version: "sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427" },
      ],
      inferred: {},
    },
  },
];

describe("inferRelease on real CI payloads", () => {
  it.each(rows)("$name", ({ subject: input, config, expected }) => {
    expect(inferRelease(input, config)).toEqual(expected);
  });
});
