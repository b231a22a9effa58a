import type { CiContext, Commit } from "@sponge/core";

/** What the CLI can tell from the CI job it runs in. */
export interface CiFindings {
  /** Facts the CI states outright; flags on the command line override them. */
  fields: { repository?: string; commit?: string; ref?: string; url?: string; commits?: Commit[] };
  /** What the CI saw, sent as `ci` for the receiver to infer from (person, environment, tickets). */
  ci: CiContext | undefined;
}

type Read = (name: string) => string | undefined;

/**
 * Reads the variables common CI systems set: GitHub Actions, GitLab CI, Jenkins, and
 * Argo CD's build environment (which a hook receives only when its manifest passes the
 * variables on). Nothing is inferred here; the receiver decides.
 *
 * @example detectCi({ GITLAB_CI: "true", CI_COMMIT_SHA: "9f2c…" }).fields.commit // "9f2c…"
 */
export function detectCi(env: Readonly<Record<string, string | undefined>>): CiFindings {
  const read: Read = (name) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  if (read("GITHUB_ACTIONS") === "true") return github(read);
  if (read("GITLAB_CI") === "true") return gitlab(read);
  if (read("JENKINS_URL") !== undefined || (read("JOB_NAME") && read("BUILD_NUMBER"))) return jenkins(read);
  if (read("ARGOCD_APP_NAME") !== undefined) return argocd(read);
  return { fields: {}, ci: undefined };
}

/** https://docs.github.com/en/actions/reference/workflows-and-actions/variables */
function github(read: Read): CiFindings {
  const repository = read("GITHUB_REPOSITORY");
  const runId = read("GITHUB_RUN_ID");
  const server = read("GITHUB_SERVER_URL") ?? "https://github.com";
  const runUrl = repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;
  const ref = read("GITHUB_REF");
  const branch =
    read("GITHUB_HEAD_REF") ?? (read("GITHUB_REF_TYPE") === "branch" ? read("GITHUB_REF_NAME") : undefined);
  return {
    fields: defined({ repository, commit: read("GITHUB_SHA"), ref, url: runUrl }),
    ci: defined({
      provider: "github",
      actor: read("GITHUB_ACTOR"),
      triggering_actor: read("GITHUB_TRIGGERING_ACTOR"),
      event: read("GITHUB_EVENT_NAME"),
      ref,
      branch,
      pr_number: number(/^refs\/pull\/(\d+)\//.exec(ref ?? "")?.[1]),
      run_id: runId,
      run_attempt: number(read("GITHUB_RUN_ATTEMPT")),
      job: read("GITHUB_JOB"),
      workflow: read("GITHUB_WORKFLOW"),
      run_url: runUrl,
    }),
  };
}

/** https://docs.gitlab.com/ci/variables/predefined_variables/ */
function gitlab(read: Read): CiFindings {
  const sha = read("CI_COMMIT_SHA");
  const tag = read("CI_COMMIT_TAG");
  const branch = read("CI_COMMIT_BRANCH");
  const ref = tag ? `refs/tags/${tag}` : branch ? `refs/heads/${branch}` : undefined;
  const runUrl = read("CI_JOB_URL") ?? read("CI_PIPELINE_URL");
  const commit: Commit | undefined = sha
    ? {
        sha,
        ...defined({
          message: read("CI_COMMIT_MESSAGE"),
          author: read("CI_COMMIT_AUTHOR"),
          timestamp: read("CI_COMMIT_TIMESTAMP"),
        }),
      }
    : undefined;
  return {
    fields: defined({
      repository: read("CI_PROJECT_PATH"),
      commit: sha,
      ref,
      url: runUrl,
      commits: commit ? [commit] : undefined,
    }),
    ci: defined({
      provider: "gitlab",
      actor: read("GITLAB_USER_LOGIN"),
      event: read("CI_PIPELINE_SOURCE"),
      ref: read("CI_COMMIT_REF_NAME"),
      branch: branch ?? read("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"),
      pr_number: number(read("CI_MERGE_REQUEST_IID")),
      pr_title: read("CI_MERGE_REQUEST_TITLE"),
      run_id: read("CI_PIPELINE_ID"),
      job: read("CI_JOB_NAME"),
      run_url: runUrl,
      environment: read("CI_ENVIRONMENT_NAME"),
      environment_tier: read("CI_ENVIRONMENT_TIER"),
      job_id: read("CI_JOB_ID"),
      pipeline_url: read("CI_PIPELINE_URL"),
    }),
  };
}

/**
 * https://www.jenkins.io/doc/book/pipeline/jenkinsfile/#using-environment-variables;
 * GIT_* come from the Git plugin, BUILD_USER_ID from the build-user-vars plugin,
 * BRANCH_NAME, CHANGE_ID, CHANGE_TITLE and TAG_NAME from multibranch pipelines.
 */
function jenkins(read: Read): CiFindings {
  const tag = read("TAG_NAME");
  const buildUrl = read("BUILD_URL");
  return {
    fields: defined({
      commit: read("GIT_COMMIT"),
      ref: tag ? `refs/tags/${tag}` : undefined,
      url: buildUrl,
    }),
    ci: defined({
      provider: "jenkins",
      actor: read("BUILD_USER_ID"),
      branch: read("BRANCH_NAME") ?? read("GIT_BRANCH"),
      pr_number: number(read("CHANGE_ID")),
      pr_title: read("CHANGE_TITLE"),
      run_id: read("BUILD_NUMBER"),
      job: read("JOB_NAME"),
      run_url: buildUrl,
      git_url: read("GIT_URL"),
      build_tag: read("BUILD_TAG"),
    }),
  };
}

/** https://argo-cd.readthedocs.io/en/stable/user-guide/build-environment/ */
function argocd(read: Read): CiFindings {
  const revision = read("ARGOCD_APP_REVISION");
  return {
    // A Helm chart source resolves to a chart version, not a commit: only a sha is a commit.
    fields: defined({ commit: revision && /^[0-9a-f]{40}$/i.test(revision) ? revision : undefined }),
    ci: defined({
      provider: "argocd",
      job: read("ARGOCD_APP_NAME"),
      ref: read("ARGOCD_APP_SOURCE_TARGET_REVISION"),
      app_namespace: read("ARGOCD_APP_NAMESPACE"),
      app_project: read("ARGOCD_APP_PROJECT_NAME"),
      revision,
      repo_url: read("ARGOCD_APP_SOURCE_REPO_URL"),
      source_path: read("ARGOCD_APP_SOURCE_PATH"),
    }),
  };
}

function number(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** Drops absent values, so that optional fields are left out rather than set to undefined. */
function defined<T extends Record<string, unknown>>(record: T): Defined<T> {
  const result: Defined<T> = {};
  for (const key of Object.keys(record) as Array<keyof T>) {
    const value = record[key];
    if (value !== undefined) result[key] = value as Exclude<T[keyof T], undefined>;
  }
  return result;
}
