import { describe, expect, it } from "vitest";
import { detectCi } from "../src/cli/ci-context.js";

const SHA = "9f2c1e0aa1b2c3d4e5f60718293a4b5c6d7e8f90";

describe("detectCi", () => {
  it("finds nothing outside CI", () => {
    expect(detectCi({ HOME: "/home/jane", PATH: "/usr/bin" })).toEqual({ fields: {}, ci: undefined });
  });

  it("reads GitHub Actions", () => {
    const found = detectCi({
      GITHUB_ACTIONS: "true",
      GITHUB_REPOSITORY: "acme/api",
      GITHUB_SHA: SHA,
      GITHUB_REF: "refs/pull/17/merge",
      GITHUB_HEAD_REF: "PAY-12-fix",
      GITHUB_RUN_ID: "123",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_ACTOR: "jdoe",
      GITHUB_TRIGGERING_ACTOR: "octocat",
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_JOB: "deploy",
      GITHUB_WORKFLOW: "Deploy",
      GITHUB_SERVER_URL: "https://github.example.com",
    });
    expect(found).toEqual({
      fields: {
        repository: "acme/api",
        commit: SHA,
        ref: "refs/pull/17/merge",
        url: "https://github.example.com/acme/api/actions/runs/123",
      },
      ci: {
        provider: "github",
        actor: "jdoe",
        triggering_actor: "octocat",
        event: "pull_request",
        ref: "refs/pull/17/merge",
        branch: "PAY-12-fix",
        pr_number: 17,
        run_id: "123",
        run_attempt: 2,
        job: "deploy",
        workflow: "Deploy",
        run_url: "https://github.example.com/acme/api/actions/runs/123",
      },
    });
  });

  it("reads GitLab CI, with the commit and a tag ref", () => {
    const found = detectCi({
      GITLAB_CI: "true",
      CI_PROJECT_PATH: "acme/platform/api",
      CI_COMMIT_SHA: SHA,
      CI_COMMIT_TAG: "v1.4.2",
      CI_COMMIT_REF_NAME: "v1.4.2",
      CI_COMMIT_MESSAGE: "PAY-12 fix rounding",
      CI_COMMIT_AUTHOR: "Jane Doe <jane@acme.io>",
      CI_COMMIT_TIMESTAMP: "2025-01-01T09:00:00+01:00",
      CI_PIPELINE_ID: "555",
      CI_PIPELINE_SOURCE: "push",
      CI_JOB_URL: "https://gitlab.acme.io/acme/platform/api/-/jobs/9",
      CI_JOB_NAME: "deploy:prod",
      CI_JOB_ID: "9",
      CI_ENVIRONMENT_NAME: "production",
      GITLAB_USER_LOGIN: "jdoe",
    });
    expect(found.fields).toEqual({
      repository: "acme/platform/api",
      commit: SHA,
      ref: "refs/tags/v1.4.2",
      url: "https://gitlab.acme.io/acme/platform/api/-/jobs/9",
      commits: [
        {
          sha: SHA,
          message: "PAY-12 fix rounding",
          author: "Jane Doe <jane@acme.io>",
          timestamp: "2025-01-01T09:00:00+01:00",
        },
      ],
    });
    expect(found.ci).toMatchObject({
      provider: "gitlab",
      actor: "jdoe",
      event: "push",
      ref: "v1.4.2",
      run_id: "555",
      job: "deploy:prod",
      environment: "production",
      job_id: "9",
    });
  });

  it("reads a GitLab merge request pipeline", () => {
    const found = detectCi({
      GITLAB_CI: "true",
      CI_MERGE_REQUEST_IID: "42",
      CI_MERGE_REQUEST_TITLE: "WEB-7: new header",
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "web-7-header",
    });
    expect(found.ci).toMatchObject({ pr_number: 42, pr_title: "WEB-7: new header", branch: "web-7-header" });
    expect(found.fields.ref).toBeUndefined();
  });

  it("reads Jenkins, with the Git and build-user plugins' variables", () => {
    const found = detectCi({
      JENKINS_URL: "https://ci.acme.io/",
      JOB_NAME: "payments/deploy",
      BUILD_NUMBER: "77",
      BUILD_URL: "https://ci.acme.io/job/payments/job/deploy/77/",
      BUILD_TAG: "jenkins-payments-deploy-77",
      GIT_COMMIT: SHA,
      GIT_BRANCH: "origin/PAY-12-fix",
      GIT_URL: "git@github.com:acme/payments.git",
      BUILD_USER_ID: "jdoe",
      CHANGE_ID: "not-a-number",
    });
    expect(found).toEqual({
      fields: { commit: SHA, url: "https://ci.acme.io/job/payments/job/deploy/77/" },
      ci: {
        provider: "jenkins",
        actor: "jdoe",
        branch: "origin/PAY-12-fix",
        run_id: "77",
        job: "payments/deploy",
        run_url: "https://ci.acme.io/job/payments/job/deploy/77/",
        git_url: "git@github.com:acme/payments.git",
        build_tag: "jenkins-payments-deploy-77",
      },
    });
  });

  it("reads a Jenkins multibranch tag build", () => {
    const found = detectCi({
      JOB_NAME: "api/v2.0.0",
      BUILD_NUMBER: "1",
      BRANCH_NAME: "v2.0.0",
      TAG_NAME: "v2.0.0",
    });
    expect(found.fields.ref).toBe("refs/tags/v2.0.0");
    expect(found.ci).toMatchObject({ provider: "jenkins", branch: "v2.0.0" });
  });

  it("reads Argo CD's build environment, taking only a sha as the commit", () => {
    const base = {
      ARGOCD_APP_NAME: "api-prod",
      ARGOCD_APP_NAMESPACE: "api",
      ARGOCD_APP_SOURCE_REPO_URL: "https://github.com/acme/deploy.git",
      ARGOCD_APP_SOURCE_TARGET_REVISION: "main",
    };
    const git = detectCi({ ...base, ARGOCD_APP_REVISION: SHA });
    expect(git.fields).toEqual({ commit: SHA });
    expect(git.ci).toMatchObject({ provider: "argocd", job: "api-prod", ref: "main", app_namespace: "api" });
    const helm = detectCi({ ...base, ARGOCD_APP_REVISION: "1.4.2" });
    expect(helm.fields).toEqual({});
    expect(helm.ci).toMatchObject({ revision: "1.4.2" });
  });

  it("ignores blank variables", () => {
    expect(detectCi({ GITHUB_ACTIONS: "true", GITHUB_SHA: "  ", GITHUB_ACTOR: "" })).toEqual({
      fields: {},
      ci: { provider: "github" },
    });
  });
});
